package filter

import (
	"errors"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

func seedFilters(f *testing.F) {
	for _, l := range readLines(f, "filters.txt") {
		f.Add(l)
	}
	for _, l := range readLines(f, "errors.txt") {
		_, expr, _ := strings.Cut(l, " ")
		f.Add(expr)
	}
}

// checkError asserts a compile error is a well-formed *Error.
func checkError(t *testing.T, expr string, err error) {
	var fe *Error
	if !errors.As(err, &fe) {
		t.Fatalf("%q: error %T %v is not a *filter.Error", expr, err, err)
	}
	if fe.Filter != expr || fe.Offset < 0 || fe.Offset > len(expr) || fe.Msg == "" {
		t.Fatalf("%q: malformed error %+v", expr, fe)
	}
	_ = fe.Caret()
}

// FuzzDisplay compiles arbitrary display filters: compiling and matching must not
// panic or hang, errors must be positioned, and String() must compile back to a
// filter that answers the same on the test records.
func FuzzDisplay(f *testing.F) {
	fuzzing.Steady(f)
	seedFilters(f)
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := Compile(expr, testReg)
		if err != nil {
			checkError(t, expr, err)
			return
		}
		got := matching(flt)
		s := flt.String()
		g, err := Compile(s, testReg)
		if err != nil {
			t.Fatalf("%q: String() = %q does not compile: %v", expr, s, err)
		}
		if again := matching(g); again != got {
			t.Fatalf("%q matches [%s] but its String() %q matches [%s]", expr, got, s, again)
		}
		_ = flt.Fields()
	})
}

// FuzzCapture compiles arbitrary capture filters: compiling and matching the
// test frames must not panic or hang, errors must be positioned, and String()
// must compile back to a filter that answers the same.
func FuzzCapture(f *testing.F) {
	fuzzing.Steady(f)
	seedFilters(f)
	for _, l := range readLines(f, "tcpdump-filters.txt") {
		f.Add(l)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := CompileCapture(expr)
		if err != nil {
			checkError(t, expr, err)
			return
		}
		got := matchingFrames(flt)
		for _, n := range frameNames {
			// Every prefix of every frame: loads past the end must reject, not panic.
			b := frames[n]
			for k := 0; k <= len(b); k += 7 {
				flt.MatchFrame(b[:k], ltEthernet, len(b))
				flt.MatchFrame(b[:k], ltSLL, len(b))
				flt.MatchFrame(b[:k], ltRaw, len(b))
			}
		}
		g, err := CompileCapture(flt.String())
		if err != nil {
			t.Fatalf("%q: String() = %q does not compile: %v", expr, flt.String(), err)
		}
		if again := matchingFrames(g); again != got {
			t.Fatalf("%q matches [%s] but its String() %q matches [%s]", expr, got, flt.String(), again)
		}
	})
}
