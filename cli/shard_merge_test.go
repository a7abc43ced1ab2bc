package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/runner/grade"
)

// TestShardKillRetryMerge grades a class as 3 shards in parallel processes,
// kills one midway (kill -9), merges (its shard is named missing, exit 3),
// retries it into a new folder, duplicates another, and merges again: the
// summary equals a single-machine grade of the same class, row for row, with
// the retried students' newer results kept and said.
func TestShardKillRetryMerge(t *testing.T) {
	needSandbox(t)
	if testing.Short() {
		t.Skip("-short: grades a class twice")
	}
	lab := "../labs/http-client"
	class := t.TempDir()
	subs, _ := filepath.Glob("../labs/http-client/testdata/submissions/*.lua")
	subs = append(subs, "../labs/http-client/solution.lua")
	var all []grade.Submission
	for _, s := range subs {
		for _, p := range []string{"a-", "b-"} {
			id := p + strings.TrimSuffix(filepath.Base(s), ".lua")
			copyFile(t, s, filepath.Join(class, id+".lua"))
			all = append(all, grade.Submission{ID: id})
		}
	}
	if n := len(grade.Shard{K: 2, N: 3}.Select(all)); n < 2 {
		t.Fatalf("shard 2/3 holds %d students: the kill needs 2 or more", n)
	}
	tmp := t.TempDir()
	single := filepath.Join(tmp, "single")
	if code, out, errs := run("grade", lab, class, "--out", single, "--jobs", "2"); code != ExitOK {
		t.Fatalf("single-machine grade: exit %d\n%s%s", code, out, errs)
	}

	wirelab := func(args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), asWirelab+"=1")
		return cmd
	}
	shard := func(k string) string { return filepath.Join(tmp, "shard"+k) }
	var procs []*exec.Cmd
	var victim *exec.Cmd
	var victimErr *bufio.Scanner
	for _, k := range []string{"1", "2", "3"} {
		cmd := wirelab("grade", lab, class, "--shard", k+"/3", "--jobs", "1", "--out", shard(k))
		if k == "2" {
			pipe, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			victim, victimErr = cmd, bufio.NewScanner(pipe)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		procs = append(procs, cmd)
	}
	// Shard 2 dies once its first student is graded: the rest are in flight
	// or not started, and it never completes.
	if !victimErr.Scan() || !strings.HasPrefix(victimErr.Text(), "[1/") {
		t.Fatalf("shard 2's first progress line: %q", victimErr.Text())
	}
	victim.Process.Kill()
	for i, p := range procs {
		err := p.Wait()
		if p != victim && err != nil {
			t.Fatalf("shard %d/3: %v", i+1, err)
		}
	}
	if _, err := os.Stat(filepath.Join(shard("2"), grade.ShardFile)); err == nil {
		t.Fatal("the killed shard left a completed shard's marker")
	}

	merged := filepath.Join(tmp, "merged")
	code, out, errs := run("merge", shard("1"), shard("2"), shard("3"), "--out", merged)
	if code != ExitRetry || !strings.Contains(errs, "missing shard 2/3") || !strings.Contains(errs, shard("2")+" holds no completed shard") {
		t.Fatalf("merge with a killed shard: exit %d\n%s%s", code, out, errs)
	}

	// The retry writes a new folder; shard 3 was also copied twice.
	if code, out, errs := run("grade", lab, class, "--shard", "2/3", "--out", shard("2-retry")); code != ExitOK {
		t.Fatalf("retried shard: exit %d\n%s%s", code, out, errs)
	}
	if err := exec.Command("cp", "-a", shard("3"), shard("3-copy")).Run(); err != nil {
		t.Fatal(err)
	}
	code, out, errs = run("merge", shard("1"), shard("2"), shard("2-retry"), shard("3"), shard("3-copy"), "--out", merged)
	if code != ExitOK || !strings.Contains(errs, "kept the newer result ("+shard("2-retry")) {
		t.Fatalf("merge: exit %d\n%s%s", code, out, errs)
	}
	for _, f := range []string{grade.SummaryCSV} {
		want, _ := os.ReadFile(filepath.Join(single, f))
		got, _ := os.ReadFile(filepath.Join(merged, f))
		if !bytes.Equal(got, want) || len(want) == 0 {
			t.Errorf("merged %s differs from the single-machine grade:\n%s\nwant:\n%s", f, got, want)
		}
	}
	type row struct {
		Student, Status string
		Score           float64
		Checks          []struct{ Name, Status string }
	}
	rows := func(dir string) []row {
		var s struct {
			Students []row
			Totals   map[string]int
		}
		b, err := os.ReadFile(filepath.Join(dir, grade.SummaryJSON))
		if err != nil || json.Unmarshal(b, &s) != nil {
			t.Fatalf("%s: %v", dir, err)
		}
		return s.Students
	}
	a, b := rows(single), rows(merged)
	if len(a) != len(all) || len(a) != len(b) {
		t.Fatalf("%d students single, %d merged, want %d", len(a), len(b), len(all))
	}
	for i := range a {
		ja, _ := json.Marshal(a[i])
		jb, _ := json.Marshal(b[i])
		if !bytes.Equal(ja, jb) {
			t.Errorf("row %d: single %s, merged %s", i, ja, jb)
		}
	}
}
