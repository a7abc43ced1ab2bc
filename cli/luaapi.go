package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/lualib/api"
)

func init() { register(newLuaAPICmd) }

func newLuaAPICmd() *cobra.Command {
	var module, dir string
	cmd := &cobra.Command{
		Use:   "lua-api",
		Short: "Print the Lua API definitions for your editor (LuaLS ---@meta)",
		Long: `lua-api prints the definitions of every wirelab Lua module (socket, scan,
banner, capture, lab) as one file for the Lua language server, so your editor
completes functions and shows their documentation:

  wirelab lua-api > wirelab.lua      # keep it in your workspace folder

--module prints one module's file alone. --dir writes one file per module
(socket.lua, scan.lua, ...) into a folder; point Lua.workspace.library at it and
` + "`local socket = require(\"socket\")`" + ` is typed too.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if dir != "" {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
				for _, m := range api.Modules {
					src, _ := api.File(m)
					p := filepath.Join(dir, m+".lua")
					if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
						return err
					}
					fmt.Fprintln(cmd.OutOrStdout(), p)
				}
				return nil
			}
			if module != "" {
				src, ok := api.File(module)
				if !ok {
					return usagef("no module %q (known: %s)", module, joinQuoted(api.Modules))
				}
				io.WriteString(cmd.OutOrStdout(), src)
				return nil
			}
			io.WriteString(cmd.OutOrStdout(), api.All())
			return nil
		},
	}
	cmd.Flags().StringVar(&module, "module", "", "print only this module's definitions")
	cmd.Flags().StringVar(&dir, "dir", "", "write one definition file per module into this folder")
	return cmd
}

func joinQuoted(names []string) string {
	s := ""
	for i, n := range names {
		if i > 0 {
			s += ", "
		}
		s += `"` + n + `"`
	}
	return s
}
