package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/labs"
)

func TestLabsListsTheCatalogue(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"labs"}, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
	all, err := labs.List()
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n")
	if len(lines) != len(all) || len(all) == 0 {
		t.Fatalf("%d lines for %d labs:\n%s", len(lines), len(all), stdout.String())
	}
	for i, l := range all {
		f := strings.Fields(lines[i])
		if f[0] != l.Name || !strings.Contains(lines[i], "  "+l.Title+"  ") || !strings.HasSuffix(lines[i], pointsText(l.Points)) {
			t.Errorf("line %d = %q, want name %q, title %q, %s", i+1, lines[i], l.Name, l.Title, pointsText(l.Points))
		}
	}
	if !strings.Contains(stdout.String(), "http-client ") {
		t.Errorf("the catalogue lacks http-client:\n%s", stdout.String())
	}
}

func TestLabsRejectsArguments(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"labs", "extra"}, &stdout, &stderr); code != ExitError {
		t.Errorf("exit %d, want %d; stderr %q", code, ExitError, stderr.String())
	}
}

func TestPointsText(t *testing.T) {
	for _, tc := range []struct {
		p    float64
		want string
	}{{0, "0 points"}, {1, "1 point"}, {2.5, "2.5 points"}, {9, "9 points"}} {
		if got := pointsText(tc.p); got != tc.want {
			t.Errorf("pointsText(%g) = %q, want %q", tc.p, got, tc.want)
		}
	}
}
