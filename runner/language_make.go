package runner

import (
	"os"
	"path/filepath"
)

// make: a folder with a Makefile. `make` (its first target) builds the
// program, which is then run as ./prog, the name the c language gives its
// program too; a lab whose students build something else says so with its
// own run template.
var makeLang = language{
	name:  "make",
	title: "a folder with a Makefile",
	folder: func(dir string) (string, bool) {
		for _, name := range []string{"GNUmakefile", "makefile", "Makefile"} {
			p := filepath.Join(dir, name)
			if st, err := os.Lstat(p); err == nil && st.Mode().IsRegular() {
				return p, true
			}
		}
		return "", false
	},
	build: [][]string{{"make"}},
	run:   []string{"./prog", "{args}"},
	doc:   "a folder holding a `Makefile`: `make`, then `./prog`",
}
