package capture

import (
	"path/filepath"
	"testing"
)

// TestTCPFieldsMatchTshark compares the TCP header, option and timing fields
// with tshark on the recorded HTTP capture and on captures of tcpdump's suite.
func TestTCPFieldsMatchTshark(t *testing.T) {
	needTshark(t)
	corpus := corpusDir(t)
	fields := []string{"tcp.flags.str", "tcp.time_delta", "tcp.time_relative", "tcp.option_kind", "tcp.options.mss_val",
		"tcp.options.wscale.shift", "tcp.options.wscale.multiplier", "tcp.options.timestamp.tsval", "tcp.options.timestamp.tsecr", "tcp.stream"}
	for _, path := range []string{filepath.Join(corpus, "captures", "http-get.pcap"), filepath.Join(corpus, "tcpdump-tests", "print-flags.pcap"),
		filepath.Join(corpus, "tcpdump-tests", "dns_tcp.pcap"), filepath.Join("testdata", "synthetic", "http.pcap"), filepath.Join("testdata", "synthetic", "retrans.pcap")} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			compareLive(t, path, fields, false, nil)
		})
	}
	compareFilters(t, filepath.Join(corpus, "captures", "http-get.pcap"), []string{`tcp.flags.str == "··········S·"`, "tcp.option_kind == 4", "tcp.time_delta > 0.001", "tcp.options.wscale.shift == 7"})
}
