package service

import (
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

// TestKindRegistry holds the registry to its rules: unique names, every kind
// starts, every option decodes and can tell whether a Spec sets it, and no
// key is owned twice or shadows a key of the entry itself.
func TestKindRegistry(t *testing.T) {
	seen := map[string]bool{}
	owner := map[string]string{}
	for _, k := range kinds {
		if k.Name == "" || seen[k.Name] {
			t.Errorf("kind %q: empty or repeated name", k.Name)
		}
		seen[k.Name] = true
		if k.start == nil {
			t.Errorf("kind %q cannot start", k.Name)
		}
		for _, o := range k.Options {
			if o.Decode == nil || o.set == nil {
				t.Errorf("kind %q option %q: needs Decode and set", k.Name, o.Key)
			}
			switch o.Key {
			case "name", "kind", "listen", "connect", "from":
				t.Errorf("kind %q option %q: the key belongs to every service entry", k.Name, o.Key)
			}
			if prev, dup := owner[o.Key]; dup {
				t.Errorf("option %q is owned by %q and %q", o.Key, prev, k.Name)
			}
			owner[o.Key] = k.Name
		}
	}
	if got := len(OptionKeys()); got != len(owner)+len(clientKeys) {
		t.Errorf("OptionKeys has %d keys, want %d", got, len(owner)+len(clientKeys))
	}
}

// TestValidateForeignOptions gives every kind a Spec with every option set:
// Validate names exactly the options of the other kinds, which proves each
// option's set function sees its field.
func TestValidateForeignOptions(t *testing.T) {
	all := Spec{
		Name: "s", Listen: "127.0.0.1:9",
		Routes:   map[string]Route{"/": {Body: "x"}},
		Banner:   "220 hi",
		Dialog:   []DialogStep{{Expect: "A", Send: "B"}},
		Unknown:  "500",
		Script:   "s.lua",
		Protocol: "tcp",
		Capture:  "c.pcap",
		Stream:   1,
	}
	for _, k := range kinds {
		spec := all
		spec.Kind = k.Name
		var got []string
		for _, err := range Validate(spec) {
			if _, after, ok := strings.Cut(err.Error(), "option "); ok && strings.Contains(after, "does not apply") {
				got = append(got, strings.Trim(strings.Fields(after)[0], `"`))
			}
		}
		var want []string
		for _, other := range kinds {
			if other != k {
				for _, o := range other.Options {
					want = append(want, o.Key)
				}
			}
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("kind %q: Validate refused options %v, want %v", k.Name, got, want)
		}
	}
}

// TestDecodeCollections: dialog, routes and a route's headers may be left
// empty; a value of the wrong shape is one problem at it, naming the service
// and what the value must be.
func TestDecodeCollections(t *testing.T) {
	src := `dialog: {expect: HELO}
routes: [/]
empty: ~
route:
  headers: [a]
`
	d := &Decoder{Decoder: yamlx.NewDecoder("lab.yaml", []byte(src))}
	root := d.Parse([]byte(src), "empty")
	var sp Spec
	for _, e := range d.Mapping(root, "the file", []string{"dialog", "routes", "empty", "route"}) {
		switch e.Key {
		case "dialog":
			decodeDialog(d, e.V, `service "ftp"`, &sp)
		case "routes":
			decodeRoutes(d, e.V, `service "web"`, &sp)
		case "empty":
			decodeDialog(d, e.V, `service "ftp"`, &sp)
			decodeRoutes(d, e.V, `service "web"`, &sp)
		case "route":
			decodeRoute(d, e.V, `service "web" route "/"`)
		}
	}
	want := "lab.yaml:1:9: service \"ftp\": dialog must be a list of {expect, send}, not a mapping\n" +
		"lab.yaml:2:9: service \"web\": routes must map paths to answers (like `/: {status: 200, body: hello}`), not a list\n" +
		"lab.yaml:5:12: service \"web\" route \"/\": headers must map names to values, not a list"
	if got := d.Errs.Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if sp.Dialog != nil || sp.Routes != nil {
		t.Errorf("decoded %+v from values of the wrong shape", sp)
	}
}
