package cli

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/lualib/api"
)

func init() { register(newLuaAPICmd) }

func newLuaAPICmd() *cobra.Command {
	var module string
	cmd := &cobra.Command{
		Use:   "lua-api",
		Short: "Print the Lua API definitions for your editor (LuaLS ---@meta)",
		Long: `lua-api prints the definitions of every wirelab Lua module (socket, scan,
banner, capture, lab) as one file for the Lua language server, so your editor
completes functions and shows their documentation:

  wirelab lua-api > wirelab.lua      # keep it in your workspace folder

--module prints one module's file alone.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
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
