package capture

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// The live oracle: tests that run tshark itself on a capture (from the corpus,
// or one a test just wrote) and compare every frame's one-line summary and the
// given fields with wirelab's. CI installs tshark (.ci/run); elsewhere the
// tests skip without it.

func needTshark(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("tshark"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tshark is required in CI (apt-get install tshark)")
		}
		t.Skip("tshark is not installed")
	}
}

// compareLines checks that every frame of the capture at path has the whole
// one-line summary (Source and Destination too) `tshark -n` prints, but the
// frames skip names ("frame line" keys, as compareLive's).
func compareLines(t *testing.T, path string, skip map[string]bool) {
	t.Helper()
	want := tsharkRun(t, path, "-n")
	pkts := decodeFile(t, path)
	if len(pkts) != len(want) {
		t.Fatalf("%s: %d packets, tshark %d", filepath.Base(path), len(pkts), len(want))
	}
	for i, p := range pkts {
		if got := p.Line(); got != want[i] && !skip[lineKey(i+1, "line")] {
			t.Errorf("%s frame %d:\n got %q\nwant %q", filepath.Base(path), i+1, got, want[i])
		}
	}
}

// tsharkRun runs tshark -r path with args and returns its output lines.
func tsharkRun(t *testing.T, path string, args ...string) []string {
	t.Helper()
	cmd := exec.Command("tshark", append([]string{"-r", path}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	s := strings.TrimSuffix(string(out), "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// agreement counts what matched tshark.
type agreement struct {
	frames, sameLines int
	values, sameVals  int
}

// compareLive compares the capture at path with what tshark prints now, in one
// tshark run: each frame's Protocol and Info columns (unless lines is false;
// the other columns are the goldens' business) and each field, all
// occurrences joined by commas. skip names "frame field" pairs ("frame line"
// for the columns) that differ by design.
func compareLive(t *testing.T, path string, fields []string, lines bool, skip map[string]bool) agreement {
	t.Helper()
	pkts := decodeFile(t, path)
	var a agreement
	a.frames = len(pkts)
	name := filepath.Base(path)
	args := []string{"-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"}
	if lines {
		args = append(args, "-e", "_ws.col.Protocol", "-e", "_ws.col.Info")
	}
	for _, f := range fields {
		if _, ok := lookupField(f); !ok {
			t.Fatalf("field %s is not in the registry", f)
		}
		args = append(args, "-e", f)
	}
	want := tsharkRun(t, path, args...)
	if len(want) != len(pkts) {
		t.Fatalf("%s: %d packets, tshark shows %d", name, len(pkts), len(want))
	}
	for i, p := range pkts {
		cols := strings.Split(want[i], "\t")
		if lines {
			s := p.Summary()
			got := s.Protocol + "\t" + string(appendEscaped(nil, []byte(s.Info)))
			if w := cols[0] + "\t" + cols[1]; got == w || got == strings.TrimRight(w, " ") || strings.TrimRight(got, " ") == strings.TrimRight(w, " ") {
				a.sameLines++
			} else if !skip[lineKey(i+1, "line")] {
				t.Errorf("%s frame %d Protocol and Info:\n got %q\nwant %q", name, i+1, got, w)
			}
			cols = cols[2:]
		}
		for j, f := range fields {
			a.values++
			got := strings.Join(p.Strings(f), ",")
			if fd, _ := lookupField(f); fd.Type == filter.None {
				// tshark prints a protocol's label: compare presence.
				if (got != "") == (cols[j] != "") {
					got = cols[j]
				}
			}
			if got == cols[j] {
				a.sameVals++
			} else if !skip[lineKey(i+1, f)] {
				t.Errorf("%s frame %d %s: got %q, tshark %q", name, i+1, f, got, cols[j])
			}
		}
	}
	t.Logf("%s: %d/%d Protocol+Info columns and %d/%d field values as tshark", name, a.sameLines, a.frames, a.sameVals, a.values)
	return a
}

func lineKey(frame int, what string) string {
	return strings.Join([]string{itoa(frame), what}, " ")
}

func itoa(n int) string { return string(appendInt(nil, int64(n))) }

// protoFields lists the registry's fields of the named protocol, itself first.
func protoFields(name string) []string {
	var out []string
	for _, f := range Fields().Fields() {
		if f.Name == name || strings.HasPrefix(f.Name, name+".") {
			out = append(out, f.Name)
		}
	}
	return out
}

// compareFilters runs every display filter through tshark (one run: a Lua
// listener per filter prints the frames it matches) and wirelab on the capture
// at path, and requires the same frames.
func compareFilters(t *testing.T, path string, exprs []string) (same int) {
	t.Helper()
	pkts := decodeFile(t, path)
	dir := t.TempDir()
	list, script := filepath.Join(dir, "filters.txt"), filepath.Join(dir, "listen.lua")
	if err := os.WriteFile(list, []byte(strings.Join(exprs, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte(listenLua), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("tshark", "-q", "-r", path, "-X", "lua_script:"+script)
	cmd.Env = append(os.Environ(), "WL_FILTERS="+list)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, stderr.String())
	}
	want := make([][]string, len(exprs))
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, frame, ok := strings.Cut(line, " ")
		n := 0
		for _, c := range k {
			n = n*10 + int(c-'0')
		}
		if !ok || n < 1 || n > len(exprs) {
			continue
		}
		if strings.HasPrefix(frame, "E ") {
			t.Errorf("tshark rejects %q: %s", exprs[n-1], frame[2:])
			continue
		}
		want[n-1] = append(want[n-1], frame)
	}
	for i, expr := range exprs {
		f, err := Compile(expr)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		var got []string
		for _, p := range pkts {
			if f.Match(p) {
				got = append(got, itoa(p.Number))
			}
		}
		if g, w := strings.Join(got, " "), strings.Join(want[i], " "); g != w {
			t.Errorf("%s on %s: frames %q, tshark %q", expr, filepath.Base(path), g, w)
		} else {
			same++
		}
	}
	t.Logf("%s: %d/%d filters select the frames tshark selects", filepath.Base(path), same, len(exprs))
	return same
}

// listenLua makes one tshark Listener per line of $WL_FILTERS; each prints
// "index frame" for the frames its filter matches ("index E message" if tshark
// rejects the filter).
const listenLua = `
local i = 0
for line in io.lines(os.getenv("WL_FILTERS")) do
  i = i + 1
  local n = i
  local ok, l = pcall(Listener.new, nil, line)
  if ok then
    function l.packet(pinfo) io.write(n, " ", pinfo.number, "\n") end
  else
    io.write(n, " E ", tostring(l), "\n")
  end
end
`
