// Package labs is the lab catalogue that ships with wirelab: each lab a folder
// holding lab.yaml, a reference solution (solution.lua), the task as a student
// reads it (README.md) and graded wrong submissions under
// testdata/submissions/. The folders are embedded, so the catalogue is listed
// (and can be copied out) from any directory.
package labs

import (
	"crypto/sha256"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"

	"go.yaml.in/yaml/v3"
)

// files holds every lab folder. The patterns name what a lab is made of; a new
// kind of file a lab needs (a page, a capture) gets its own pattern here.
//
//go:embed */lab.yaml */*.lua */README.md */*.pcapng */testdata/reference.* */testdata/submissions/*
var files embed.FS

// FS returns the catalogue as a file system: one folder per lab at its root.
func FS() fs.FS { return files }

// Lab is one catalogue entry, as `wirelab labs` lists it.
type Lab struct {
	Name   string  // the lab's id and folder name, e.g. "http-client"
	Title  string  // one line
	Points float64 // the sum of its checks' points
	Dir    string  // the folder in the source tree, e.g. "labs/http-client"
}

// header is the part of lab.yaml the listing needs. The full schema, with
// validation, is runner.Load's; this reads only the id, the title and the
// points, so that listing never fails on a lab the loader would accept.
type header struct {
	Lab    string `yaml:"lab"`
	Title  string `yaml:"title"`
	Checks []struct {
		Points *float64 `yaml:"points"`
	} `yaml:"checks"`
}

// defaultPoints is what a check without `points:` is worth (runner.DefaultPoints).
const defaultPoints = 1.0

// List returns the catalogue, sorted by name.
func List() ([]Lab, error) { return list(files, "labs") }

func list(fsys fs.FS, root string) ([]Lab, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, err
	}
	var out []Lab
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(e.Name(), "lab.yaml"))
		if err != nil {
			continue // not a lab folder
		}
		var h header
		if err := yaml.Unmarshal(data, &h); err != nil {
			return nil, fmt.Errorf("%s/%s/lab.yaml: %w", root, e.Name(), err)
		}
		l := Lab{Name: h.Lab, Title: h.Title, Dir: path.Join(root, e.Name())}
		if l.Name == "" {
			l.Name = e.Name()
		}
		for _, c := range h.Checks {
			if c.Points != nil {
				l.Points += *c.Points
			} else {
				l.Points += defaultPoints
			}
		}
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Get returns the catalogue entry named name.
func Get(name string) (Lab, bool) {
	all, err := List()
	if err != nil {
		return Lab{}, false
	}
	for _, l := range all {
		if l.Name == name {
			return l, true
		}
	}
	return Lab{}, false
}

// Extract writes the built-in lab name (its lab.yaml, scripts, README,
// captures and recorded submissions) into a folder of its own under parent and
// returns that folder. The folder is named after the lab and a hash of its
// files, so extracting the same lab again reuses it, and a newer binary's lab
// never mixes with an older one's.
//
// A folder is reused only when it and parent belong to the caller and nobody
// else may write to them: a lab planted by another user in a shared folder
// would otherwise run as whoever asked for the built-in lab. Where that cannot
// be shown, the lab is extracted afresh into a private temporary folder.
func Extract(name, parent string) (string, error) {
	l, ok := Get(name)
	if !ok {
		return "", fmt.Errorf("no built-in lab %q", name)
	}
	sub, err := fs.Sub(files, path.Base(l.Dir))
	if err != nil {
		return "", err
	}
	h := sha256.New()
	err = fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(sub, p)
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(b))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	fresh := func() (string, error) { // a private folder, never reused
		tmp, err := os.MkdirTemp("", "wirelab-lab-"+name+"-")
		if err != nil {
			return "", err
		}
		if err := os.CopyFS(tmp, sub); err != nil {
			os.RemoveAll(tmp)
			return "", err
		}
		return tmp, nil
	}
	if err := os.MkdirAll(parent, 0o700); err != nil || !private(parent) {
		return fresh()
	}
	dir := filepath.Join(parent, fmt.Sprintf("%s-%x", name, h.Sum(nil)[:6]))
	if _, err := os.Lstat(dir); err == nil {
		if private(dir) && fileExists(filepath.Join(dir, "lab.yaml")) {
			return dir, nil
		}
		return fresh()
	}
	tmp, err := os.MkdirTemp(parent, "."+name+"-")
	if err != nil {
		return "", err
	}
	if err := os.CopyFS(tmp, sub); err != nil {
		os.RemoveAll(tmp)
		return "", err
	}
	// Another process of ours may have extracted the same lab meanwhile:
	// theirs is as good as ours.
	if err := os.Rename(tmp, dir); err != nil {
		os.RemoveAll(tmp)
		if private(dir) && fileExists(filepath.Join(dir, "lab.yaml")) {
			return dir, nil
		}
		return fresh()
	}
	return dir, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}
