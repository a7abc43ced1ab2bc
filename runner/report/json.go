package report

import (
	"encoding/json"
	"io"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// writeJSON writes the Result itself, indented, as the versioned JSON shape.
func writeJSON(w io.Writer, res *result.Result, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
