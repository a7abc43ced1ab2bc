package capture

import (
	"path/filepath"
	"strings"
	"testing"
)

// analysisFields are every tcp.analysis field, and the TCP fields the analysis
// depends on.
func analysisFields() []string {
	out := []string{"tcp.stream", "tcp.window_size", "tcp.window_size_scalefactor", "tcp.flags.ae", "tcp.flags.res"}
	for _, f := range protoFields("tcp") {
		if strings.HasPrefix(f, "tcp.analysis") {
			out = append(out, f)
		}
	}
	return out
}

// TestTCPAnalysisMatchesTshark compares every tcp.analysis field and the
// Protocol and Info columns with tshark, frame by frame, on captures of real
// connections with real loss (testdata/loss, recorded by make.sh: gaps,
// retransmissions, duplicate ACKs, fast retransmissions, zero windows, window
// full, keep-alives, timeouts), and the fields on every capture of the corpus
// that carries TCP.
func TestTCPAnalysisMatchesTshark(t *testing.T) {
	needTshark(t)
	fields := analysisFields()
	loss, _ := filepath.Glob(filepath.Join("testdata", "loss", "*.pcap"))
	if len(loss) < 7 {
		t.Fatalf("testdata/loss holds %d captures, want 7 (sh make.sh)", len(loss))
	}
	var total agreement
	for _, path := range loss {
		t.Run(filepath.Base(path), func(t *testing.T) {
			a := compareLive(t, path, fields, true, nil)
			total.values += a.values
			total.sameVals += a.sameVals
		})
	}
	corpus := corpusDir(t)
	paths := []string{filepath.Join(corpus, "captures", "http-get.pcap"),
		filepath.Join("testdata", "synthetic", "retrans.pcap"), filepath.Join("testdata", "synthetic", "http.pcap")}
	for _, n := range tcpCorpus {
		paths = append(paths, filepath.Join(corpus, "tcpdump-tests", n))
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			a := compareLive(t, path, fields, false, nil)
			total.values += a.values
			total.sameVals += a.sameVals
		})
	}
	t.Logf("tcp.analysis fields: %d/%d values as tshark", total.sameVals, total.values)
}

// tcpCorpus names captures of tcpdump's suite with TCP: a few of each kind
// (ssh, BGP, OpenFlow, MPTCP, TCP Fast Open, DNS over TCP, flag soup, and
// kday's broken lengths and times) to keep tshark's runs few.
var tcpCorpus = []string{"ssh.pcap", "bgp-4byte-asn.pcap", "of10_s4810.pcap", "of10_inv_OFPST_FLOW.pcap",
	"mptcp-v0.pcap", "tfo-5c1fa7f9ae91.pcap", "dns_tcp.pcap", "print-flags.pcap", "kday4.pcap"}
