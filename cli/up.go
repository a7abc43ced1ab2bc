package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
)

func init() { register(newUpCmd) }

func newUpCmd() *cobra.Command {
	var name, isolation string
	cmd := &cobra.Command{
		Use:   "up LAB [--name NAME]",
		Short: "Bring a lab's network and services up and keep them until Ctrl-C, to step into with exec",
		Long: `up builds the lab's network as a run does (a network namespace per host, the
lab's addresses, segments and routers), starts the lab's servers and keeps them
until Ctrl-C (or SIGTERM), printing the hosts, their addresses and services.
Nothing is captured or graded: it is the lab to try things in by hand.

While it is up, 'wirelab exec LAB HOST -- COMMAND' runs a command inside one of
its hosts: a shell, curl, python3 client.py, wirelab capture. A student tries
their program against the lab before submitting it; an instructor checks the
services answer as the lab says.

The lab is up under a name, the lab's id unless --name gives another, so
several labs, or the same lab twice under two names, can be up at once; a name
already up is refused. The lab's client services (those that connect to the
submission) are not started. Whatever way up ends, the network and every
command started in it end with it.

The state of a lab that is up (its pid, lab and folder) is NAME.json in the
runtime folder ($XDG_RUNTIME_DIR/wirelab, else /tmp/wirelab-UID), beside its
control socket NAME.sock and its services log NAME/services.log; exec finds
the lab there, and says so when the up that kept it was killed.

Works as root and as an ordinary user (in a user namespace), like run.`,
		Example: `  # terminal 1: the lab, until Ctrl-C
  wirelab up http-client
  # terminal 2, in the folder of your program: try it against the lab
  wirelab exec http-client client -- curl http://www.yahoo.com/
  wirelab exec http-client client -- python3 client.py www.yahoo.com 80
  wirelab exec http-client client -- bash
  # the same lab twice, under another name
  wirelab up labs/two-subnets --name second

See docs/up.md.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("up takes one LAB (a lab folder, its lab.yaml or a built-in lab's name), got %d arguments", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			iso, err := parseUpIsolation(isolation)
			if err != nil {
				return err
			}
			lab, err := loadSoundLab(cmd, args[0])
			if err != nil {
				return err
			}
			if name == "" {
				name = instanceOf(lab.ID)
			}
			inst, err := claimInstance(name, lab)
			if err != nil {
				return err
			}
			defer inst.Release()
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			return keepUp(ctx, cmd.OutOrStdout(), cmd.ErrOrStderr(), lab, inst, iso)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the name the lab is up as, for exec (default: the lab's id)")
	cmd.Flags().StringVar(&isolation, "isolation", "auto", "auto or namespace (a lab that is up always has a network of its own)")
	return cmd
}

// parseUpIsolation checks the --isolation of up and run --keep.
func parseUpIsolation(s string) (sandbox.Isolation, error) {
	iso, err := sandbox.ParseIsolation(s)
	if err != nil {
		return "", usageError{err}
	}
	if iso == sandbox.IsolationNone {
		return "", usagef("--isolation=none: a lab that is up has a network of its own, in namespaces; without them there is nothing to step into")
	}
	return iso, nil
}

// instanceOf is the name a lab is up as by default: its id, made fit.
func instanceOf(id string) string {
	name := regexp.MustCompile(`[^A-Za-z0-9._-]+`).ReplaceAllString(id, "_")
	name = strings.TrimLeft(name, "._-")
	if name == "" {
		name = "lab"
	}
	return name
}

// claimInstance takes a name for lab, about to be up, or says what to do
// when it is taken.
func claimInstance(name string, lab *runner.Lab) (*sandbox.Instance, error) {
	if err := sandbox.CheckInstanceName(name); err != nil {
		return nil, usageError{err}
	}
	inst, err := sandbox.Claim(name, lab.ID, lab.Dir)
	var busy *sandbox.BusyError
	if errors.As(err, &busy) {
		return nil, fmt.Errorf("%w: stop it (Ctrl-C where it runs), or bring this one up under another name with --name", err)
	}
	return inst, err
}

// keepUp brings lab up under inst until ctx ends, printing its hosts once
// it is.
func keepUp(ctx context.Context, stdout, stderr io.Writer, lab *runner.Lab, inst *sandbox.Instance, iso sandbox.Isolation) error {
	ready := func() { printUp(stdout, lab, inst) }
	err := runner.Up(ctx, lab, runner.UpOptions{Dir: inst.Dir, Control: inst.Control, Isolation: iso, OnReady: ready})
	if err != nil {
		return fmt.Errorf("could not keep the lab up: %w", err)
	}
	fmt.Fprintf(stderr, "lab %q is down\n", inst.Name)
	return nil
}

// printUp says what is up and how to reach it.
func printUp(w io.Writer, lab *runner.Lab, inst *sandbox.Instance) {
	hosts := runner.UpHosts(lab)
	fmt.Fprintf(w, "lab %s is up as %q; Ctrl-C stops it\n\n", lab.ID, inst.Name)
	tw := tabwriter.NewWriter(w, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "  HOST\tADDRESSES\tSERVICES")
	sub := ""
	for _, h := range hosts {
		var addrs []string
		for _, a := range h.Addrs {
			addrs = append(addrs, a.String())
		}
		var svcs []string
		for _, s := range h.Services {
			svcs = append(svcs, s.String())
		}
		what := strings.Join(svcs, ", ")
		switch {
		case h.Submission:
			sub = h.Name
			what = strings.TrimPrefix(what+", the submission's host", ", ")
		case h.Router:
			what = strings.TrimPrefix(what+", a router", ", ")
		}
		name := h.Name
		if len(h.Aliases) > 0 {
			name += " (" + strings.Join(h.Aliases, ", ") + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", name, strings.Join(addrs, " "), what)
	}
	tw.Flush()
	if sub == "" && len(hosts) > 0 {
		sub = hosts[0].Name
	}
	fmt.Fprintf(w, "\nrun a command inside a host (names resolve as in the lab), from another terminal:\n")
	if ex := tryCommand(hosts); ex != "" {
		fmt.Fprintf(w, "  wirelab exec %s %s -- %s\n", inst.Name, sub, ex)
	}
	fmt.Fprintf(w, "  wirelab exec %s %s -- python3 client.py   # a program of the folder exec runs in\n", inst.Name, sub)
	fmt.Fprintf(w, "  wirelab exec %s %s -- bash\n", inst.Name, sub)
	fmt.Fprintf(w, "state: %s\n", inst.State)
	fmt.Fprintf(w, "services log: %s\n", filepath.Join(inst.Dir, "services.log"))
}

// tryCommand is a command that reaches the lab's first server from another
// host: curl for HTTP, python3 for the TCP servers that answer a line.
func tryCommand(hosts []sandbox.UpHost) string {
	for _, h := range hosts {
		for _, s := range h.Services {
			host := s.Host
			if a, err := netip.ParseAddr(host); err == nil && a.Is6() {
				host = "[" + host + "]"
			}
			switch s.Kind {
			case "http":
				if s.Port == 80 {
					return fmt.Sprintf("curl http://%s/", host)
				}
				return fmt.Sprintf("curl http://%s:%d/", host, s.Port)
			case "banner", "tcp-echo":
				return fmt.Sprintf(`python3 -c 'import socket; s = socket.create_connection(("%s", %d)); s.sendall(b"hello\n"); print(s.recv(4096))'`, s.Host, s.Port)
			}
		}
	}
	return ""
}
