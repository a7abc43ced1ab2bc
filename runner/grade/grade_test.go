package grade_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/runner"
	"github.com/wirelab-dev/wirelab/runner/grade"
	"github.com/wirelab-dev/wirelab/runner/report"
	"github.com/wirelab-dev/wirelab/runner/result"
)

func TestMain(m *testing.M) {
	if sandbox.IsWorker() {
		os.Exit(sandbox.WorkerMain())
	}
	os.Exit(m.Run())
}

// needSandbox skips a test that needs network namespaces, or fails it in CI.
func needSandbox(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "linux" && os.Geteuid() == 0 {
		return
	}
	if _, err := os.Stat("/proc/self/ns/user"); err == nil && runtime.GOOS == "linux" {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("CI is set: grading needs network namespaces (root) and may not skip")
	}
	t.Skip("grading needs network namespaces")
}

func sandboxRun(ctx context.Context, lab *runner.Lab, entry, dir string) (*result.Result, error) {
	run, err := runner.Run(ctx, lab, runner.RunOptions{Submission: entry, Dir: dir, Isolation: sandbox.IsolationAuto})
	if err != nil {
		return nil, err
	}
	return run.Result, nil
}

func loadLab(t *testing.T) *runner.Lab {
	t.Helper()
	lab, err := runner.Load("testdata/lab")
	if err != nil {
		t.Fatal(err)
	}
	return lab
}

// hostile is how each submission of testdata/hostile must end: its status and
// how the submission ended (the exit reason).
var hostile = map[string]struct {
	status result.Status
	ended  result.ExitReason
	output string
}{
	"infinite-loop":        {result.StatusTimeout, result.ExitTimeout, ""},
	"sleep-forever":        {result.StatusTimeout, result.ExitTimeout, ""},
	"pathological-pattern": {result.StatusTimeout, result.ExitTimeout, ""},
	"memory-bomb":          {result.StatusFailed, result.ExitMemory, ""},
	"output-flood":         {result.StatusFailed, result.ExitOutput, ""},
	"socket-exhaustion":    {result.StatusFailed, result.ExitSockets, ""},
	"syntax-error":         {result.StatusFailed, result.ExitError, ""},
	"runtime-error":        {result.StatusFailed, result.ExitError, ""},
	"escape-network":       {result.StatusFailed, result.ExitOK, "192.0.2.1\tNetwork is unreachable"},
	"escape-files":         {result.StatusFailed, result.ExitOK, "1\tblocked\n2\tblocked\n3\tblocked\n4\tblocked\n5\tblocked\n6\tblocked\n7\tblocked\n8\tblocked\n"},
}

