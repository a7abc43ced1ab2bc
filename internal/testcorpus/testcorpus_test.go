package testcorpus

import (
	"bufio"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// failT records a Fatalf instead of stopping the test.
type failT struct {
	testing.TB
	msg string
}

func (f *failT) Helper() {}
func (f *failT) Fatalf(format string, args ...any) {
	if f.msg == "" {
		f.msg = fmt.Sprintf(format, args...)
	}
}

// A missing corpus fails the test and says where to get it.
func TestMissingCorpusFails(t *testing.T) {
	t.Setenv(env, filepath.Join(t.TempDir(), "nowhere"))
	for _, call := range []func(testing.TB){
		func(tb testing.TB) { Dir(tb) },
		func(tb testing.TB) { Path(tb, "captures/http-get.pcap") },
	} {
		f := &failT{TB: t}
		call(f)
		if !strings.Contains(f.msg, "the test corpus is missing") || !strings.Contains(f.msg, "tcpdump/tests") || !strings.Contains(f.msg, env) {
			t.Errorf("a missing corpus said %q", f.msg)
		}
	}
	dir := t.TempDir()
	t.Setenv(env, dir)
	f := &failT{TB: t}
	if got := Dir(f); got != dir || f.msg != "" {
		t.Errorf("Dir = %q (%q), want %q", got, f.msg, dir)
	}
	Path(f, "captures/nope.pcap")
	if !strings.Contains(f.msg, "the test corpus has no captures/nope.pcap") {
		t.Errorf("a missing corpus file said %q", f.msg)
	}
}

// No test in the module skips when the corpus is absent: a fresh clone tests
// as strictly as CI. (A helper that finds the corpus itself, and skips, is
// what this catches.)
func TestNoTestSkipsWithoutCorpus(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	skip := regexp.MustCompile(`\.Skip(f|Now)?\(`)
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "testcorpus_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			if skip.MatchString(line) && strings.Contains(strings.ToLower(line), "corpus") {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d: skips without the corpus (use internal/testcorpus, which fails): %s", rel, n, strings.TrimSpace(line))
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
}
