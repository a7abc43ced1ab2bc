package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
)

func init() { register(newExecCmd) }

// execFailed is exec's status when it could not do its work (the lab is not
// up, no such host), as env(1) and docker exec have it; the sandbox says 126
// and 127 for a command that could not start or was not found, and the
// command's own status passes through otherwise.
const execFailed = 125

func newExecCmd() *cobra.Command {
	var env []string
	cmd := &cobra.Command{
		Use:   "exec [-e KEY=VALUE]... LAB HOST [--] COMMAND [ARG]...",
		Short: "Run a command inside a host of a lab that is up (wirelab up)",
		Long: `exec runs COMMAND inside HOST of a lab that 'wirelab up' keeps up: in the host's
network namespace, where the lab's names resolve (/etc/hosts is the lab's), with
the same file and network isolation as a submission. LAB is the name the lab is
up as (its id, or up's --name), or its folder.

Standard input, output and error are passed through, and exec exits with the
command's status (128+N when signal N killed it). When standard input is a
terminal the command gets a terminal of its own: a shell has job control, and
Ctrl-C reaches the command, not exec (130 when the command dies of it).
Without a terminal, SIGINT, SIGTERM, SIGHUP and SIGQUIT exec gets are passed
on to the command's processes.

The command sees the current folder as its working directory, /submission, a
private copy: 'python3 client.py' runs the client.py of the folder exec is run
from, and files it writes stay in the copy (redirect standard output to keep
something). It reaches the lab's hosts and nothing else. PATH is
/usr/local/bin:/usr/bin:/bin, HOME is /tmp; -e adds variables, TERM comes along
with a terminal. The command 'wirelab' is this wirelab (mounted at
/opt/wirelab, on the PATH too when the binary is named wirelab), so
'wirelab script client.lua' and 'wirelab capture' work inside a host.

Exit status: the command's; 125 when exec itself failed (the lab is not up, the
host does not exist), 126 when the command could not start, 127 when it was not
found.`,
		Example: `  wirelab exec http-client client -- curl http://www.yahoo.com/
  wirelab exec http-client client -- python3 client.py
  wirelab exec http-client client -- bash
  wirelab exec two-subnets gw -- wirelab capture -i eth0 -c 10

See docs/up.md.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) < 3 || (args[2] == "--" && len(args) < 4) {
				return usagef("exec needs a LAB, a HOST and the COMMAND to run: wirelab exec LAB HOST -- COMMAND [ARG]...")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			argv := args[2:]
			if argv[0] == "--" {
				argv = argv[1:]
			}
			for _, e := range env {
				if k, _, ok := strings.Cut(e, "="); !ok || k == "" {
					return usagef("-e %q: give KEY=VALUE", e)
				}
			}
			fail := func(format string, a ...any) error {
				fmt.Fprintf(cmd.ErrOrStderr(), "error: "+format+"\n", a...)
				return exitCode(execFailed)
			}
			name, err := upName(args[0])
			if err != nil {
				return fail("%v", err)
			}
			socket, err := sandbox.InstanceSocket(name)
			if err != nil {
				return fail("%v", err)
			}
			req := sandbox.ExecRequest{Host: args[1], Argv: argv, Env: env}
			if req.Dir, err = os.Getwd(); err != nil {
				return fail("the current folder: %v", err)
			}
			if os.Getenv("TERM") != "" {
				req.Env = append([]string{"TERM=" + os.Getenv("TERM")}, req.Env...)
			}
			stdin, stdout, stderr, done, err := execFiles(cmd)
			if err != nil {
				return fail("%v", err)
			}
			code, err := sandbox.Exec(socket, req, stdin, stdout, stderr)
			done()
			switch {
			case errors.Is(err, sandbox.ErrNotUp):
				return fail("%s", notUp(name, args[0]))
			case err != nil:
				fmt.Fprintf(cmd.ErrOrStderr(), "error: %v\n", err)
			}
			return exitCode(code)
		},
	}
	cmd.Flags().SetInterspersed(false) // the command's own flags are its
	cmd.Flags().StringArrayVarP(&env, "env", "e", nil, "set a variable for the command, `KEY=VALUE` (repeatable)")
	return cmd
}

// upName is the name of the lab that is up that LAB means: a name as it
// is; a lab folder or file the name of the lab up from that folder (under
// --name or not), else its default name. A folder that is not a lab but
// could be a name is the name: a student's own http-client/ next to the
// lab http-client that is up.
func upName(arg string) (string, error) {
	isName := sandbox.CheckInstanceName(arg) == nil
	if isName {
		if _, err := os.Stat(arg); err != nil {
			return arg, nil
		}
	}
	if _, err := os.Stat(arg); err == nil {
		lab, err := runner.Load(arg)
		if err != nil && isName {
			return arg, nil
		}
		if err != nil {
			return "", fmt.Errorf("%q is not a lab: %w", arg, err)
		}
		name := instanceOf(lab.ID)
		if abs, err := filepath.Abs(lab.Dir); err == nil {
			var from []string
			for _, st := range sandbox.Instances() {
				if st.Path == abs {
					from = append(from, st.Name)
				}
			}
			if len(from) > 0 && !slices.Contains(from, name) {
				name = from[0] // Instances lists by name
			}
		}
		return name, nil
	}
	return "", sandbox.CheckInstanceName(arg)
}

// notUp says why no lab answers as name (LAB as given to exec), and how to
// bring it up. A killed `wirelab up` is told apart, and what it left is
// cleared.
func notUp(name, arg string) string {
	st, held, err := sandbox.ReadState(name)
	switch {
	case err == nil && held:
		return fmt.Sprintf("lab %q is held by %s but its control socket does not answer: it may still be starting; try again in a moment", name, st)
	case err == nil:
		sandbox.ClearStale(name)
		again := "wirelab up " + st.Path
		if st.Path == "" {
			again = "wirelab up " + arg
		}
		if st.Lab != "" && instanceOf(st.Lab) != name {
			again += " --name " + name
		}
		return fmt.Sprintf("lab %q is not up: the wirelab up that kept it (%s) ended without clearing up (killed with SIGKILL, or the machine restarted), and its network ended with it; its leftovers are now removed: start it again with `%s`", name, st, again)
	}
	var names []string
	for _, st := range sandbox.Instances() {
		names = append(names, st.Name)
	}
	now := "no lab is up"
	if len(names) > 0 {
		now = "up now: " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("lab %q is not up (%s): start it with `wirelab up %s` in another terminal", name, now, arg)
}

// execFiles are the command's standard streams: exec's own when they are
// files, else pipes copied to and from them (a test's buffers). done waits
// for the copies.
func execFiles(cmd *cobra.Command) (stdin, stdout, stderr *os.File, done func(), err error) {
	var waits []chan struct{}
	var closers []*os.File
	out := func(w io.Writer) (*os.File, error) {
		if f, ok := w.(*os.File); ok {
			return f, nil
		}
		r, pw, err := os.Pipe()
		if err != nil {
			return nil, err
		}
		c := make(chan struct{})
		go func() {
			io.Copy(w, r)
			r.Close()
			close(c)
		}()
		waits = append(waits, c)
		closers = append(closers, pw)
		return pw, nil
	}
	if f, ok := cmd.InOrStdin().(*os.File); ok {
		stdin = f
	} else {
		r, w, err := os.Pipe()
		if err != nil {
			return nil, nil, nil, nil, err
		}
		go func() {
			io.Copy(w, cmd.InOrStdin())
			w.Close()
		}()
		stdin = r
		closers = append(closers, r)
	}
	if stdout, err = out(cmd.OutOrStdout()); err != nil {
		return nil, nil, nil, nil, err
	}
	if stderr, err = out(cmd.ErrOrStderr()); err != nil {
		return nil, nil, nil, nil, err
	}
	return stdin, stdout, stderr, func() {
		for _, f := range closers {
			f.Close()
		}
		for _, c := range waits {
			<-c
		}
	}, nil
}
