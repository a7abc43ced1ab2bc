package labs

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

func TestList(t *testing.T) {
	for _, tc := range []struct {
		name    string
		files   fstest.MapFS
		want    []Lab
		wantErr string
	}{
		{
			name: "points default to 1 and add up",
			files: fstest.MapFS{
				"b/lab.yaml": {Data: []byte("lab: b\ntitle: Bee\nchecks:\n  - name: x\n    points: 2.5\n  - name: y\n")},
				"a/lab.yaml": {Data: []byte("lab: a\ntitle: Ay\nchecks:\n  - {name: x, points: 0}\n")},
			},
			want: []Lab{{Name: "a", Title: "Ay", Points: 0, Dir: "labs/a"}, {Name: "b", Title: "Bee", Points: 3.5, Dir: "labs/b"}},
		},
		{
			name: "folders without lab.yaml and loose files are not labs",
			files: fstest.MapFS{
				"notes/README.md": {Data: []byte("# notes\n")},
				"labs.go":         {Data: []byte("package labs\n")},
				"c/lab.yaml":      {Data: []byte("lab: c\ntitle: See\n")},
			},
			want: []Lab{{Name: "c", Title: "See", Dir: "labs/c"}},
		},
		{
			name:  "a lab without an id is named after its folder",
			files: fstest.MapFS{"d/lab.yaml": {Data: []byte("title: Dee\n")}},
			want:  []Lab{{Name: "d", Title: "Dee", Dir: "labs/d"}},
		},
		{
			name:    "broken YAML names the file",
			files:   fstest.MapFS{"e/lab.yaml": {Data: []byte("lab: [e\n")}},
			wantErr: "labs/e/lab.yaml:",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := list(tc.files, "labs")
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("lab %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// FuzzList feeds arbitrary lab.yaml text to the catalogue listing: it must
// return a lab or an error, never panic.
func FuzzList(f *testing.F) {
	fuzzing.Steady(f)
	matches, _ := fs.Glob(FS(), "*/lab.yaml")
	for _, m := range matches {
		data, err := fs.ReadFile(FS(), m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("checks: [{points: -1}, {points: 1e308}, {points: .nan}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := list(fstest.MapFS{"x/lab.yaml": {Data: data}}, "labs")
		if err == nil && len(got) != 1 {
			t.Fatalf("no error and %d labs", len(got))
		}
	})
}
