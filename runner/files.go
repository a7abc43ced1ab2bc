package runner

import (
	"fmt"
	"io"
	"os"
)

// irregular says what the lab file at p is when it is not a regular file
// (after links): a FIFO, a device or a socket blocks, or never ends, when read,
// and a lab that named one hung `check` and `run` forever. "" for a regular
// file, and for a path that cannot be stat'ed (the open that follows says why).
func irregular(p string) string {
	st, err := os.Stat(p)
	if err != nil || st.Mode().IsRegular() {
		return ""
	}
	switch m := st.Mode(); {
	case m&os.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a folder"
	}
	return "not a regular file"
}

// openLabFile opens a file of a lab for reading, refusing one that is not a
// regular file before opening it (opening a FIFO blocks until a writer comes).
func openLabFile(p string) (*os.File, error) {
	if what := irregular(p); what != "" {
		return nil, fmt.Errorf("%s is %s, not a file: a lab's files must be regular files", p, what)
	}
	return os.Open(p)
}

// CopyFile copies the regular file src to a new file dst with its permission
// bits (an executable stays one), never following a link: a FIFO or device
// in a student's folder is refused, not read (which could hang the grader).
func CopyFile(src, dst string) error {
	st, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%q is not a regular file", src)
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, st.Mode().Perm()|0o400)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
