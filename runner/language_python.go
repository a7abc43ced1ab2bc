package runner

// python: a Python 3 program (.py), run with the system's python3.
// PYTHONUNBUFFERED: a server stopped once the lab's clients are done (or a
// program killed at its deadline) keeps what it printed; a pipe would
// otherwise hold it in Python's buffer.
var pythonLang = language{
	name:  "python",
	title: "a Python program",
	exts:  []string{".py"},
	run:   []string{"python3", "{file}", "{args}"},
	env:   []string{"PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1"},
	doc:   "a `.py` file: `python3 FILE`",
}
