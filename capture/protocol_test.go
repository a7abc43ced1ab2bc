package capture

import (
	"strings"
	"testing"
)

// TestProtocolTable checks the table's invariants: every protocol has a title
// for the reference (or no field), fields are named under their protocol, and
// a port claimed twice or a field listed twice is refused.
func TestProtocolTable(t *testing.T) {
	// A header two protocols share has fields named after a protocol of
	// its own that no frame shows (PPPoE's pppoe.*, listed by pppoed and
	// shared by pppoes): a shares name no protocol of the table has.
	shared := map[string]bool{}
	for _, pr := range table.protos {
		if pr.shares != "" {
			shared[pr.shares] = true
		}
	}
	for _, pr := range table.protos {
		delete(shared, pr.name)
	}
	for _, pr := range table.protos {
		if !pr.noField && (pr.title == "" || pr.desc == "" || pr.example == "") {
			t.Errorf("protocol %s: missing title, desc or example", pr.name)
		}
		if pr != &frameProto && pr.bit == 0 {
			t.Errorf("protocol %s has no presence bit", pr.name)
		}
		if (len(pr.tcpPorts) > 0 || len(pr.udpPorts) > 0 || pr.heuristic != nil) && pr.decode == nil {
			t.Errorf("protocol %s is recognised but has no decoder", pr.name)
		}
		for _, f := range pr.fields {
			// otherProto's fields are protocols of their own (other.go)
			if prefix, _, _ := strings.Cut(f.name, "."); !strings.HasPrefix(f.name, pr.name+".") && !shared[prefix] && pr != &otherProto {
				t.Errorf("field %s is listed under protocol %s", f.name, pr.name)
			}
			if f.get == nil {
				t.Errorf("field %s has no value function", f.name)
			}
		}
	}
	dec := func(d *Decoder, p *Packet, s *segment) verdict { return rejected }
	for _, bad := range [][]*protocol{
		{{name: "a", tcpPorts: []uint16{80}, decode: dec}, {name: "b", tcpPorts: []uint16{80}, decode: dec}},
		{{name: "a", fields: []field{{name: "a.x"}}}, {name: "a"}},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("buildTable accepted %s and %s", bad[0].name, bad[1].name)
				}
			}()
			buildTable(bad)
		}()
	}
}
