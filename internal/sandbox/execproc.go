package sandbox

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// jailPath is the PATH a command started by exec looks its name up in.
var jailPath = []string{"/usr/local/bin", "/usr/bin", "/bin"}

// start starts an exec request's command on the calling thread, which is
// locked in the host's namespace.
func (c *control) start(req ExecRequest, files []*os.File) (proc, error) {
	path, err := lookJailPath(req.Argv[0])
	if err != nil {
		return nil, err
	}
	cmd := &exec.Cmd{Path: path, Args: req.Argv, Dir: req.Dir, Stdin: files[0], Stdout: files[1], Stderr: files[2]}
	cmd.Env = append([]string{"PATH=" + strings.Join(jailPath, ":"), "HOME=/tmp", "LANG=C.UTF-8"}, req.Env...)
	if st, err := os.Stat(req.Dir); err != nil || !st.IsDir() {
		cmd.Dir = "/"
	}
	// A session of its own: the command's process group is the one a signal
	// from exec goes to, and with a terminal it is the terminal's.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: req.TTY, Ctty: 0, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("cannot start %q: %w", req.Argv[0], err)
	}
	return &directProc{cmd: cmd}, nil
}

// lookJailPath finds a command's file: a path as it is, a name in jailPath.
func lookJailPath(name string) (string, error) {
	if strings.Contains(name, "/") {
		return name, nil
	}
	for _, d := range jailPath {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() && st.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	return "", fmt.Errorf("command %q %w (looked in %s)", name, errNotFound, strings.Join(jailPath, ", "))
}

// directProc is a command started as a plain child process.
type directProc struct{ cmd *exec.Cmd }

func (p *directProc) signal(s syscall.Signal) { syscall.Kill(-p.cmd.Process.Pid, s) }
func (p *directProc) kill()                   { p.signal(syscall.SIGKILL) }

func (p *directProc) wait() ExecStatus {
	err := p.cmd.Wait()
	ps := p.cmd.ProcessState
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		return ExecStatus{Code: 126, Message: err.Error()}
	}
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return ExecStatus{Code: 128 + int(ws.Signal()), Signal: signalName(ws.Signal())}
	}
	return ExecStatus{Code: ps.ExitCode()}
}
