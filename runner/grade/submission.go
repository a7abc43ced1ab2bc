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

	"github.com/wirelab-dev/wirelab/runner"
)

// Submission is one student's work: a file or a folder, resolved against the
// lab (runner.Lab.Resolve): its language, or why the lab cannot run it.
type Submission struct {
	ID string // the student: the file name without its extension, or the folder name
	// Entry is what a run is handed: the Lua script (a folder's entry file),
	// or the program's file or folder.
	Entry string
	Dir   string // the submission's folder ("" for a lone file); its files are hashed
	// Language is the lab's language for it; "" when it is not graded.
	Language string
	// NotGraded says why the submission cannot be run (a file of no language
	// wirelab knows, one the lab does not accept): it gets a row of its own,
	// status not-graded, with this reason.
	NotGraded string
}

// maxHashed bounds what hashing reads of one submission or lab folder, so a
// hostile submission of huge files cannot stall the grader.
const maxHashed = 64 << 20

// Discover turns the command line's paths into submissions. A path is a
// submission (a file, or a folder that is one by its names: a Makefile, the
// lab's file name, main.EXT), or else a folder of them (a class), where every
// file and folder is a student's (but dot-folders, and dot-files the lab
// cannot run): a folder with a single program file is one too. What the lab cannot run is a Submission with
// NotGraded set, never left out. A student id used twice (alice.lua and
// alice.py) is one NotGraded submission naming both paths. Names are made safe where they are stored (FolderName) and
// printed.
func Discover(paths []string, lab *runner.Lab) (subs []Submission, err error) {
	// A student with two submissions (alice.lua and alice.py) is one row,
	// not graded, naming both: which one counts is the student's to say, and
	// the rest of the class is graded all the same.
	seen := map[string]int{}         // student → index in subs
	sources := map[string][]string{} // student → the paths handed in
	for _, p := range paths {
		found, err := discoverOne(p, lab)
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			src := s.Entry
			if s.Dir != "" {
				src = s.Dir
			}
			sources[s.ID] = append(sources[s.ID], src)
			i, dup := seen[s.ID]
			if !dup {
				seen[s.ID] = len(subs)
				subs = append(subs, s)
				continue
			}
			srcs := sources[s.ID]
			subs[i] = Submission{ID: s.ID, Entry: srcs[0], NotGraded: fmt.Sprintf("%d submissions for student %q: %s; hand in one of them (rename or remove the others)", len(srcs), s.ID, strings.Join(srcs, ", "))}
		}
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].ID < subs[j].ID })
	return subs, nil
}

func discoverOne(p string, lab *runner.Lab) ([]Submission, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("submission %q: %w", p, err)
	}
	if !st.IsDir() {
		return []Submission{resolve(p, lab)}, nil
	}
	e, ok, err := lab.ResolveFolder(p)
	switch {
	case ok && err == nil:
		return []Submission{entrySubmission(p, e)}, nil
	case ok:
		return []Submission{notGraded(p, true, err)}, nil
	}
	// A class: every file and folder inside but dot-files.
	ents, err := os.ReadDir(p)
	if err != nil {
		return nil, fmt.Errorf("submissions folder %q: %w", p, err)
	}
	var subs []Submission
	for _, ent := range ents {
		sub := resolve(filepath.Join(p, ent.Name()), lab)
		// A dot-folder (.git) or a dot-file of no language (.DS_Store) is
		// the class folder's, not a student's; .alice.lua is graded.
		if strings.HasPrefix(ent.Name(), ".") && (ent.IsDir() || sub.NotGraded != "") {
			continue
		}
		subs = append(subs, sub)
	}
	if len(subs) == 0 {
		return nil, fmt.Errorf("submissions folder %q is empty: it holds no student's file or folder", p)
	}
	return subs, nil
}

// resolve makes one student's submission of a file or folder.
func resolve(p string, lab *runner.Lab) Submission {
	st, err := os.Lstat(p)
	if err != nil {
		return notGraded(p, false, err)
	}
	e, err := lab.Resolve(p)
	if err != nil || (!st.IsDir() && !st.Mode().IsRegular()) {
		if err == nil {
			err = fmt.Errorf("%q is not a regular file (a link or a device is not followed; hand in the file itself)", filepath.Base(p))
		}
		return notGraded(p, st.IsDir(), err)
	}
	return entrySubmission(p, e)
}

func entrySubmission(p string, e *runner.Entry) Submission {
	s := Submission{ID: studentID(p, e.Dir != ""), Dir: e.Dir, Language: e.Language.Name, Entry: e.Path}
	if e.Language.IsLua() {
		s.Entry = e.File // the script itself, as before programs
	}
	return s
}

func notGraded(p string, dir bool, err error) Submission {
	s := Submission{ID: studentID(p, dir), Entry: p, NotGraded: err.Error()}
	if dir {
		s.Dir = p
	}
	return s
}

// studentID is a file's name without its extension, or a folder's name.
func studentID(p string, dir bool) string {
	base := filepath.Base(filepath.Clean(p))
	if dir {
		return base
	}
	if ext := filepath.Ext(base); ext != base {
		return strings.TrimSuffix(base, ext)
	}
	return base
}

// Hash is the submission's content hash: of the file, or of every file in the
// folder (names and contents, in name order). A link or a device handed in
// is hashed by what it is, never followed.
func (s Submission) Hash() (string, error) {
	if s.Dir == "" {
		st, err := os.Lstat(s.Entry)
		if err != nil {
			return "", err
		}
		if !st.Mode().IsRegular() {
			target, _ := os.Readlink(s.Entry)
			sum := sha256.Sum256([]byte(fmt.Sprintf("not a file\x00%v\x00%s", st.Mode(), target)))
			return hex.EncodeToString(sum[:]), nil
		}
		h := sha256.New()
		if err := hashFile(h, s.Entry, new(int64)); err != nil {
			return "", err
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
	return hashTree(s.Dir, nil)
}

// hashTree hashes the regular files under dir (names and contents, in name
// order), leaving out dot-files and the folders skip names.
func hashTree(dir string, skip map[string]bool) (string, error) {
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
