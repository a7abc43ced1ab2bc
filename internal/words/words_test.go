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
