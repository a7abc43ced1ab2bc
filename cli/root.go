// Package cli holds the wirelab commands: one file per command, each owning its
// flags, its exit codes and the choice of output. Packet, Lua and lab internals live
// in capture, lualib and runner.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wirelab-dev/wirelab/internal/words"
)

// Exit codes shared by the commands.
const (
	ExitOK     = 0 // the command did what it was asked, every check passed
	ExitFailed = 1 // it ran, and something did not pass (a check, a lint)
	ExitError  = 2 // it could not do its work (bad usage, unreadable input)
	// ExitRetry: the machine or the lab failed, not the submission (a run
	// graded lab-error, a submission the sandbox could not run, missing
	// shards): what was graded is written; run the same command again to
	// retry the rest (after fixing the lab, for a lab error).
	ExitRetry = 3
)

// exitError carries an exit code through cobra without printing anything more:
// the command already told the user what happened.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exitCode returns err as an error that makes Main exit with code, printing nothing.
func exitCode(code int) error {
	if code == ExitOK {
		return nil
	}
	return exitError{code}
}

// usageError marks an error as the user's mistake in calling the command, so that
// Main adds a hint to read the command's help.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// commands is the registry of subcommands, in the order help lists them. Each
// command file adds its constructor here through register, called from init.
var commands []func() *cobra.Command

func register(c func() *cobra.Command) { commands = append(commands, c) }

// newRoot builds the wirelab command tree.
func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "wirelab",
		Short: "Scriptable network labs: build a private network, run a script, capture every packet, grade it",
		Long: `wirelab runs network labs. A lab is a YAML file plus Lua scripts: it builds a
small private network with services, runs a script against it while capturing
every packet, and grades what happened against expected packet sequences, the
script's output and checks written in Lua.

Start with:  wirelab labs            (the catalogue)
             wirelab run labs/http-client
Docs:        docs/ in the source tree, or https://github.com/wirelab-dev/wirelab`,
		SilenceUsage:  true,
		SilenceErrors: true,
		// Runnable so that an unknown command reaches rootArgs; with no
		// command it shows the help, as a root without Run does.
		Args:                       rootArgs,
		SuggestionsMinimumDistance: 2,
		Version:                    version(),
		RunE:                       func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.CompletionOptions.HiddenDefaultCmd = true
	root.SetVersionTemplate("wirelab {{.Version}} (" + runtime.Version() + ")\n")
	for _, c := range commands {
		cmd := c()
		if labArgs[cmd.Name()] && cmd.ValidArgsFunction == nil {
			cmd.ValidArgsFunction = completeLab
		}
		root.AddCommand(cmd)
	}
	// Now, not at Execute, so that Find and the docs test see them.
	root.InitDefaultCompletionCmd()
	root.InitDefaultVersionFlag()
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	return root
}

// Run executes the command line args and returns the process exit code. It is
// what tests call.
func Run(args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return ExitOK
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintf(stderr, "error: %s\n", err)
	var ue usageError
	if errors.As(err, &ue) {
		c, _, ferr := root.Find(args)
		if ferr != nil || c == nil {
			c = root
		}
		if c != root {
			fmt.Fprintf(stderr, "usage: %s\n", c.UseLine())
		}
		fmt.Fprintf(stderr, "Run '%s --help' for more.\n", c.CommandPath())
	}
	return ExitError
}

// Main is Run on the process's own streams.
func Main(args []string) int { return Run(args, os.Stdout, os.Stderr) }

// The positional-argument validators every command uses in Args:. They say
// the count the way the rest of wirelab says things and mark the mistake as
// usage, so Run adds the usage line; cobra's own validators' wording is theirs.

func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usagef("expected %d %s, got %d", n, words.Plural(n, "argument", "arguments"), len(args))
		}
		return nil
	}
}

func minArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usagef("expected at least %d %s, got %d", n, words.Plural(n, "argument", "arguments"), len(args))
		}
		return nil
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("%s takes no arguments, got %q", cmd.CommandPath(), args[0])
	}
	return nil
}

// rootArgs is the root's validator: an argument that names no subcommand is an
// unknown command, with cobra's suggestions of the nearest names.
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		msg += " (did you mean " + strings.Join(s, ", ") + "?)"
	}
	return usageError{errors.New(msg)}
}
