package filter

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// TestErrorsGolden compiles every filter in testdata/errors.txt, which must fail
// with an *Error, and compares the Caret() output with testdata/errors.golden.
func TestErrorsGolden(t *testing.T) {
	var out strings.Builder
	for _, line := range readLines(t, "errors.txt") {
		kind, expr, _ := strings.Cut(line, " ")
		var err error
		if kind == "C" {
			_, err = CompileCapture(expr)
		} else {
			_, err = Compile(expr, testReg)
		}
		if err == nil {
			t.Errorf("%s filter %q compiled; want an error", kind, expr)
			continue
		}
		var fe *Error
		if !errors.As(err, &fe) {
			t.Errorf("%q: error %T is not a *filter.Error", expr, err)
			continue
		}
		if fe.Filter != expr || fe.Offset < 0 || fe.Offset > len(expr) {
			t.Errorf("%q: bad error position %d", expr, fe.Offset)
		}
		if !strings.HasPrefix(fe.Error(), "column ") {
			t.Errorf("%q: Error() = %q, want \"column N: ...\"", expr, fe.Error())
		}
		out.WriteString("== " + kind + "\n" + fe.Caret() + "\n\n")
	}
	golden := filepath.Join("testdata", "errors.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if out.String() != string(want) {
		gl, wl := strings.Split(out.String(), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("errors.golden differs at line %d:\n got: %q\nwant: %q\n(run go test -update after checking the change)", i+1, g, w)
			}
		}
	}
}

func TestErrorFormat(t *testing.T) {
	_, err := Compile("tcp.port == 80 && tcp.dstprt == 80", testReg)
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v", err)
	}
	if got, want := fe.Error(), `column 19: "tcp.dstprt" is not a known field (did you mean "tcp.dstport"?)`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	want := "tcp.port == 80 && tcp.dstprt == 80\n" +
		"                  ^\n" +
		`"tcp.dstprt" is not a known field (did you mean "tcp.dstport"?)`
	if got := fe.Caret(); got != want {
		t.Errorf("Caret() =\n%s\nwant\n%s", got, want)
	}
	// Columns count characters, not bytes.
	_, err = Compile(`http.host == "é" && bogus`, testReg)
	if !errors.As(err, &fe) || fe.Error()[:10] != "column 21:" {
		t.Errorf("err = %v, want column 21", err)
	}
}

// Underline is the one caret renderer: Caret and the lab loader's messages
// (indented under FILE:LINE:COL) both draw the caret with it, tabs kept.
func TestErrorUnderline(t *testing.T) {
	_, err := Compile("tcp.port == 80 &&\tbogus", testReg)
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v", err)
	}
	want := "\ttcp.port == 80 &&\tbogus\n\t" + strings.Repeat(" ", 17) + "\t^"
	if got := fe.Underline("\t"); got != want {
		t.Errorf("Underline() =\n%q\nwant\n%q", got, want)
	}
	if got := fe.Caret(); got != fe.Underline("")+"\n"+fe.Msg {
		t.Errorf("Caret() = %q is not Underline and the message", got)
	}
}
