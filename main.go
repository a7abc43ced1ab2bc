// Command wirelab runs scriptable network labs: it builds a small private network,
// runs a Lua script against its services while capturing every packet, and grades
// what happened. See README.md and docs/.
package main

import (
	"os"

	"github.com/wirelab-dev/wirelab/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:]))
}
