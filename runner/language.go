package runner

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// language is one kind of submission wirelab can run, defined in its own file
// (language_NAME.go): how it is recognised (a file's extension, a file's
// first bytes and mode, a folder's contents) and how it is built and run (argv
// templates, see expandTemplate). The loader, Resolve and the docs know
// languages only through languages.
type language struct {
	name  string   // as `submission.languages` names it
	title string   // how messages name such a submission: "a Python program"
	exts  []string // file extensions it is recognised by, with the dot
	// file recognises a file none of whose extensions matched: an
	// executable, a #! script. head is the file's first bytes; may be nil.
	file func(head []byte, mode fs.FileMode) bool
	// folder recognises a folder that is a submission of the language by
	// what it holds (a Makefile), returning its entry file; may be nil.
	folder func(dir string) (entry string, ok bool)
	build  [][]string // run in order before run; each must exit 0
	// run is the program's argv; nil for Lua, which runs in wirelab's own
	// worker. runFor, when set, gives it from the entry's first bytes (a
	// #! line) instead.
	run    []string
	runFor func(head []byte) []string
	env    []string // KEY=VALUE the program always gets
	doc    string   // one line for docs/lab-format.md's table
}

// langRegistry holds the languages in the order detection tries them and
// the docs list them.
type langRegistry struct {
	order  []*language
	byName map[string]*language
	byExt  map[string]*language
}

// register adds g; a name or extension another language has is an error.
func (r *langRegistry) register(g *language) error {
	if r.byName == nil {
		r.byName, r.byExt = map[string]*language{}, map[string]*language{}
	}
	if _, dup := r.byName[g.name]; dup {
		return fmt.Errorf("language %q is registered twice", g.name)
	}
	for _, e := range g.exts {
		if prev, dup := r.byExt[e]; dup {
			return fmt.Errorf("language %q: extension %q is already %s's", g.name, e, prev.name)
		}
	}
	if g.run == nil && g.runFor == nil && g.name != LangLua {
		return fmt.Errorf("language %q: no run template", g.name)
	}
	r.byName[g.name] = g
	for _, e := range g.exts {
		r.byExt[e] = g
	}
	r.order = append(r.order, g)
	return nil
}

func (r *langRegistry) names() []string {
	out := make([]string, len(r.order))
	for i, g := range r.order {
		out[i] = g.name
	}
	return out
}

// languages is the registry: this list is the one place a language is named.
var languages = func() *langRegistry {
	r := &langRegistry{}
	for _, g := range []*language{&luaLang, &pythonLang, &cLang, &executableLang, &makeLang} {
		if err := r.register(g); err != nil {
			panic(err)
		}
	}
	return r
}()

// Languages lists the languages a lab may accept, in the order the docs
// present them.
var Languages = languages.names()

// LangLua is the language of a Lua script, run in wirelab's own worker; a lab
// that names no languages accepts it alone.
const LangLua = "lua"

// submissionDir is where a program finds its own folder (a private copy of
// it), which is also its working directory: what {dir} stands for.
const submissionDir = "/submission"

// Language is a language a lab accepts, with the lab's build and run
// templates (the preset's, or the lab's own).
type Language struct {
	Name  string
	Build [][]string // templates, run in order before Run
	Run   []string   // template; nil for Lua
	Env   []string

	preset *language
	custom bool // Run is the lab's own: a #! line does not replace it
}

// Title names a submission of the language in messages: "a Python program".
func (g *Language) Title() string { return g.preset.title }

// IsLua reports whether submissions of g are Lua scripts, run in wirelab's
// own worker rather than as a program.
func (g *Language) IsLua() bool { return g.preset.name == LangLua }

func presetLanguage(g *language) Language {
	return Language{Name: g.name, Build: g.build, Run: g.run, Env: g.env, preset: g}
}

// defaultLanguages is what a lab without `languages:` accepts: Lua alone, so
// a lab written before programs could be submitted means what it meant (its
// hints speak of lab.args and the Lua socket API).
func defaultLanguages() []Language { return []Language{presetLanguage(&luaLang)} }

