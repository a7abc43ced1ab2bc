package report

import (
	"encoding/json"
	"io"

	"github.com/wirelab-dev/wirelab/runner"
)

// writeJSON writes the Result itself, indented, as the versioned JSON shape.
func writeJSON(w io.Writer, res *runner.Result, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
