package filter

import (
	"errors"
	"strings"
	"testing"
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

// FuzzCapture does the same for capture filters; their String() is a display
// filter with the same meaning.
func FuzzCapture(f *testing.F) {
	seedFilters(f)
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := CompileCapture(expr, testReg)
		if err != nil {
			checkError(t, expr, err)
			return
		}
		got := matching(flt)
		s := flt.String()
		if s == "" || containsMask(s) {
			return
		}
		g, err := Compile(s, testReg)
		if err != nil {
			t.Fatalf("%q: String() = %q does not compile as a display filter: %v", expr, s, err)
		}
		if again := matching(g); again != got {
			t.Fatalf("%q matches [%s] but its display form %q matches [%s]", expr, got, s, again)
		}
	})
}