// TestHostileSuite grades every hostile submission with the reference beside
// them, twice: each ends with the status that names what happened, the batch
// completes, the second run regrades nothing and gives identical scores, and
// nothing is left behind.
func TestHostileSuite(t *testing.T) {
	needSandbox(t)
	lab := loadLab(t)
	subs, err := grade.Discover([]string{"testdata/hostile", "testdata/lab/solution.lua"}, lab)
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != len(hostile)+1 {
		t.Fatalf("discovered %d submissions, want %d", len(subs), len(hostile)+1)
	}
	out := t.TempDir()
	var runs atomic.Int32
	opts := grade.Options{Out: out, Jobs: 2, Run: func(ctx context.Context, l *runner.Lab, entry, dir string) (*result.Result, error) {
		runs.Add(1)
		if strings.Contains(entry, "memory-bomb") {
			// The memory bomb gets 20 s, not the lab's 3 s: CPU-starved
			// (load ~39) it ended "timeout" in 4 of 5 runs, and with 16 MiB
			// steps instead of 1 MiB in 4 of 4. It must still end "memory": a memory limit that
			// stopped working ends it at the deadline.
			long := *l
			long.Limits.Timeout = 20 * time.Second
			l = &long
		}
		return sandboxRun(ctx, l, entry, dir)
	}}
	first, err := grade.Grade(context.Background(), lab, subs, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range first.Students {
		if r.Student == "solution" {
			if r.Status != result.StatusPassed || r.Score != r.MaxScore {
				t.Errorf("reference: %s %v/%v (%s)", r.Status, r.Score, r.MaxScore, r.Reason)
			}
			continue
		}
		want, ok := hostile[r.Student]
		if !ok {
			t.Errorf("unexpected student %q", r.Student)
			continue
		}
		if r.Status != want.status || r.Ended != want.ended {
			t.Errorf("%s: status %q ended %q, want %q ended %q (reason %q)", r.Student, r.Status, r.Ended, want.status, want.ended, r.Reason)
		}
		if want.output != "" {
			out, err := os.ReadFile(filepath.Join(out, r.Student, "output.txt"))
			if err != nil || !strings.Contains(string(out), want.output) {
				t.Errorf("%s: output %q does not contain %q (%v)", r.Student, out, want.output, err)
			}
		}
		for _, f := range []string{grade.ResultFile, grade.KeyFile, "capture.pcapng", "output.txt", "report.txt"} {
			if _, err := os.Stat(filepath.Join(out, r.Student, f)); err != nil {
				t.Errorf("%s: %v", r.Student, err)
			}
		}
	}
	csv1 := readFile(t, filepath.Join(out, grade.SummaryCSV))
	endedNamed(t, out, csv1)

	// Again: everything is current, nothing is regraded, the summary is the same.
	runs.Store(0)
	second, err := grade.Grade(context.Background(), lab, subs, opts)
	if err != nil {
		t.Fatal(err)
	}
	if n := runs.Load(); n != 0 {
		t.Errorf("second batch ran %d submissions, want 0", n)
	}
	for i := range first.Students {
		a, b := first.Students[i], second.Students[i]
		if a.Student != b.Student || a.Score != b.Score || a.Status != b.Status {
			t.Errorf("second batch: %s %v %s, first %s %v %s", b.Student, b.Score, b.Status, a.Student, a.Score, a.Status)
		}
	}
	if csv2 := readFile(t, filepath.Join(out, grade.SummaryCSV)); csv1 != csv2 {
		t.Errorf("summary.csv changed between identical batches:\n%s\n---\n%s", csv1, csv2)
	}
	ents, _ := os.ReadDir(out)
	for _, e := range ents {
		// .lock stays: it is an flock, held only while a batch runs.
		if (strings.HasPrefix(e.Name(), ".") && e.Name() != ".lock") || strings.HasSuffix(e.Name(), ".old") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestResumeShardsAndMerge: a changed submission alone is regraded; --force
// regrades all; shards partition the class and merge gives the single-run summary.
func TestResumeShardsAndMerge(t *testing.T) {
	needSandbox(t)
	lab := loadLab(t)
	class := t.TempDir()
	sol := readFile(t, "testdata/lab/solution.lua")
	for _, name := range []string{"ana", "ben", "cy", "dee"} {
		writeFile(t, filepath.Join(class, name+".lua"), sol)
	}
	// A folder submission with a module beside its entry.
	writeFile(t, filepath.Join(class, "eve", "main.lua"), `local get = require("get")`+"\nget()\n")
	writeFile(t, filepath.Join(class, "eve", "get.lua"), "return function()\n"+sol+"\nend\n")

	subs, err := grade.Discover([]string{class}, lab)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, s := range subs {
		ids = append(ids, s.ID)
	}
	if got := strings.Join(ids, " "); got != "ana ben cy dee eve" {
		t.Fatalf("discovered %q", got)
	}

	var ran []string
	counting := func(ctx context.Context, l *runner.Lab, entry, dir string) (*result.Result, error) {
		ran = append(ran, entry)
		return sandboxRun(ctx, l, entry, dir)
	}
	out := t.TempDir()
	opts := grade.Options{Out: out, Jobs: 1, Run: counting}
	sum, err := grade.Grade(context.Background(), lab, subs, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sum.Students {
		if r.Status != result.StatusPassed {
			t.Errorf("%s: %s %v/%v %s", r.Student, r.Status, r.Score, r.MaxScore, r.Reason)
		}
	}

	// ben resubmits something that prints nothing: only ben is regraded.
	writeFile(t, filepath.Join(class, "ben.lua"), "-- gave up\n")
	ran = nil
	if _, err := grade.Grade(context.Background(), lab, subs, opts); err != nil {
		t.Fatal(err)
	}
	if len(ran) != 1 || filepath.Base(ran[0]) != "ben.lua" {
		t.Errorf("after ben's change, regraded %v, want only ben.lua", ran)
	}
	// eve's module changes: her folder's hash changes.
	writeFile(t, filepath.Join(class, "eve", "get.lua"), "return function() end\n")
	ran = nil
	if _, err := grade.Grade(context.Background(), lab, subs, opts); err != nil {
		t.Fatal(err)
	}
	if len(ran) != 1 || !strings.Contains(ran[0], "eve") {
		t.Errorf("after eve's module changed, regraded %v, want only eve", ran)
	}
	ran = nil
	opts.Force = true
	if _, err := grade.Grade(context.Background(), lab, subs, opts); err != nil {
		t.Fatal(err)
	}
	if len(ran) != len(subs) {
		t.Errorf("--force regraded %d, want %d", len(ran), len(subs))
	}
	whole := readFile(t, filepath.Join(out, grade.SummaryJSON))

	// Three shards partition the class; merged, they give the same summary.
	var dirs []string
	seen := map[string]int{}
	for k := 1; k <= 3; k++ {
		d := t.TempDir()
		dirs = append(dirs, d)
		if _, err := grade.Grade(context.Background(), lab, subs, grade.Options{Out: d, Jobs: 1, Run: sandboxRun, Shard: grade.Shard{K: k, N: 3}}); err != nil {
			t.Fatal(err)
		}
		ents, _ := os.ReadDir(d)
		for _, e := range ents {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				seen[e.Name()]++
			}
		}
	}
	var names []string
	for n, c := range seen {
		names = append(names, n)
		if c != 1 {
			t.Errorf("student %s in %d shards", n, c)
		}
	}
	sort.Strings(names)
	if strings.Join(names, " ") != strings.Join(ids, " ") {
		t.Errorf("shards hold %v, want %v", names, ids)
	}
	merged, err := grade.Collect(dirs)
	if err != nil {
		t.Fatal(err)
	}
	mdir := t.TempDir()
	if err := merged.Write(mdir); err != nil {
		t.Fatal(err)
	}
	if got := readFile(t, filepath.Join(mdir, grade.SummaryJSON)); !sameScores(got, whole) {
		t.Errorf("merged summary differs from the single batch:\n%s\n---\n%s", got, whole)
	}
}

// sameScores compares two summary.json files but for run durations, which
// differ between two real runs of the same submission.
func sameScores(a, b string) bool {
	strip := func(s string) string {
		var out []string
		for _, l := range strings.Split(s, "\n") {
			if !strings.Contains(l, `"duration"`) {
				out = append(out, l)
			}
		}
		return strings.Join(out, "\n")
	}
	return strip(a) == strip(b)
}

func TestShardAndDiscoverErrors(t *testing.T) {
	for _, bad := range []string{"0/3", "4/3", "1/0", "x", "1/2/3", "1/2 "} {
		if _, err := grade.ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) accepted", bad)
		}
	}
	lab := loadLab(t)
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "a", "alice.lua"), "")
	writeFile(t, filepath.Join(dir, "b", "alice.lua"), "")
	writeFile(t, filepath.Join(dir, "a", "x.txt"), "")
	writeFile(t, filepath.Join(dir, "b", "y.txt"), "")
	// Two alices in two class folders: one not-graded row naming both.
	subs, err := grade.Discover([]string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}, lab)
	if err != nil {
		t.Fatalf("two alices stopped the class: %v", err)
	}
	for _, s := range subs {
		if s.ID == "alice" && (!strings.Contains(s.NotGraded, `2 submissions for student "alice"`) || !strings.Contains(s.NotGraded, filepath.Join(dir, "b", "alice.lua"))) {
			t.Errorf("two alices: not graded %q, want both named", s.NotGraded)
		}
	}
	if _, err := grade.Discover([]string{filepath.Join(dir, "nothing")}, lab); err == nil {
		t.Error("a missing path was accepted")
	}
	empty := t.TempDir()
	if _, err := grade.Discover([]string{empty}, lab); err == nil || !strings.Contains(err.Error(), "is empty") {
		t.Errorf("empty folder: %v", err)
	}
}

