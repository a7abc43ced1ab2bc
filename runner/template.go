package runner

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

// Build and run templates are argv lists. Each element is taken as written,
// but for these placeholders:
//
//	{file}      the submission's file, relative to its folder: client.py
//	{name}      that file's name without its extension: client
//	{dir}       the submission's folder as the program sees it (submissionDir)
//	{arg.NAME}  the value of lab.args NAME (a list or a mapping as JSON)
//	{args}      the arguments after the submission (`wirelab script`), one
//	            element each; it must be a whole element, and stands for
//	            none when there are none
//
// {{ and }} are a literal brace.
var templateNames = []string{"file", "name", "dir", "args", "arg.NAME"}

// templateVars are what a template's placeholders stand for in one run.
type templateVars struct {
	file, name, dir string
	args            []string       // {args}
	labArgs         map[string]any // {arg.NAME}
}

// checkTemplate returns what is wrong with one element of a template, ""
// when nothing is; labArgs are the lab's args ({arg.NAME} must name one).
func checkTemplate(elem string, labArgs map[string]any) string {
	if elem == "{args}" {
		return ""
	}
	_, err := expandElem(elem, templateVars{labArgs: labArgs}, true)
	if err != nil {
		return err.Error()
	}
	return ""
}

// expandTemplate expands every element of tmpl.
func expandTemplate(tmpl []string, v templateVars) ([]string, error) {
	var out []string
	for _, e := range tmpl {
		if e == "{args}" {
			out = append(out, v.args...)
			continue
		}
		s, err := expandElem(e, v, false)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func expandElem(elem string, v templateVars, checking bool) (string, error) {
	var b strings.Builder
	for i := 0; i < len(elem); {
		c := elem[i]
		switch {
		case c == '{' && strings.HasPrefix(elem[i:], "{{"):
			b.WriteByte('{')
			i += 2
			continue
		case c == '}' && strings.HasPrefix(elem[i:], "}}"):
			b.WriteByte('}')
			i += 2
			continue
		case c == '}':
			return "", fmt.Errorf("%q: a lone } (write }} for a brace)", elem)
		case c != '{':
			b.WriteByte(c)
			i++
			continue
		}
		end := strings.IndexByte(elem[i:], '}')
		if end < 0 {
			return "", fmt.Errorf("%q: { without its } (write {{ for a brace)", elem)
		}
		name := elem[i+1 : i+end]
		i += end + 1
		switch {
		case name == "file":
			b.WriteString(v.file)
		case name == "name":
			b.WriteString(v.name)
		case name == "dir":
			b.WriteString(v.dir)
		case name == "args":
			return "", fmt.Errorf("%q: {args} stands for several arguments, so it must be an element of its own", elem)
		case strings.HasPrefix(name, "arg."):
			key := strings.TrimPrefix(name, "arg.")
			val, ok := v.labArgs[key]
			if !ok {
				keys := make([]string, 0, len(v.labArgs))
				for k := range v.labArgs {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				if s := yamlx.Nearest(key, keys); s != "" {
					return "", fmt.Errorf("%q: {%s}: %q is not in submission.args (did you mean {arg.%s}?)", elem, name, key, s)
				}
				if len(keys) == 0 {
					return "", fmt.Errorf("%q: {%s}: the lab has no submission.args", elem, name)
				}
				return "", fmt.Errorf("%q: {%s}: %q is not in submission.args (known: %s)", elem, name, key, strings.Join(keys, ", "))
			}
			b.WriteString(argText(val))
		default:
			known := []string{"file", "name", "dir", "args"}
			if s := yamlx.Nearest(name, known); s != "" {
				return "", fmt.Errorf("%q: unknown placeholder {%s} (did you mean {%s}?)", elem, name, s)
			}
			return "", fmt.Errorf("%q: unknown placeholder {%s} (known: {%s}; {{ is a literal brace)", elem, name, strings.Join(templateNames, "}, {"))
		}
	}
	return b.String(), nil
}

// argText is how a lab argument reaches a program, in a template and in its
// WIRELAB_ARG_ variable: a text as it is, a number as YAML wrote it (80, 0.5),
// true or false, and a list or a mapping as JSON.
func argText(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// argEnv turns lab.args into the environment a program gets: each argument
// as WIRELAB_ARG_<NAME> (NAME upper-cased, every character but a letter or a
// digit made _), and all of them as one JSON object in WIRELAB_ARGS. The
// variables are sorted by name.
func argEnv(args map[string]any) []string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var env []string
	for _, k := range keys {
		env = append(env, "WIRELAB_ARG_"+argEnvName(k)+"="+argText(args[k]))
	}
	if args == nil {
		args = map[string]any{}
	}
	all, _ := json.Marshal(args)
	return append(env, "WIRELAB_ARGS="+string(all))
}

// argEnvName is the NAME of lab argument k's WIRELAB_ARG_NAME.
func argEnvName(k string) string {
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return unicode.ToUpper(r)
		}
		return '_'
	}, k)
}
