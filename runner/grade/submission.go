package grade

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Submission is one student's work: a Lua file, or a folder whose entry file is
// the lab's submission file name (else main.lua).
type Submission struct {
	ID    string // the student: the file name without .lua, or the folder name
	Entry string // the Lua file to run
	Dir   string // the submission's folder ("" for a lone file); its files are hashed
}

// maxHashed bounds what hashing reads of one submission or lab folder, so a
// hostile submission of huge files cannot stall the grader.
const maxHashed = 64 << 20

// Skip is a path inside a class folder that looked like a submission but is
// not graded, and why: a student who named the file differently, or handed in
// a link, would otherwise vanish from the summary without a word.
type Skip struct {
	Path string
	Why  string
}

// Discover turns the command line's paths into submissions. A path is a .lua
// file, a folder holding entry (a submission), or a folder of those (a class).
// Student ids must be unique; a clash names both paths. Every submission is
// graded whatever its name (dot-files too): names are made safe where they are
// stored (FolderName) and printed.
//
// skipped lists what inside a class folder is not graded: folders that hold
// neither entry nor main.lua (except dot-folders, a .git say), and .lua
// entries that are not regular files.
func Discover(paths []string, entry string) (subs []Submission, skipped []Skip, err error) {
	seen := map[string]string{}
	add := func(s Submission) error {
		src := s.Entry
		if s.Dir != "" {
			src = s.Dir
		}
		if prev, ok := seen[s.ID]; ok {
			return fmt.Errorf("two submissions for student %q: %s and %s (rename one)", s.ID, prev, src)
		}
		seen[s.ID] = src
		subs = append(subs, s)
		return nil
	}
	for _, p := range paths {
		found, skip, err := discoverOne(p, entry)
		if err != nil {
			return nil, nil, err
		}
		skipped = append(skipped, skip...)
		for _, s := range found {
			if err := add(s); err != nil {
				return nil, nil, err
			}
		}
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].ID < subs[j].ID })
	sort.Slice(skipped, func(i, j int) bool { return skipped[i].Path < skipped[j].Path })
	return subs, skipped, nil
}

func discoverOne(p, entry string) (subs []Submission, skipped []Skip, err error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, fmt.Errorf("submission %q: %w", p, err)
	}
	if !st.IsDir() {
		if !strings.HasSuffix(p, ".lua") {
			return nil, nil, fmt.Errorf("submission %q: not a .lua file or a folder", p)
		}
		return []Submission{fileSubmission(p)}, nil, nil
	}
	if s, ok := folderSubmission(p, entry); ok {
		return []Submission{s}, nil, nil
	}
	// A class: every .lua file and every folder with an entry file inside.
	ents, err := os.ReadDir(p)
	if err != nil {
		return nil, nil, fmt.Errorf("submissions folder %q: %w", p, err)
	}
	for _, e := range ents {
		child := filepath.Join(p, e.Name())
		switch {
		case e.IsDir():
			if s, ok := folderSubmission(child, entry); ok {
				subs = append(subs, s)
			} else if !strings.HasPrefix(e.Name(), ".") {
				skipped = append(skipped, Skip{child, fmt.Sprintf("it holds neither %s nor main.lua as a file (rename the student's file, or pass it as FOLDER/FILE.lua)", entry)})
			}
		case strings.HasSuffix(e.Name(), ".lua") && e.Type().IsRegular():
			subs = append(subs, fileSubmission(child))
		case strings.HasSuffix(e.Name(), ".lua"):
			skipped = append(skipped, Skip{child, "not a regular file (a link or a device is not followed; hand in the file itself)"})
		}
	}
	if len(subs) == 0 {
		return nil, nil, fmt.Errorf("submissions folder %q holds no .lua file and no folder with %s or main.lua in it", p, entry)
	}
	return subs, skipped, nil
}

func fileSubmission(p string) Submission {
	return Submission{ID: strings.TrimSuffix(filepath.Base(p), ".lua"), Entry: p}
}

// folderSubmission reports whether dir is one submission: it holds the lab's
// entry file name, or main.lua, as a regular file. A link is not followed: a
// student's solution.lua pointing at /etc/shadow would be read by the grader
// (require refuses such links too).
func folderSubmission(dir, entry string) (Submission, bool) {
	for _, name := range []string{entry, "main.lua"} {
		if name == "" {
			continue
		}
		f := filepath.Join(dir, name)
		if st, err := os.Lstat(f); err == nil && st.Mode().IsRegular() {
			return Submission{ID: filepath.Base(filepath.Clean(dir)), Entry: f, Dir: dir}, true
		}
	}
	return Submission{}, false
}

// Hash is the submission's content hash: of the file, or of every file in the
// folder (names and contents, in name order).
func (s Submission) Hash() (string, error) {
	if s.Dir == "" {
		h := sha256.New()
		if err := hashFile(h, s.Entry, new(int64)); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	return HashTree(s.Dir, nil)
}

// HashTree hashes the regular files under dir (names and contents, in name
// order), leaving out dot-files and the folders skip names.
func HashTree(dir string, skip map[string]bool) (string, error) {
	h := sha256.New()
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if p != dir && (strings.HasPrefix(d.Name(), ".") || (d.IsDir() && skip[rel])) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		fmt.Fprintf(h, "%s\x00", filepath.ToSlash(rel))
		return hashFile(h, p, &total)
	})
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h io.Writer, p string, total *int64) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	n, err := io.Copy(h, io.LimitReader(f, maxHashed-*total+1))
	*total += n
	if err != nil {
		return err
	}
	if *total > maxHashed {
		return fmt.Errorf("%s: more than %d MiB to hash", p, maxHashed>>20)
	}
	return nil
}
