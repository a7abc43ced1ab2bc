package sandbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/internal/jail"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// Program is a submission that is a program, not a Lua script (Config.Script
// is then ""). It runs in a jail (internal/jail) in the submission's host.
type Program struct {
	Dir   string     `json:"dir"`   // the submission's folder on the host
	Build [][]string `json:"build"` // commands run in order in the jail before the run; each must exit 0
	Run   []string   `json:"run"`   // the program's argv
	Env   []string   `json:"env"`   // KEY=VALUE (lab.args as WIRELAB_ARG_<NAME>)
	// BuildTimeout bounds the whole build; 0: defaultBuildTimeout.
	BuildTimeout time.Duration `json:"build_timeout"`
}

// defaultBuildTimeout bounds a program's build.
const defaultBuildTimeout = 60 * time.Second

// BuildLog is the build's output in the run's folder.
const BuildLog = "build.log"

// buildMemory is the memory a build may use: compilers need more than the
// programs they build.
const buildMemory = 1 << 30

// buildLines is how much of a failed build's output its Exit message quotes.
const buildLines = 40

func (p *Program) buildBudget() time.Duration {
	if p == nil || len(p.Build) == 0 {
		return 0
	}
	if p.BuildTimeout > 0 {
		return p.BuildTimeout
	}
	return defaultBuildTimeout
}

// buildProgram runs the program's build in a jail at place, in a private
// copy of its folder that the run then starts from. It returns that folder
// (the program's own when there is no build), and an Exit when the build
// failed.
func buildProgram(cfg *Config, at place, send func(status)) (dir string, cleanup func(), exit *Exit) {
	prog := cfg.Program
	cleanup = func() {}
	if len(prog.Build) == 0 {
		return prog.Dir, cleanup, nil
	}
	tmp, err := os.MkdirTemp("", "wirelab-build-")
	if err != nil {
		return "", cleanup, &Exit{Reason: result.ExitError, Message: "making the build's folder: " + err.Error()}
	}
	cleanup = func() { os.RemoveAll(tmp) }
	if err := jail.CopyDir(prog.Dir, tmp); err != nil {
		return "", cleanup, &Exit{Reason: result.ExitError, Message: "copying the submission for its build: " + err.Error()}
	}
	log, err := os.Create(filepath.Join(cfg.Dir, BuildLog))
	if err != nil {
		return "", cleanup, &Exit{Reason: result.ExitError, Message: err.Error()}
	}
	defer log.Close()
	deadline := time.Now().Add(prog.buildBudget())
	for _, argv := range prog.Build {
		left := time.Until(deadline)
		if left <= 0 {
			left = time.Millisecond
		}
		fmt.Fprintf(log, "$ %s\n", strings.Join(argv, " "))
		var out bytes.Buffer
		spec := jail.Spec{
			Argv: argv, Env: prog.Env, Dir: tmp, Writable: true,
			Stdout: &out, Stderr: &out,
			Limits: jail.Limits{Timeout: left, Memory: buildMemory},
		}
		var r *jail.Result
		err := at.Do(func() error {
			p, err := jail.Start(spec)
			if err != nil {
				return err
			}
			r = p.Wait()
			return nil
		})
		log.Write(out.Bytes())
		if err != nil {
			return "", cleanup, &Exit{Reason: result.ExitError, Message: fmt.Sprintf("the build could not start `%s`: %v", strings.Join(argv, " "), err)}
		}
		if r.Reason != result.ExitOK {
			why := r.Message
			if r.Reason == result.ExitTimeout {
				why = fmt.Sprintf("it did not finish within the build's %v", prog.buildBudget())
			}
			msg := fmt.Sprintf("the build failed: `%s`: %s", strings.Join(argv, " "), why)
			if s := strings.TrimSpace(out.String()); s != "" {
				msg += "\n" + firstLines(s, buildLines)
			}
			return "", cleanup, &Exit{Reason: result.ExitError, Message: msg, Code: r.Code, Signal: r.Signal, Build: true}
		}
		warnFallbacks(r, send, "the build")
	}
	return tmp, cleanup, nil
}

// warnFallbacks sends a warning for each limit that could not be enforced
// the strong way (a cgroup).
func warnFallbacks(r *jail.Result, send func(status), what string) {
	for _, e := range r.Enforced {
		if strings.Contains(e, "no cgroup") || strings.HasPrefix(e, "warning:") || strings.Contains(e, "not limited") {
			send(status{Warning: what + "'s limits: " + e})
		}
	}
}

// runProgram runs the program in a jail at place until it ends or ctx does.
func runProgram(ctx context.Context, cfg *Config, dir string, at place, lim Limits, art *artifacts, send func(status)) Exit {
	prog := cfg.Program
	timeout := lim.Timeout
	if d, ok := ctx.Deadline(); ok {
		timeout = time.Until(d)
	}
	spec := jail.Spec{
		Argv: prog.Run, Env: prog.Env, Dir: dir,
		Files:  map[string][]byte{"/etc/hosts": hostsFile(cfg.Hosts)},
		Stdout: art.output, Stderr: art.output,
		Limits: jail.Limits{Timeout: timeout, Memory: lim.Memory, Files: lim.Sockets, Output: lim.Output},
	}
	var p *jail.Proc
	err := at.Do(func() error {
		var err error
		p, err = jail.Start(spec)
		return err
	})
	if err != nil {
		return Exit{Reason: result.ExitError, Message: "the program could not start: " + err.Error()}
	}
	stop := context.AfterFunc(ctx, p.Kill)
	r := p.Wait()
	stop()
	warnFallbacks(r, send, "the program")
	cause := context.Cause(ctx)
	switch {
	case errors.Is(cause, errClientsDone):
		return Exit{Code: r.Code, Signal: r.Signal}
	case errors.Is(cause, errCaptureLimit):
		return Exit{Reason: result.ExitOutput, Message: "the program sent too many packets; the capture ends there and the program was stopped"}
	case r.Reason == result.ExitError && r.Code == -1 && errors.Is(cause, context.DeadlineExceeded):
		return Exit{Reason: result.ExitTimeout, Message: fmt.Sprintf("the program ran past its %v deadline and was killed", lim.Timeout)}
	}
	return Exit{Reason: r.Reason, Message: r.Message, Code: r.Code, Signal: r.Signal}
}

// hostsFile is /etc/hosts for the jail: the lab's names.
func hostsFile(hosts []Host) []byte {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
	byAddr := map[string][]string{}
	var order []string
	for _, h := range hosts {
		for _, ha := range h.All() {
			a := ha.Unmap().String()
			if _, ok := byAddr[a]; !ok {
				order = append(order, a)
			}
			byAddr[a] = append(byAddr[a], h.Name)
		}
	}
	sort.Strings(order)
	for _, a := range order {
		fmt.Fprintf(&b, "%s\t%s\n", a, strings.Join(byAddr[a], " "))
	}
	return []byte(b.String())
}
