//go:build !linux

package jail

import (
	"fmt"
	"os"
	"syscall"
)

// Proc is a running jail.
type Proc struct{}

// Start needs Linux.
func Start(spec Spec) (*Proc, error) {
	return nil, &SetupError{"jail: running a program in a jail needs Linux (mount, PID and user namespaces)"}
}

// Wait is never reached without Linux.
func (p *Proc) Wait() *Result { return &Result{} }

// Kill is never reached without Linux.
func (p *Proc) Kill() {}

// Signal is never reached without Linux.
func (p *Proc) Signal(syscall.Signal) {}

func (p *Proc) kill(*Result) {}

// CopyDir needs Linux.
func CopyDir(src, dst string) error { return &SetupError{"jail: needs Linux"} }

// Main is the jail's init; without Linux there is none.
func Main() int {
	fmt.Fprintf(os.Stderr, "wirelab %s: jails need Linux\n", Arg)
	return 2
}

// OpenPTY needs Linux.
func OpenPTY() (master, slave *os.File, err error) {
	return nil, nil, &SetupError{"jail: pseudo-terminals need Linux"}
}
