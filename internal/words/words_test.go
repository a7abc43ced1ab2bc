package words

import "testing"

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 packets match", 1: "1 packet matches", 2: "2 packets match"} {
		if got := Count(n, "packet matches", "packets match"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
	if Plural(1, "error", "errors") != "error" || Plural(3, "error", "errors") != "errors" {
		t.Error("Plural")
	}
}

func TestList(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{{nil, ""}, {[]string{"a"}, "a"}, {[]string{"a", "b"}, "a or b"}, {[]string{"a", "b", "c"}, "a, b or c"}} {
		if got := List(tc.in, "or"); got != tc.want {
			t.Errorf("List(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestVisible(t *testing.T) {
	for _, c := range []struct {
		in    string
		lines bool
		want  string
	}{
		{"alice", false, "alice"},
		{"élève 学生 \ufffd", false, "élève 学生 \ufffd"},
		{"a\tb\nc", false, `a\x09b\x0ac`},
		{"a\tb\nc", true, "a\\x09b\nc"},
		{"\u202egnp.lua", false, `\u202egnp.lua`},
		{"\x1b]0;title\a\x9b2J", true, `\x1b]0;title\x07\x9b2J`},
		{"\x7f\u0085\xc3", false, `\x7f\x85\xc3`},
		{"\u2028\u2066", true, `\u2028\u2066`},
	} {
		if got := Visible(c.in, c.lines); got != c.want {
			t.Errorf("Visible(%q, %v) = %q, want %q", c.in, c.lines, got, c.want)
		}
	}
}
