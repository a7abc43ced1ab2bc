//go:build unix

package probe

import "syscall"

// openFileLimit is the soft RLIMIT_NOFILE, or 0 when unknown or unlimited.
func openFileLimit() int {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil || lim.Cur >= 1<<30 {
		return 0
	}
	return int(lim.Cur)
}
