package runner

import (
	"strings"
	"testing"
)

// TestKindRegistry checks the registry refuses a kind whose name or key is
// taken, and lists every kind's keys after the common ones.
func TestKindRegistry(t *testing.T) {
	r := &kindRegistry{}
	if err := r.register(&packetKind); err != nil {
		t.Fatal(err)
	}
	for _, k := range []*checkKind{
		{name: "packet", decode: packetKind.decode, eval: packetKind.eval},
		{name: "bytes", keys: []string{"min"}, decode: packetKind.decode, eval: packetKind.eval},
		{name: "points", decode: packetKind.decode, eval: packetKind.eval},
		{name: "empty"},
	} {
		if err := r.register(k); err == nil {
			t.Errorf("kind %q registered", k.name)
		}
	}
	if got := strings.Join(checkKinds.keys(), " "); got != "name points hint visibility requires packet none sequence output exit lua count min max within same_stream" {
		t.Errorf("keys %s", got)
	}
	if _, ok := checkKinds.kind("min"); ok {
		t.Error("a kind's key is taken for a kind")
	}
}
