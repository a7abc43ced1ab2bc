package runner

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

// MaxLabSize bounds the lab file a loader reads.
const MaxLabSize = 1 << 20

// Load reads, validates and compiles the lab at path: a lab.yaml file, or a folder
// holding one. Every problem is reported at once, as an ErrorList sorted by
// position; an unreadable file is a plain error.
func Load(path string) (*Lab, error) {
	file := path
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		file = filepath.Join(path, "lab.yaml")
		if _, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
			if _, err2 := os.Stat(filepath.Join(path, "lab.yml")); err2 == nil {
				file = filepath.Join(path, "lab.yml")
			}
		}
	}
	f, err := openLabFile(file)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no lab at %q: %w", path, fs.ErrNotExist)
		}
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxLabSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if len(data) > MaxLabSize {
		return nil, fmt.Errorf("%s: lab file is larger than %d bytes", file, MaxLabSize)
	}
	return Parse(file, data)
}

// Parse validates and compiles a lab file's bytes. path names the file in
// messages, and its folder is where relative paths resolve.
func Parse(path string, data []byte) (*Lab, error) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		dir = filepath.Dir(path)
	}
	sum := sha256.Sum256(data)
	d := &decoder{Decoder: yamlx.NewDecoder(path, data), dir: dir}
	lab := &Lab{Path: path, Dir: dir, SHA256: hex.EncodeToString(sum[:]), Version: 1, Limits: Limits{Timeout: DefaultTimeout}}

	root := d.Parse(data, "the lab file is empty: start with `lab: NAME` and a `checks:` list (see docs/lab-format.md)")
	if root == nil {
		return nil, d.Errs
	}
	d.lab(root, lab)
	d.compile(lab)
	d.Errs.Sort()
	if len(d.Errs) > 0 {
		return nil, d.Errs
	}
	return lab, nil
}

// decoder walks the YAML node tree of one lab file, collecting every problem.
type decoder struct {
	*yamlx.Decoder
	dir string

	luaFiles map[string]*luaChunk // lab Lua files parsed so far, by absolute path
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}
