// Package fuzzing is what wirelab's fuzz targets share: every target starts
// with Steady. Only tests import it.
package fuzzing

import (
	"flag"
	"testing"
)

// minimizeTime bounds the time the fuzzer spends shrinking one input.
const minimizeTime = "3s"

// Steady keeps f fuzzing at a steady rate. Each time a worker finds an input
// that reaches new code, Go's fuzzer shrinks it before it fuzzes on, for up to
// -fuzzminimizetime (default 60 s), and counts none of those executions until
// it is done: with inputs of a few kilobytes (capture files, lab files) a run
// spent most of its minute shrinking — FuzzEvaluate made 193 executions in 60
// s, 12,905 with 2 s of shrinking. Steady sets -fuzzminimizetime to 3 s unless
// the command line gives it. It changes nothing but fuzzing: a crasher is
// still written, shrunk for 3 s.
func Steady(f *testing.F) {
	f.Helper()
	given := false
	flag.Visit(func(fl *flag.Flag) { given = given || fl.Name == "test.fuzzminimizetime" })
	if given {
		return
	}
	if err := flag.Set("test.fuzzminimizetime", minimizeTime); err != nil {
		f.Fatalf("fuzzing.Steady: %v", err)
	}
}
