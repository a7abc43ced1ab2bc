// Package testcorpus finds the shared test corpus, the real captures wirelab's
// tests read (captures/http-get.pcap, and tcpdump's regression captures in
// tcpdump-tests/): the folder shared/corpus beside the repository, or the
// folder $WIRELAB_CORPUS names. A missing corpus fails the test, with the way
// to get it, so that a fresh clone tests as strictly as CI: a test that skipped
// would pass on a machine that never ran it. Only tests import this package.
package testcorpus

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// env names a corpus folder other than ../shared/corpus.
const env = "WIRELAB_CORPUS"

// how is what a missing corpus's error says to do.
const how = `wirelab's tests read real captures from ../shared/corpus beside the
repository (or the folder $WIRELAB_CORPUS names): captures/http-get.pcap and
tcpdump-tests/ (the .pcap and .pcapng files of tcpdump's tests/ folder:
git clone --depth 1 https://github.com/the-tcpdump-group/tcpdump and copy
tcpdump/tests/*.pcap* there); README.md, "Running the tests", says more`

// Dir returns the corpus folder, failing t when it does not exist.
func Dir(t testing.TB) string {
	t.Helper()
	dir, err := find()
	if err == nil {
		_, err = os.Stat(dir)
	}
	if err != nil {
		t.Fatalf("the test corpus is missing: %v\n%s", err, how)
	}
	return dir
}

// Path returns the file or folder rel inside the corpus, failing t when it
// does not exist.
func Path(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(Dir(t), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("the test corpus has no %s: %v\n%s", rel, err, how)
	}
	return p
}

// find returns where the corpus should be: $WIRELAB_CORPUS, or shared/corpus
// beside the folder holding go.mod above the working directory.
func find() (string, error) {
	if d := os.Getenv(env); d != "" {
		return filepath.Abs(d)
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared", "corpus"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the test's folder")
		}
		dir = parent
	}
}
