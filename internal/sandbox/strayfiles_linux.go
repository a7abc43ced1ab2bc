package sandbox

import (
	"os"
	"strconv"
	"syscall"
)

// closeStrayFiles closes the descriptors a worker inherited by accident: any
// the process that started the grader left without close-on-exec (a shell's
// redirection, a library's leak, a test's open file) would otherwise be open
// in the worker, where the script's sandbox is the only thing between them
// and the script (issue 11 item 8). The worker's own descriptors are 0-2,
// its pipes and files 3 to last, and whatever the Go runtime opened since exec, which is
// always close-on-exec: a descriptor above the pipes without the flag came
// through exec and is closed.
func closeStrayFiles(last int) {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return
	}
	for _, e := range ents {
		fd, err := strconv.Atoi(e.Name())
		if err != nil || fd <= last {
			continue
		}
		flags, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFD, 0)
		if errno == 0 && flags&syscall.FD_CLOEXEC == 0 {
			syscall.Close(fd)
		}
	}
}
