package sandbox

import (
	"os"
	"path/filepath"
	"syscall"

	"github.com/wirelab-dev/wirelab/internal/jail"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// Limits of a command exec starts: a person's tools, not a submission
// under test, so no deadline and room for a capture or a scanner; the tree
// still ends with the lab.
var execLimits = jail.Limits{Memory: 1 << 30, Processes: 256, Files: 4096, Output: 1 << 62}

// wirelabDir is where a command started by exec finds the wirelab binary
// (`wirelab exec LAB HOST -- wirelab capture ...`).
const wirelabDir = "/opt/wirelab"

// start starts an exec request's command in a jail, from the calling
// thread, which is locked in the host's namespace: the command sees the
// machine's system read-only, a private copy of the caller's folder as
// /submission, its own /tmp and the lab's /etc/hosts, as a submission does.
func (c *control) start(req ExecRequest, files []*os.File) (proc, error) {
	spec := jail.Spec{
		Argv: req.Argv, Env: req.Env, Dir: req.Dir,
		Files: map[string][]byte{"/etc/hosts": c.etcHosts},
		Stdin: files[0], Stdout: files[1], Stderr: files[2],
		TTY:    req.TTY,
		Limits: execLimits,
	}
	if exe, err := os.Executable(); err == nil {
		spec.ReadOnly = []jail.Bind{{Host: filepath.Dir(exe), Jail: wirelabDir}}
		if req.Argv[0] == "wirelab" {
			spec.Argv = append([]string{filepath.Join(wirelabDir, filepath.Base(exe))}, req.Argv[1:]...)
		}
		if filepath.Base(exe) == "wirelab" {
			// A script or shell the command runs finds it too.
			spec.Env = append([]string{"PATH=/usr/local/bin:/usr/bin:/bin:" + wirelabDir}, req.Env...)
		}
	}
	p, err := jail.Start(spec)
	if err != nil {
		return nil, err
	}
	return &jailProc{p: p}, nil
}

// jailProc is a command running in a jail.
type jailProc struct{ p *jail.Proc }

// signal passes a signal exec got (Ctrl-C where exec has no terminal of
// its own to give the command, a kill) on to the command's processes.
func (j *jailProc) signal(sig syscall.Signal) { j.p.Signal(sig) }
func (j *jailProc) kill()                     { j.p.Kill() }

func (j *jailProc) wait() ExecStatus {
	r := j.p.Wait()
	st := ExecStatus{Code: r.Code, Signal: r.Signal}
	if n, ok := signalNumbers[r.Signal]; ok {
		st.Code = 128 + n
	} else if st.Code < 0 {
		st.Code = 128 + 9
	}
	switch {
	case r.Reason == result.ExitOK, r.Signal == "SIGINT", r.Signal == "SIGPIPE":
	case r.Reason == result.ExitError && r.Signal == "" && r.Code != 126 && r.Code != 127:
		// a plain non-zero status says it all
	default:
		st.Message = r.Message // a limit, a signal, a command that could not run
	}
	return st
}
