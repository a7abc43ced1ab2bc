package capture

import (
	"os"
	"path/filepath"
	"regexp"
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
			// otherProto's fields are protocols of their own (other.go), as
			// are the frame's layer fields (frame.go)
			if prefix, _, _ := strings.Cut(f.name, "."); !strings.HasPrefix(f.name, pr.name+".") && !shared[prefix] && pr != &otherProto && !f.layer {
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

// TestChainNamesFilter: every layer a protocol's chain writes into
// frame.protocols is a display filter, as in tshark.
func TestChainNamesFilter(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`appendProto\(b, "([a-z0-9._-]+)"\)`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			n++
			if _, err := Compile(string(m[1])); err != nil {
				t.Errorf("%s: %q is in frame.protocols but not a filter: %v", f, m[1], err)
			}
		}
	}
	if n < 20 {
		t.Fatalf("only %d layer names found", n)
	}
}

// TestLayerFieldsMatchTshark: the layers that are only names in
// frame.protocols filter as in tshark (the HTTP and FTP tests try the body
// layers).
func TestLayerFieldsMatchTshark(t *testing.T) {
	needTshark(t)
	compareFilters(t, filepath.Join(corpusDir(t), "tcpdump-tests", "802.1ad_QinQ.pcap"), []string{"ieee8021ad", "ethertype", "vlan && ieee8021ad"})
}