// Accepts returns the language of the lab named name, if the lab accepts it.
func (s *Submission) Accepts(name string) (*Language, bool) {
	langs := s.languages()
	for i := range langs {
		if langs[i].Name == name {
			return &langs[i], true
		}
	}
	return nil, false
}

func (s *Submission) languages() []Language {
	if s.Languages == nil {
		return defaultLanguages()
	}
	return s.Languages
}

// Accepted lists the languages the lab accepts, in the lab's order.
func (s *Submission) Accepted() []Language { return s.languages() }

// MainNames says which names a submission folder's entry may have, for
// messages: "solution.EXT or main.EXT".
func (l *Lab) MainNames() string { return l.mainNames() }

// LanguageNames lists the languages the lab accepts, in the lab's order.
func (s *Submission) LanguageNames() []string {
	var out []string
	for _, g := range s.languages() {
		out = append(out, g.Name)
	}
	return out
}

// Entry is a submission resolved against a lab: what to run, and how.
type Entry struct {
	Path string // what was handed in, a file or a folder (absolute)
	File string // the file the language runs or builds (absolute); a Makefile for make
	// Dir is the submission's folder, copied for the program to run in; ""
	// for a lone file, which is run from a folder holding only itself.
	Dir      string
	Language *Language
}

// Rel is File as the program sees it: relative to its folder ({file}).
func (e *Entry) Rel() string {
	if e.Dir == "" {
		return filepath.Base(e.File)
	}
	rel, err := filepath.Rel(e.Dir, e.File)
	if err != nil {
		return filepath.Base(e.File)
	}
	return filepath.ToSlash(rel)
}

// NotRunnableError is a submission the lab cannot run: of no language wirelab
// knows, or of one the lab does not accept. Grading records it as a row of
// its own (not graded, with the message), never drops it.
type NotRunnableError struct {
	Path     string
	Language string // the language it is, when wirelab knows it; "" when none
	Msg      string
}

func (e *NotRunnableError) Error() string { return e.Msg }

// maxHead is how much of a file detection reads: enough for a #! line and
// an executable's magic number.
const maxHead = 256

// fileHead reads the first bytes of a regular file.
func fileHead(p string) ([]byte, fs.FileMode, error) {
	st, err := os.Lstat(p)
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		return nil, st.Mode(), fmt.Errorf("%s is not a regular file (a link or a device is not followed; hand in the file itself)", filepath.Base(p))
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	head := make([]byte, maxHead)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return nil, 0, err
	}
	return head[:n], st.Mode(), nil
}

// detectFile returns the languages a file may be, most likely first.
func detectFile(p string) ([]*language, error) {
	head, mode, err := fileHead(p)
	if err != nil {
		return nil, err
	}
	var out []*language
	if g, ok := languages.byExt[strings.ToLower(filepath.Ext(p))]; ok {
		out = append(out, g)
	}
	for _, g := range languages.order {
		if g.file != nil && !slices.Contains(out, g) && g.file(head, mode) {
			out = append(out, g)
		}
	}
	return out, nil
}

// knownExts lists every extension detection knows, for messages.
func knownExts() string {
	var out []string
	for _, g := range languages.order {
		out = append(out, g.exts...)
	}
	return strings.Join(out, ", ")
}

// Resolve finds out what a submission path is and how the lab runs it. A
// file is recognised by its extension (.lua, .py, .c), else as an executable
// or a script starting with #!. A folder is a submission of the make
// language when it holds a Makefile; else its entry is the file named like
// the lab's reference solution, main.EXT, or its only file of a known kind.
// The language must be one the lab accepts; a *NotRunnableError says why
// not. Other errors are a path that cannot be read.
func (l *Lab) Resolve(path string) (*Entry, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		cands, err := detectFile(abs)
		if err != nil {
			return nil, &NotRunnableError{Path: abs, Msg: err.Error()}
		}
		return l.choose(abs, abs, "", cands)
	}
	return l.resolveFolder(abs, false)
}

