package runner

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
)

// programConfig sets cfg up to build and run a program submission: its
// folder (a lone file is copied into a folder of its own, so the program's
// /submission never shows the files beside it), its build and run argv from
// the language's templates with the script's arguments, and lab.args as
// environment variables. The program runs in the submission's host under
// the lab's limits and deadline, as a Lua script does. cleanup removes the
// lone file's folder once the run is over.
func programConfig(lab *Lab, e *Entry, opt ExecOptions, cfg *sandbox.Config) (cleanup func(), err error) {
	cleanup = func() {}
	cmd, err := lab.Command(e, opt.ScriptArgs)
	if err != nil {
		return cleanup, fmt.Errorf("%s: %w", e.Path, err)
	}
	dir := e.Dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "wirelab-submission-")
		if err != nil {
			return cleanup, &sandbox.SetupError{Msg: "making the submission's folder: " + err.Error()}
		}
		cleanup = func() { os.RemoveAll(tmp) }
		if err := CopyFile(e.File, filepath.Join(tmp, filepath.Base(e.File))); err != nil {
			cleanup()
			return func() {}, fmt.Errorf("copying the submission %q: %w", e.File, err)
		}
		dir = tmp
	}
	cfg.Script = ""
	cfg.Program = &sandbox.Program{Dir: dir, Build: cmd.Build, Run: cmd.Run, Env: cmd.Env}
	return cleanup, nil
}
