package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/lualib"
)

func init() { register(newScriptCmd) }

func newScriptCmd() *cobra.Command {
	var (
		labPath string
		out     string
		timeout time.Duration
	)
	cmd := &cobra.Command{
		Use:   "script FILE.lua [--lab LAB] [-- ARGS...]",
		Short: "Run a Lua script with the wirelab library (socket, scan, banner, capture, lab)",
		Long: `script runs a Lua file with the wirelab library loaded: LuaSocket's socket
module, scan, banner, capture and lab. Without --lab it runs on this machine's own
network, with the system resolver, as a student practising against their own
machine expects. Arguments after -- reach the script as arg[1..n] (arg[0] is the
script's path). Ctrl-C stops the script; --timeout bounds it.`,
		Args: minArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := args[0]
			if dash := cmd.ArgsLenAtDash(); dash > 1 || dash == 0 {
				return usagef("one script file is expected before --, got %d arguments", max(dash, 0))
			} else if dash < 0 && len(args) > 1 {
				return usagef("script arguments go after --: wirelab script %s -- %s", file, args[1])
			}
			if _, err := os.Stat(file); err != nil {
				return fmt.Errorf("cannot read script %q: %w", file, errors.Unwrap(err))
			}
			if labPath != "" {
				return runScriptInLab(cmd, labPath, file, args[1:], timeout, out)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, timeout)
				defer cancel()
			}
			st, err := lualib.NewState(&lualib.Env{
				Ctx:    ctx,
				Stdout: cmd.OutOrStdout(),
				Dirs:   []string{filepath.Dir(file)},
			})
			if err != nil {
				return err
			}
			defer st.Close()
			st.SetArgs(file, args[1:])
			if err := st.DoFile(file); err != nil {
				switch {
				case errors.Is(ctx.Err(), context.DeadlineExceeded):
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: stopped after the %s timeout\n", file, timeout)
				case ctx.Err() != nil:
					fmt.Fprintf(cmd.ErrOrStderr(), "%s: interrupted\n", file)
				default:
					fmt.Fprintln(cmd.ErrOrStderr(), err)
				}
				return exitCode(ExitFailed)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&labPath, "lab", "", "run inside this lab's network, with its hosts and services, in the sandbox")
	cmd.Flags().StringVar(&out, "out", "", "with --lab: keep the run's artifacts (capture, output, events, services log) in this folder (default: a temporary folder, removed after the run)")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "stop the script after this long (default: no limit)")
	return cmd
}
