package runner

import (
	"bytes"
	"io/fs"
	"strings"
)

// executable: a file that runs by itself: a script starting with #! (run
// through the interpreter its first line names, so it need not have kept its
// executable bit through an upload), or a compiled program with the
// executable bit.
var executableLang = language{
	name:  "executable",
	title: "an executable (a program, or a script starting with #!)",
	file: func(head []byte, mode fs.FileMode) bool {
		return hasShebang(head) || (mode&0o111 != 0 && isBinary(head))
	},
	run: []string{"./{file}", "{args}"},
	runFor: func(head []byte) []string {
		interp := shebang(head)
		if interp == nil {
			return []string{"./{file}", "{args}"}
		}
		return append(interp, "{file}", "{args}")
	},
	doc: "a script starting with `#!` (run by the interpreter it names) or a compiled program with its executable bit: `./FILE`",
}

// isBinary reports whether head starts like an ELF executable.
func isBinary(head []byte) bool { return bytes.HasPrefix(head, []byte("\x7fELF")) }

// shebang returns the interpreter and its one optional argument from a #!
// line, as the kernel reads it; nil when there is none.
func shebang(head []byte) []string {
	if !hasShebang(head) {
		return nil
	}
	line := head[2:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	} else if len(head) >= maxHead {
		return nil // longer than a #! line may be
	}
	s := strings.TrimSpace(strings.TrimSuffix(string(line), "\r"))
	if s == "" {
		return nil
	}
	interp, arg, _ := strings.Cut(s, " ")
	arg = strings.TrimSpace(arg)
	if arg == "" {
		return []string{interp}
	}
	return []string{interp, arg}
}
