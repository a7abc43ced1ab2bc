package runner

// c: a C program (.c), compiled with the system's cc, then run.
var cLang = language{
	name:  "c",
	title: "a C program",
	exts:  []string{".c"},
	build: [][]string{{"cc", "-O2", "-Wall", "-o", "prog", "{file}", "-lm"}},
	run:   []string{"./prog", "{args}"},
	doc:   "a `.c` file: `cc -O2 -Wall -o prog FILE -lm`, then `./prog`",
}