// ResolveFolder resolves a folder that must be one submission by its names
// alone (a Makefile, the reference's name, main.EXT), not by holding a
// single file: how `wirelab grade` tells a student's folder named on its
// command line from a class folder. ok is false when the folder is no such
// submission.
func (l *Lab) ResolveFolder(dir string) (e *Entry, ok bool, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, false, err
	}
	e, err = l.resolveFolder(abs, true)
	if err != nil {
		var nr *NotRunnableError
		if asNotRunnable(err, &nr) && nr.Language == "" {
			return nil, false, nil
		}
		return nil, true, err
	}
	return e, true, nil
}

func asNotRunnable(err error, nr **NotRunnableError) bool {
	e, ok := err.(*NotRunnableError)
	if ok {
		*nr = e
	}
	return ok
}

// entryNames are the file names a folder's entry may have, most wanted
// first: the reference solution's name, then its stem and main with each
// known extension.
func (l *Lab) entryNames() []string {
	var names []string
	add := func(n string) {
		if n != "" && n != "." && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	ref := filepath.Base(l.Submission.File)
	if l.Submission.File != "" {
		add(ref)
	}
	stem := strings.TrimSuffix(ref, filepath.Ext(ref))
	for _, g := range l.Submission.languages() {
		for _, e := range g.preset.exts {
			if l.Submission.File != "" {
				add(stem + e)
			}
			add("main" + e)
		}
	}
	for _, g := range languages.order {
		for _, e := range g.exts {
			add("main" + e)
		}
	}
	return names
}

func (l *Lab) resolveFolder(dir string, byName bool) (*Entry, error) {
	var cands []*language
	var firstErr error
	// A folder that builds itself (a Makefile) is that, when the lab takes it.
	for _, g := range languages.order {
		if g.folder == nil {
			continue
		}
		if entry, ok := g.folder(dir); ok {
			if _, accepted := l.Submission.Accepts(g.name); accepted {
				return l.choose(dir, entry, dir, []*language{g})
			}
			cands = append(cands, g)
		}
	}
	for _, name := range l.entryNames() {
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); err != nil {
			continue
		}
		c, err := detectFile(p)
		if err != nil {
			firstErr = cmpErr(firstErr, err)
			continue
		}
		e, err := l.choose(dir, p, dir, c)
		if err == nil {
			return e, nil
		}
		firstErr = cmpErr(firstErr, err)
	}
	if !byName {
		// The folder's only file of a known kind.
		ents, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		var found []string
		var langs [][]*language
		for _, ent := range ents {
			if strings.HasPrefix(ent.Name(), ".") || ent.IsDir() {
				continue
			}
			p := filepath.Join(dir, ent.Name())
			c, err := detectFile(p)
			if err != nil || len(c) == 0 {
				continue
			}
			found = append(found, ent.Name())
			langs = append(langs, c)
		}
		switch len(found) {
		case 1:
			e, err := l.choose(dir, filepath.Join(dir, found[0]), dir, langs[0])
			if err == nil || len(cands) == 0 {
				return e, err
			}
		case 0:
		default:
			if firstErr == nil {
				quoted := make([]string, len(found))
				for i, f := range found {
					quoted[i] = fmt.Sprintf("%q", f)
				}
				return nil, &NotRunnableError{Path: dir, Msg: fmt.Sprintf("folder %q holds %d files wirelab could run (%s) and none is named %s: name the one to run main.EXT, or add a Makefile", filepath.Base(dir), len(found), strings.Join(quoted, ", "), l.mainNames())}
			}
		}
	}
	if len(cands) > 0 {
		return l.choose(dir, dir, dir, cands)
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return nil, &NotRunnableError{Path: dir, Msg: fmt.Sprintf("folder %q holds nothing wirelab can run: no %s, no Makefile%s", filepath.Base(dir), l.mainNames(), map[bool]string{true: "", false: " and no single program file"}[byName])}
}

// cmpErr keeps the first error, preferring one that names a language (a
// main.py the lab does not accept says more than an unreadable file).
func cmpErr(prev, err error) error {
	if prev == nil {
		return err
	}
	var a, b *NotRunnableError
	if asNotRunnable(err, &b) && b.Language != "" && (!asNotRunnable(prev, &a) || a.Language == "") {
		return err
	}
	return prev
}

// mainNames says which file names a folder's entry may have, for messages.
func (l *Lab) mainNames() string {
	stem := "main"
	if l.Submission.File != "" {
		ref := filepath.Base(l.Submission.File)
		stem = strings.TrimSuffix(ref, filepath.Ext(ref))
	}
	ext := ".EXT"
	if langs := l.Submission.languages(); len(langs) == 1 && len(langs[0].preset.exts) == 1 {
		ext = langs[0].preset.exts[0]
	}
	if stem == "main" {
		return "main" + ext
	}
	return stem + ext + " or main" + ext
}

// choose picks the first of the candidate languages the lab accepts.
func (l *Lab) choose(path, file, dir string, cands []*language) (*Entry, error) {
	for _, g := range cands {
		if lang, ok := l.Submission.Accepts(g.name); ok {
			return &Entry{Path: path, File: file, Dir: dir, Language: lang}, nil
		}
	}
	name := filepath.Base(path)
	if dir != "" && file != dir {
		name = filepath.Base(dir) + "/" + filepath.Base(file)
	}
	if len(cands) == 0 {
		return nil, &NotRunnableError{Path: path, Msg: fmt.Sprintf("%q is not a kind of file wirelab can run: not %s, not an executable and not a script starting with #!", name, knownExts())}
	}
	accepts := strings.Join(l.Submission.LanguageNames(), ", ")
	return nil, &NotRunnableError{Path: path, Language: cands[0].name, Msg: fmt.Sprintf("%q is %s, and lab %q accepts %s only (submission.languages)", name, cands[0].title, l.ID, accepts)}
}

// hasShebang reports whether a file starts with #!.
func hasShebang(head []byte) bool { return bytes.HasPrefix(head, []byte("#!")) }

// Command is how a program submission is built and run, with every
// placeholder expanded.
type Command struct {
	Build [][]string
	Run   []string
	Env   []string // the language's, then lab.args as WIRELAB_ARG_<NAME> and WIRELAB_ARGS
}

// Command expands e's language's templates for one run; args are the
// arguments after the submission ({args}).
func (l *Lab) Command(e *Entry, args []string) (*Command, error) {
	g := e.Language
	if g.IsLua() {
		return nil, fmt.Errorf("%s is a Lua script: it runs in wirelab's own worker, not as a program", e.File)
	}
	rel := e.Rel()
	base := filepath.Base(rel)
	v := templateVars{file: rel, name: strings.TrimSuffix(base, filepath.Ext(base)), dir: submissionDir, args: args, labArgs: l.Submission.Args}
	run := g.Run
	if g.preset.runFor != nil && !g.custom {
		head, _, err := fileHead(e.File)
		if err != nil {
			return nil, err
		}
		run = g.preset.runFor(head)
	}
	c := &Command{Env: append(slices.Clone(g.Env), argEnv(l.Submission.Args)...)}
	var err error
	if c.Run, err = expandTemplate(run, v); err != nil {
		return nil, err
	}
	for _, b := range g.Build {
		argv, err := expandTemplate(b, v)
		if err != nil {
			return nil, err
		}
		c.Build = append(c.Build, argv)
	}
	return c, nil
}

// LuaEntry is a file run as a Lua script whatever its name (`wirelab script`).
func LuaEntry(file string) *Entry {
	g := presetLanguage(&luaLang)
	return &Entry{Path: file, File: file, Language: &g}
}

// entryFor resolves what a run runs: sub, or the lab's reference solution
// when sub is "". The reference of a lab that names no languages is a Lua
// script whatever its name, as before languages.
func (l *Lab) entryFor(sub string) (*Entry, error) {
	if sub == "" {
		if l.Submission.File == "" {
			return nil, fmt.Errorf("lab %q has no reference solution (submission.file); pass --submission FILE", l.ID)
		}
		if l.Submission.Languages == nil {
			return LuaEntry(l.Submission.File), nil
		}
		sub = l.Submission.File
	}
	return l.Resolve(sub)
}
