package filter

import (
	"strings"
	"testing"
)

func TestTooLong(t *testing.T) {
	long := strings.Repeat("tcp || ", maxLen/7+1) + "tcp"
	if _, err := Compile(long, testReg); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("Compile(long) err = %v, want too long", err)
	}
	if _, err := CompileCapture(long); err == nil || !strings.Contains(err.Error(), "too long") {
		t.Errorf("CompileCapture(long) err = %v, want too long", err)
	}
	// Just under the limit compiles and runs.
	ok := strings.Repeat("udp || ", (maxLen-10)/7) + "tcp"
	f, err := Compile(ok, testReg)
	if err != nil {
		t.Fatal(err)
	}
	if got := matching(f); got != "syn get dns v6 icmp lo" {
		t.Errorf("long chain matches [%s]", got)
	}
}

func TestNilRegistry(t *testing.T) {
	if _, err := Compile("tcp", nil); err == nil {
		t.Error("Compile with a nil registry succeeded")
	}
}
