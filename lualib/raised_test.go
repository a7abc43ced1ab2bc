package lualib

import (
	"errors"
	"testing"
)

// TestErrorRaised: an error the script raised itself (error, a failed
// assert, a caught error raised again) is Raised, whatever its words; one the
// Lua machine or a library raised on a bug is not, even right after the
// script raised and caught one of its own.
func TestErrorRaised(t *testing.T) {
	tests := []struct {
		name, src string
		raised    bool
	}{
		{"error", `error("wrong answer")`, true},
		{"error in the words of the machine", `error("attempt to index a nil value")`, true},
		{"error without position", `error("bad argument #1 to 'send'", 0)`, true},
		{"error with a table", `error({code = 7})`, true},
		{"error in a function", `local function f() error("no") end f()`, true},
		{"assert", `assert(false, "attempt to call a nil value")`, true},
		{"assert without message", `assert(nil)`, true},
		{"assert of a failed call", `assert(nil, "connection refused")`, true},
		{"raised again after pcall", `local ok, e = pcall(function() local t; return t.x end) error(e, 0)`, true},
		{"through coroutine.wrap", `coroutine.wrap(function() error("stop") end)()`, true},
		{"index nil", `local t = nil; return t.answer`, false},
		{"call nil", `local f; f()`, false},
		{"arithmetic on a string", `return {} + 1`, false},
		{"bad argument", `string.rep()`, false},
		{"bad self", `local socket = require("socket"); socket.tcp().send({}, "x")`, false},
		{"stack overflow", `local function f() return 1 + f() end f()`, false},
		{"after a caught error", `pcall(error, "mine") local t; return t.x`, false},
		{"after a caught one with the same words", `pcall(error, "lab.lua:1: attempt to index a non-table object(nil) with key 'x'", 0) local t; return t.x`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestState(t, nil)
			err := s.DoString(tt.src, "lab.lua")
			var le *Error
			if !errors.As(err, &le) {
				t.Fatalf("error %v (%T), want an *Error", err, err)
			}
			if le.Raised != tt.raised {
				t.Errorf("%q: Raised = %v, want %v", le.Message, le.Raised, tt.raised)
			}
		})
	}
	// The flag is the last chunk's: a chunk that raised leaves none behind.
	s, _ := newTestState(t, nil)
	s.DoString(`error("mine")`, "a.lua")
	var le *Error
	if err := s.DoString(`local t; return t.x`, "b.lua"); !errors.As(err, &le) || le.Raised {
		t.Errorf("a bug after another chunk's error(): %v, Raised %v", err, le != nil && le.Raised)
	}
}
