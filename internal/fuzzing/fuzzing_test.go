package fuzzing

import (
	"bufio"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// FuzzSteadyFlag: Steady bounds the shrinking time, or leaves the one the
// command line gave. (A fuzz target, so that Steady has its *testing.F.)
func FuzzSteadyFlag(f *testing.F) {
	fl := flag.Lookup("test.fuzzminimizetime")
	before := fl.Value.String()
	given := false
	flag.Visit(func(v *flag.Flag) { given = given || v.Name == "test.fuzzminimizetime" })
	Steady(f)
	want := minimizeTime
	if given {
		want = before
	}
	if got := fl.Value.String(); got != want {
		f.Fatalf("-fuzzminimizetime is %s after Steady (was %s, given %v), want %s", got, before, given, want)
	}
	f.Add(0)
	f.Fuzz(func(t *testing.T, _ int) {})
}

// TestSteadyGiven: a -fuzzminimizetime on the command line wins.
func TestSteadyGiven(t *testing.T) {
	if os.Getenv("WIRELAB_FUZZING_CHILD") != "" {
		t.Skip("the child runs FuzzSteadyFlag only")
	}
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"-test.run", "^FuzzSteadyFlag$"},
		{"-test.run", "^FuzzSteadyFlag$", "-test.fuzzminimizetime", "7s"},
	} {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(), "WIRELAB_FUZZING_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
}

// TestEveryTargetSteady: each fuzz target of the module calls Steady first.
func TestEveryTargetSteady(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	target := regexp.MustCompile(`^func (Fuzz\w*)\(f \*testing\.F\) \{$`)
	n := 0
	err = filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != root || p == filepath.Join(root, "internal", "fuzzing")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, "_test.go") {
			return nil
		}
		fh, err := os.Open(p)
		if err != nil {
			return err
		}
		defer fh.Close()
		sc := bufio.NewScanner(fh)
		name, line := "", 0
		for sc.Scan() {
			line++
			if m := target.FindStringSubmatch(sc.Text()); m != nil {
				name, n = m[1], n+1
				continue
			}
			if name != "" {
				if !strings.Contains(sc.Text(), "Steady(f)") {
					rel, _ := filepath.Rel(root, p)
					t.Errorf("%s:%d: %s does not start with fuzzing.Steady(f)", rel, line, name)
				}
				name = ""
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 15 {
		t.Errorf("found %d fuzz targets; the module has more", n)
	}
}