// TestDiscoverMixedClass: a class of .lua, .py and .c files, folders, and
// what the lab cannot run: every one of them is a submission, those it cannot
// run with the reason (never dropped); dot-folders and dot-files of no
// language are the class folder's own.
func TestDiscoverMixedClass(t *testing.T) {
	lab := loadLab(t) // accepts lua, python and c
	luaOnly, err := runner.Parse(filepath.Join(t.TempDir(), "lab.yaml"), []byte("lab: lua-only\nchecks:\n  - name: a\n    packet: tcp\n"))
	if err != nil {
		t.Fatal(err)
	}
	class := t.TempDir()
	writeFile(t, filepath.Join(class, "alice.lua"), "")
	writeFile(t, filepath.Join(class, ".amy.lua"), "")
	writeFile(t, filepath.Join(class, "bea.py"), "")
	writeFile(t, filepath.Join(class, "cal.c"), "")
	writeFile(t, filepath.Join(class, "bob", "solution.lua"), "")
	writeFile(t, filepath.Join(class, "carol", "client.lua"), "")
	writeFile(t, filepath.Join(class, "dan", "server.py"), "")
	writeFile(t, filepath.Join(class, "dan", "notes.md"), "")
	writeFile(t, filepath.Join(class, "dave", "README.md"), "")
	writeFile(t, filepath.Join(class, "notes.txt"), "")
	writeFile(t, filepath.Join(class, ".DS_Store"), "")
	writeFile(t, filepath.Join(class, ".git", "HEAD"), "")
	// mallory's solution.lua is a link out of her folder: not followed.
	if err := os.MkdirAll(filepath.Join(class, "mallory"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(class, "mallory", "solution.lua")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(class, "oscar.lua")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		lab  *runner.Lab
		want string // id:language or id:!reason, space-separated
	}{
		{lab, `.amy:lua alice:lua bea:python bob:lua cal:c carol:lua dan:python dave:!"dave" holds nothing mallory:!not a regular file notes:!"notes.txt" is not a kind of file oscar:!not a regular file`},
		{luaOnly, `.amy:lua alice:lua bea:!"bea.py" is a Python program, and lab "lua-only" accepts lua only bob:lua cal:!"cal.c" is a C program carol:lua dan:!"dan/server.py" is a Python program dave:!"dave" holds nothing mallory:!not a regular file notes:!"notes.txt" is not a kind oscar:!not a regular file`},
	} {
		subs, err := grade.Discover([]string{class}, tc.lab)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]grade.Submission{}
		var ids []string
		for _, s := range subs {
			got[s.ID] = s
			ids = append(ids, s.ID)
		}
		var wantIDs []string
		for _, w := range strings.Split(tc.want, " ") {
			if !strings.Contains(w, ":") {
				continue // part of a reason
			}
			id, what, _ := strings.Cut(w, ":")
			wantIDs = append(wantIDs, id)
			s := got[id]
			if r, ok := strings.CutPrefix(what, "!"); ok {
				if s.NotGraded == "" || !strings.Contains(s.NotGraded, r) {
					t.Errorf("%s %s: not graded %q, want a reason with %q", tc.lab.ID, id, s.NotGraded, r)
				}
			} else if s.Language != what || s.NotGraded != "" {
				t.Errorf("%s %s: language %q (not graded %q), want %s", tc.lab.ID, id, s.Language, s.NotGraded, what)
			}
		}
		if strings.Join(ids, " ") != strings.Join(wantIDs, " ") {
			t.Errorf("%s: students %q, want %q", tc.lab.ID, ids, wantIDs)
		}
	}
	// One student's folder named on its own is a submission, by its names.
	if subs, err := grade.Discover([]string{filepath.Join(class, "bob")}, lab); err != nil || len(subs) != 1 || subs[0].ID != "bob" {
		t.Errorf("bob/: %v, %v", subs, err)
	}
}

