package sandbox

import (
	"os"
	"os/exec"
	"runtime"
	"syscall"
)

// startedWorker is a worker process just started (a run's, an up lab's or a
// check worker): the ends of its two pipes this side keeps.
type startedWorker struct {
	cmd    *exec.Cmd
	in     *os.File    // written here, the worker's fd 3 (its configuration, calls)
	out    *os.File    // read here, the worker's fd 4 (its status lines, replies)
	stderr *tailBuffer // the end of what the worker wrote on stderr
	waited chan error  // cmd.Wait's error, once the worker has exited
}

// workerBinary is the binary a worker is started from: this one, or the one
// a test set in workerExe.
func workerBinary() (string, error) {
	if workerExe != "" {
		return workerExe, nil
	}
	return os.Executable()
}

// spawnError is a worker that could not be started at all (cmd.Start failed:
// no namespace to be had, say), as against a pipe that could not be made.
type spawnError struct{ err error }

func (e *spawnError) Error() string { return "cannot start the worker: " + e.err.Error() }
func (e *spawnError) Unwrap() error { return e.err }

// startWorker starts exe as a worker of mode (workerEnv's value) in folder
// dir, as attr says, with its two pipes as fd 3 and 4 and extra from fd 5 on.
// The thread that started it stays locked until the worker exits, for attr's
// Pdeathsig fires when that thread does. A failed Start is a *spawnError; on
// any error nothing is left open.
func startWorker(exe, mode, dir string, attr *syscall.SysProcAttr, extra ...*os.File) (*startedWorker, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, err
	}
	cmd := exec.Command(exe, WorkerArg)
	cmd.Env = []string{workerEnv + "=" + mode, "PATH=/usr/bin:/bin", "GOTRACEBACK=single"}
	cmd.Dir = dir
	cmd.ExtraFiles = append([]*os.File{inR, outW}, extra...)
	w := &startedWorker{cmd: cmd, in: inW, out: outR, stderr: &tailBuffer{max: 16 << 10}, waited: make(chan error, 1)}
	cmd.Stderr = w.stderr
	cmd.SysProcAttr = attr
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		if err := cmd.Start(); err != nil {
			started <- err
			return
		}
		started <- nil
		w.waited <- cmd.Wait()
	}()
	err = <-started
	inR.Close()
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, &spawnError{err}
	}
	return w, nil
}
