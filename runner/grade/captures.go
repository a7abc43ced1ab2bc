package grade

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// CaptureLanguage is a Submission's Language when it is a recorded capture
// (DiscoverCaptures), graded without running anything.
const CaptureLanguage = "capture"

// OutputFile is the name of the output a capture submission's folder may
// hold beside its capture: what the student's program printed, for output:
// checks.
const OutputFile = "output.txt"

// IsCaptureFile reports whether name is a capture by its extension: .pcap,
// .pcapng or .cap.
func IsCaptureFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".pcap", ".pcapng", ".cap":
		return true
	}
	return false
}

// DiscoverCaptures turns the command line's paths into submissions that are
// recorded captures (the Wireshark-lab assignment: "capture your own HTTP
// exchange and hand it in"): a capture file is a student (its name without
// the extension); a folder holding one capture file (and, if it likes,
// output.txt) is a student (the folder's name); any other folder is a class
// of those. Entry is the capture. A student's folder with no capture, or with
// several, is a Submission with NotGraded set, never left out.
func DiscoverCaptures(paths []string) ([]Submission, error) {
	var subs []Submission
	seen := map[string]string{}
	add := func(s Submission) error {
		if prev, ok := seen[s.ID]; ok {
			return fmt.Errorf("two submissions for student %q: %s and %s (rename one)", s.ID, prev, s.Entry)
		}
		seen[s.ID] = s.Entry
		subs = append(subs, s)
		return nil
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("submission %q: %w", p, err)
		}
		if !st.IsDir() {
			if err := add(captureFile(p)); err != nil {
				return nil, err
			}
			continue
		}
		if s, n, dirs := captureFolder(p); n == 1 && !dirs {
			if err := add(s); err != nil {
				return nil, err
			}
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("submissions folder %q: %w", p, err)
		}
		n := 0
		for _, ent := range ents {
			if strings.HasPrefix(ent.Name(), ".") {
				continue
			}
			q := filepath.Join(p, ent.Name())
			s := captureFile(q)
			if ent.IsDir() {
				s, _, _ = captureFolder(q)
			}
			if err := add(s); err != nil {
				return nil, err
			}
			n++
		}
		if n == 0 {
			return nil, fmt.Errorf("submissions folder %q is empty: it holds no student's capture or folder", p)
		}
	}
	sort.Slice(subs, func(i, j int) bool { return subs[i].ID < subs[j].ID })
	return subs, nil
}

// captureFile is a lone file handed in as a capture.
func captureFile(p string) Submission {
	st, err := os.Lstat(p)
	switch {
	case err != nil:
		return notGraded(p, false, err)
	case !st.Mode().IsRegular():
		return notGraded(p, false, fmt.Errorf("%q is not a regular file (a link or a device is not followed; hand in the file itself)", filepath.Base(p)))
	case !IsCaptureFile(p):
		return notGraded(p, false, fmt.Errorf("%q is not a capture: hand in a .pcap, .pcapng or .cap file (in Wireshark: File > Save As)", filepath.Base(p)))
	}
	return Submission{ID: studentID(p, false), Entry: p, Language: CaptureLanguage}
}

// captureFolder is a student's folder holding a capture: the submission
// (not-graded unless it holds exactly one capture file), how many capture
// files it holds, and whether it holds folders (then, on the command line,
// it is a class).
func captureFolder(p string) (sub Submission, n int, dirs bool) {
	ents, err := os.ReadDir(p)
	if err != nil {
		return notGraded(p, true, err), 0, false
	}
	var caps []string
	for _, e := range ents {
		switch {
		case strings.HasPrefix(e.Name(), "."):
		case e.IsDir():
			dirs = true
		case e.Type().IsRegular() && IsCaptureFile(e.Name()):
			caps = append(caps, e.Name())
		}
	}
	switch len(caps) {
	case 0:
		return notGraded(p, true, fmt.Errorf("the folder holds no capture (.pcap, .pcapng or .cap): hand in the capture file")), 0, dirs
	case 1:
		return Submission{ID: studentID(p, true), Entry: filepath.Join(p, caps[0]), Dir: p, Language: CaptureLanguage}, 1, dirs
	}
	return notGraded(p, true, fmt.Errorf("the folder holds %d captures (%s): hand in one", len(caps), strings.Join(caps, ", "))), len(caps), dirs
}