func readFile(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimSpace(b))
}

func writeFile(t *testing.T, p, s string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Shards graded from different versions of the lab do not merge: the summary
// would compare scores that do not compare. One folder alone may mix versions
// (students kept from before a fix who are no longer being graded).
func TestCollectRefusesMixedLabVersions(t *testing.T) {
	student := func(dir, id, labHash string) {
		writeFile(t, filepath.Join(dir, id, grade.ResultFile), `{"version":1,"lab":{"id":"x","sha256":"yaml"},"status":"passed","score":1,"max_score":1}`)
		writeFile(t, filepath.Join(dir, id, grade.KeyFile), `{"version":1,"lab":"`+labHash+`","submission":"s","runs":1}`)
	}
	a, b := t.TempDir(), t.TempDir()
	student(a, "ana", "v1")
	student(a, "ben", "v1")
	student(b, "cy", "v2")
	if _, err := grade.Collect([]string{a, b}); err == nil || !strings.Contains(err.Error(), "different versions of the lab") {
		t.Errorf("mixed shards merged: %v", err)
	}
	student(b, "cy", "v1")
	if s, err := grade.Collect([]string{a, b}); err != nil || len(s.Students) != 3 {
		t.Errorf("same version: %v", err)
	}
	student(a, "dee", "v0")
	if _, err := grade.Collect([]string{a}); err != nil {
		t.Errorf("one folder with an older student: %v", err)
	}
}

// Folders graded for two different labs say so, not "different versions".
func TestCollectDifferentLabs(t *testing.T) {
	student := func(dir, id, lab, labHash string) {
		writeFile(t, filepath.Join(dir, id, grade.ResultFile), `{"version":1,"lab":{"id":"`+lab+`","sha256":"`+labHash+`"},"status":"passed","score":1,"max_score":1}`)
		writeFile(t, filepath.Join(dir, id, grade.KeyFile), `{"version":1,"lab":"`+labHash+`","submission":"s","runs":1}`)
	}
	a, b := t.TempDir(), t.TempDir()
	student(a, "ana", "http-client", "h1")
	student(b, "ben", "udp-client", "u1")
	_, err := grade.Collect([]string{a, b})
	if err == nil || !strings.Contains(err.Error(), `were graded for different labs ("http-client" and "udp-client")`) {
		t.Errorf("two labs merged: %v", err)
	}
}

// TestDiscoverTwoSubmissions: a student who handed in alice.lua and alice.py
// is one not-graded row naming both; the rest of the class is graded.
func TestDiscoverTwoSubmissions(t *testing.T) {
	lab := loadLab(t)
	class := t.TempDir()
	writeFile(t, filepath.Join(class, "alice.lua"), "")
	writeFile(t, filepath.Join(class, "alice.py"), "")
	writeFile(t, filepath.Join(class, "bea.py"), "")
	subs, err := grade.Discover([]string{class}, lab)
	if err != nil {
		t.Fatalf("a student with two files stopped the class: %v", err)
	}
	if len(subs) != 2 || subs[0].ID != "alice" || subs[1].ID != "bea" {
		t.Fatalf("submissions %+v, want alice and bea", subs)
	}
	want := `2 submissions for student "alice": ` + filepath.Join(class, "alice.lua") + ", " + filepath.Join(class, "alice.py") + "; hand in one"
	if !strings.Contains(subs[0].NotGraded, want) {
		t.Errorf("alice: not graded %q, want %q", subs[0].NotGraded, want)
	}
	if subs[1].NotGraded != "" || subs[1].Language != "python" {
		t.Errorf("bea: %+v, want a Python submission", subs[1])
	}
}

// endedNamed checks that the hostile class's summary.csv names how each
// submission ended, in its ended column, and that every report format of
// each stored result names it too: "ended: memory — ..." or its key.
func endedNamed(t *testing.T, out, summary string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(summary)).ReadAll()
	if err != nil || len(recs) < 2 || recs[0][4] != "ended" {
		t.Fatalf("summary.csv (%v): no ended column:\n%s", err, summary)
	}
	for _, r := range recs[1:] {
		want := result.ExitOK
		if h, ok := hostile[r[0]]; ok {
			want = h.ended
		}
		if r[4] != want.String() {
			t.Errorf("summary.csv: %s ended %q, want %q", r[0], r[4], want)
		}
		var res result.Result
		if err := json.Unmarshal([]byte(readFile(t, filepath.Join(out, r[0], grade.ResultFile))), &res); err != nil {
			t.Fatal(err)
		}
		for _, f := range report.Formats() {
			var b bytes.Buffer
			if err := report.WriteOptions(&b, f, &res, report.Options{Dir: t.TempDir()}); err != nil {
				t.Fatal(err)
			}
			named := strings.Contains(b.String(), "ended: "+want.String()+" — ")
			switch f {
			case "json":
				named = strings.Contains(b.String(), `"reason": "`+want.String()+`"`)
			case "junit":
				named = strings.Contains(b.String(), `<property name="ended" value="`+want.String()+`">`)
			case "github":
				named = strings.Contains(b.String(), `"ended": "`+want.String()+`"`)
			}
			if want != result.ExitOK && !named {
				t.Errorf("%s's %s report does not name how it ended (%s):\n%s", r[0], f, want, b.String())
			}
		}
	}
}

// The lab's hash is what the lab is: runs written into its folder
// (wirelab-runs/, testdata/, dot-files) leave it as it was; a changed file
// changes it.
func TestLabHashLeavesOutRuns(t *testing.T) {
	dir := t.TempDir()
	for name, text := range map[string]string{"lab.yaml": "lab: h\nsubmission: {file: solution.lua}\nchecks:\n  - {name: a, packet: tcp}\n", "solution.lua": "print(1)\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lab, err := runner.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	before, err := grade.LabHash(lab)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{runner.RunsDir + "/h-1/result.json", "testdata/x.lua", ".git/HEAD"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte("x"), 0o644)
	}
	if after, _ := grade.LabHash(lab); after != before {
		t.Errorf("a run written into the lab changed its hash")
	}
	os.WriteFile(filepath.Join(dir, "solution.lua"), []byte("print(2)\n"), 0o644)
	if after, _ := grade.LabHash(lab); after == before {
		t.Errorf("a changed file left the hash as it was")
	}
}
