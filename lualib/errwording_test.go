package lualib

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// wordingDiffs are the forms in which wirelab's error messages still differ
// from C Lua 5.1's: gopher-lua's own words for calling, negating or
// measuring a table or userdata without the metamethod (culprit.go names
// the value of other types; vmwords.go rewords the rest without the name),
// and argument errors of a tail call. docs/lua-api.md ("Error messages")
// lists the same. Syntax errors have no entry: each must be C's
// (syntaxMessage).
var wordingDiffs = []*regexp.Regexp{
	regexp.MustCompile(`: attempt to call a non-function object$`),
	regexp.MustCompile(`: __(len|unm) undefined$`),
	regexp.MustCompile(`bad argument #\d+ to '\?' \(`),
}

// nameRE is Lua 5.1's message naming the culprit of a failed operation.
var nameRE = regexp.MustCompile(`attempt to ([a-z ]+?) (global|local|field|method|upvalue) '[^']*' \(a (\w+) value\)$`)

// nameLeftOut reports whether got is want without its culprit's name, the
// one deliberate difference culprit.go makes: when the instructions on the
// failing line that could have raised disagree on the name, it leaves the
// name out ("attempt to index a nil value") rather than guess.
func nameLeftOut(want, got string) bool {
	m := nameRE.FindStringSubmatchIndex(want)
	if m == nil {
		return false
	}
	op, typ := want[m[2]:m[3]], want[m[6]:m[7]]
	return got == want[:m[0]]+"attempt to "+op+" a "+typ+" value"
}

// TestErrorWording runs a table of common mistakes (testdata/mistakes.lua)
// under C Lua 5.1 and wirelab: every message must be C's, or one of the
// documented differences above. The mistakes of testdata/culprits.lua, where
// Lua 5.1 names a global, local, field, method or upvalue, allow no
// difference but a name left out. It reports how many are identical.
func TestErrorWording(t *testing.T) {
	lua := oracleLua(t)
	for _, c := range []struct {
		file    string
		allowed []*regexp.Regexp
	}{
		{"testdata/mistakes.lua", wordingDiffs},
		{"testdata/culprits.lua", nil},
	} {
		t.Run(strings.TrimSuffix(filepath.Base(c.file), ".lua"), func(t *testing.T) {
			compareWording(t, lua, c.file, c.allowed)
		})
	}
}

func compareWording(t *testing.T, lua, file string, allowed []*regexp.Regexp) {
	want := strings.Split(strings.TrimSpace(runOracle(t, lua, file)), "\n")
	got := strings.Split(strings.TrimSpace(runWirelab(t, file)), "\n")
	// the parser's messages take two lines in gopher-lua
	var g []string
	for _, l := range got {
		if l != "" {
			g = append(g, l)
		}
	}
	if len(g) != len(want) {
		t.Fatalf("%d lines, C Lua printed %d:\n%s", len(g), len(want), lineDiff(strings.Join(want, "\n"), strings.Join(g, "\n")))
	}
	same, unnamed := 0, 0
	for i := range want {
		if g[i] == want[i] {
			same++
			continue
		}
		if nameLeftOut(want[i], g[i]) {
			unnamed++
			continue
		}
		documented := false
		for _, re := range allowed {
			documented = documented || re.MatchString(g[i])
		}
		if !documented {
			t.Errorf("line %d: %q, C Lua 5.1 says %q: a difference docs/lua-api.md does not list", i+1, g[i], want[i])
		}
	}
	t.Logf("%d of %d messages identical to C Lua 5.1's, %d without the name C gives", same, len(want), unnamed)
}
