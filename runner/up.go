package runner

import (
	"context"
	"errors"
	"os"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
)

// UpOptions control a lab that is up (`wirelab up`).
type UpOptions struct {
	// Dir is the folder for the lab's services log; it must exist.
	Dir string
	// Control is the listening unix socket `wirelab exec` connects to.
	Control *os.File
	// Isolation is "auto" or "namespace": a lab that is up always has its
	// own network.
	Isolation sandbox.Isolation
	// OnReady is called once the network and the services are up.
	OnReady func()
}

// Up builds the lab's network and starts its servers, as a run does, and
// keeps them, serving `wirelab exec` on opt.Control, until ctx ends; then
// it tears everything down. No script runs and nothing is captured or
// graded. The error says why the lab could not be brought up, or why it
// stopped before ctx ended.
func Up(ctx context.Context, lab *Lab, opt UpOptions) error {
	if opt.Isolation == sandbox.IsolationNone {
		return errors.New("a lab that is up needs its own network: --isolation=none is not possible with up")
	}
	cfg := lab.sandboxConfig()
	cfg.Dir = opt.Dir
	cfg.Isolation = opt.Isolation
	cfg.Up = true
	cfg.Control = opt.Control
	cfg.OnReady = opt.OnReady
	out, err := sandbox.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if ctx.Err() == nil {
		msg := "the lab stopped by itself"
		if out.Exit.Message != "" {
			msg += ": " + out.Exit.Message
		}
		return errors.New(msg)
	}
	return nil
}

// UpHosts lists the hosts of the lab's network, with their names, addresses
// and services, as `wirelab up` shows them.
func UpHosts(lab *Lab) []sandbox.UpHost {
	return sandbox.UpHosts(lab.sandboxConfig())
}
