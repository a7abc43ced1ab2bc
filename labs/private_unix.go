//go:build unix

package labs

import (
	"os"
	"syscall"
)

// private reports whether path is a folder owned by this process's user that
// no one else may write to.
func private(path string) bool {
	st, err := os.Lstat(path)
	if err != nil || !st.IsDir() || st.Mode().Perm()&0o022 != 0 {
		return false
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	return ok && int(sys.Uid) == os.Getuid()
}
