package runner

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/suggest"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

// languages decodes `submission.languages`: a list of language names, each
// optionally a one-key mapping giving the lab's own build and run templates,
// `- c: {build: [[cc, -o, prog, "{file}", -lm]], run: [./prog]}`.
func (d *decoder) languages(n *yaml.Node, lab *Lab) {
	if n = d.Optional(n, yaml.SequenceNode, "submission languages must be a list of languages, like [lua, python, c] (known: "+strings.Join(Languages, ", ")+")"); n == nil {
		return
	}
	if len(n.Content) == 0 {
		d.Errorf(n, "submission languages is empty: name at least one (known: %s), or leave the key out for lua alone", strings.Join(Languages, ", "))
		return
	}
	seen := map[string]int{}
	langs := []Language{}
	for _, item := range n.Content {
		item = yamlx.Resolve(item)
		if item == nil {
			continue
		}
		var nameNode, opts *yaml.Node
		switch item.Kind {
		case yaml.ScalarNode:
			nameNode = item
		case yaml.MappingNode:
			if len(item.Content) != 2 {
				d.Errorf(item, "a language with templates is a mapping of one language name to its build and run, like `- python: {run: [python3, \"{file}\"]}`, not of %d keys", len(item.Content)/2)
				continue
			}
			nameNode, opts = yamlx.Resolve(item.Content[0]), item.Content[1]
		default:
			d.Errorf(item, "a language must be a name (known: %s) or a mapping of a name to its build and run, not %s", strings.Join(Languages, ", "), yamlx.Describe(item))
			continue
		}
		name, ok := d.Str(nameNode, "language")
		if !ok {
			continue
		}
		g, known := languages.byName[name]
		if !known {
			if s, dist := suggest.Closest(strings.ToLower(name), Languages); s != "" && dist <= max(2, len(name)/3) {
				d.Errorf(nameNode, "unknown language %q (did you mean %q? known: %s)", name, s, strings.Join(Languages, ", "))
			} else {
				d.Errorf(nameNode, "unknown language %q (known: %s; a program in another language can be handed in as a folder with a Makefile, or as an executable)", name, strings.Join(Languages, ", "))
			}
			continue
		}
		if prev, dup := seen[name]; dup {
			d.Errorf(nameNode, "language %q is repeated (first at line %d)", name, prev)
			continue
		}
		seen[name] = nameNode.Line
		lang := presetLanguage(g)
		if opts != nil {
			d.languageTemplates(opts, &lang, lab)
		}
		langs = append(langs, lang)
	}
	lab.Submission.Languages = langs
	// Two arguments whose variables would be one.
	byEnv := map[string]string{}
	for k := range lab.Submission.Args {
		e := argEnvName(k)
		if prev, dup := byEnv[e]; dup && prev != k {
			a, b := min(prev, k), max(prev, k)
			d.Errorf(n, "submission args %q and %q would both be WIRELAB_ARG_%s for a program: rename one", a, b, e)
		}
		byEnv[e] = k
	}
}

// languageTemplates decodes one language's own build and run.
func (d *decoder) languageTemplates(n *yaml.Node, lang *Language, lab *Lab) {
	what := fmt.Sprintf("language %q", lang.Name)
	entries := d.Mapping(n, what, []string{"build", "run"})
	if lang.IsLua() && len(entries) > 0 {
		d.Errorf(entries[0].K, "%s: a Lua script runs in wirelab's own worker, with no build or run (name it plainly: `- lua`)", what)
		return
	}
	for _, e := range entries {
		switch e.Key {
		case "build":
			v := yamlx.Resolve(e.V)
			if v == nil || yamlx.IsNull(v) {
				lang.Build = nil // no build step
				continue
			}
			if v.Kind != yaml.SequenceNode {
				d.Errorf(v, "%s build must be a command (an argv list, like [make]) or a list of them (like [[cc, -o, prog, \"{file}\"], [strip, prog]]), not %s", what, yamlx.Describe(v))
				continue
			}
			var cmds [][]string
			if len(v.Content) > 0 && yamlx.Resolve(v.Content[0]) != nil && yamlx.Resolve(v.Content[0]).Kind == yaml.ScalarNode {
				if argv, ok := d.argv(v, what+" build", lab); ok {
					cmds = append(cmds, argv)
				}
			} else {
				for _, c := range v.Content {
					if argv, ok := d.argv(c, what+" build command", lab); ok {
						cmds = append(cmds, argv)
					}
				}
			}
			lang.Build = cmds
		case "run":
			if argv, ok := d.argv(e.V, what+" run", lab); ok {
				lang.Run = argv
				lang.custom = true
			}
		}
	}
}

// argv decodes one command: a non-empty list of texts whose placeholders are
// known.
func (d *decoder) argv(n *yaml.Node, what string, lab *Lab) ([]string, bool) {
	v := yamlx.Resolve(n)
	if v == nil {
		return nil, false
	}
	if v.Kind == yaml.ScalarNode {
		d.Errorf(v, "%s must be an argv list, one element per argument, like [python3, \"{file}\"], not the text %q (no shell splits it)", what, v.Value)
		return nil, false
	}
	if v.Kind != yaml.SequenceNode {
		d.Errorf(v, "%s must be an argv list, like [python3, \"{file}\"], not %s", what, yamlx.Describe(v))
		return nil, false
	}
	if len(v.Content) == 0 {
		d.Errorf(v, "%s is empty: name the program to run, like [python3, \"{file}\"]", what)
		return nil, false
	}
	out := make([]string, 0, len(v.Content))
	ok := true
	for i, c := range v.Content {
		s, good := d.Str(c, what)
		if !good {
			ok = false
			continue
		}
		if msg := checkTemplate(s, lab.Submission.Args); msg != "" {
			d.Errorf(c, "%s: %s", what, msg)
			ok = false
			continue
		}
		if i == 0 && (s == "" || s == "{args}") {
			d.Errorf(c, "%s: the first element is the program to run, not %q", what, s)
			ok = false
			continue
		}
		out = append(out, s)
	}
	return out, ok
}

// referenceFile decodes `submission.file`, the reference solution: a Lua
// script for a lab that names no languages (whatever its name, as before
// languages), else a file of a language the lab accepts.
func (d *decoder) referenceFile(n *yaml.Node, lab *Lab) {
	p, ok := d.labPath(n, "submission file")
	if !ok {
		return
	}
	lab.Submission.File = p
	name, _ := d.Str(n, "submission file")
	if lab.Submission.Languages == nil {
		d.luaCompiles(n, "submission file", name, p)
		return
	}
	e, err := lab.Resolve(p)
	if err != nil {
		d.Errorf(n, "submission file %q: %v", name, err)
		return
	}
	if e.Language.IsLua() {
		d.luaCompiles(n, "submission file", name, p)
	}
}
