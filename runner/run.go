package runner

import (
	"context"
	"time"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
)

// ExecOptions control one execution of a lab.
type ExecOptions struct {
	// Submission is the script to run; "" runs the lab's reference solution.
	Submission string
	// Dir is the run's folder, which must exist: the artifacts are written there.
	Dir string
	// Isolation is "auto" (the default), "namespace" or "none".
	Isolation sandbox.Isolation
	// ScriptArgs, when non-nil, is the script's arg[1..n] (`wirelab script`).
	ScriptArgs []string
	// Grace is how long past the deadline the worker has to wind down before it
	// is killed; 0 means sandbox.DefaultGrace.
	Grace time.Duration
}

// Execute runs a submission against the lab in a sandbox: the lab's network in
// a namespace of its own, its services, a live capture, and the script under the
// lab's limits. It returns the artifacts for Evaluate. The error is a
// *sandbox.SetupError when the run could not be carried out (no namespaces, a
// service that would not start); a script that failed or hit a limit is
// reported in Artifacts.Exit instead. Warnings (an unisolated run) are
// returned for the caller to show.
func Execute(ctx context.Context, lab *Lab, opt ExecOptions) (Artifacts, []string, error) {
	script := opt.Submission
	if script == "" {
		script = lab.Submission.File
	}
	cfg := sandbox.Config{
		Dir:           opt.Dir,
		LabDir:        lab.Dir,
		Modules:       lab.Submission.Modules,
		Services:      lab.Services,
		CaptureFilter: lab.Capture.Filter,
		Snaplen:       lab.Capture.Snaplen,
		Interface:     lab.Capture.Interface,
		Script:        script,
		Args:          lab.Submission.Args,
		Source:        lab.Submission.Host,
		Limits: sandbox.Limits{
			Timeout: lab.Timeout,
			Memory:  lab.Limits.Memory,
			Output:  lab.Limits.Output,
			Sockets: lab.Limits.Sockets,
		},
		ScriptArgs: opt.ScriptArgs,
		Isolation:  opt.Isolation,
		Grace:      opt.Grace,
	}
	for _, h := range lab.Hosts {
		cfg.Hosts = append(cfg.Hosts, sandbox.Host{Name: h.Name, Addr: h.Addr})
	}
	out, err := sandbox.Run(ctx, cfg)
	if err != nil {
		return Artifacts{}, nil, err
	}
	return Artifacts{
		Dir:        opt.Dir,
		Capture:    out.Capture,
		Output:     out.Output,
		Events:     out.Events,
		Submission: script,
		Exit:       ExitStatus{Reason: out.Exit.Reason, Message: out.Exit.Message},
		Start:      out.Start,
		Duration:   out.Duration,
	}, out.Warnings, nil
}
