package capture

import (
	"crypto/tls"
	"testing"
)

// TestTLSMatchesTshark frames real TLS 1.2 and 1.3 sessions (crypto/tls on
// both ends, an HTTP exchange inside) and compares every line and every TLS
// field with what tshark prints for them.
func TestTLSMatchesTshark(t *testing.T) {
	needTshark(t)
	dir := t.TempDir()
	tests := []struct {
		name    string
		version uint16
		sni     string
		alpn    []string
		port    uint16
	}{
		{"tls13", tls.VersionTLS13, "www.example.com", []string{"h2", "http/1.1"}, 443},
		{"tls12", tls.VersionTLS12, "lab.example.org", []string{"http/1.1"}, 443},
		{"tls12-imaps", tls.VersionTLS12, "mail.example.org", nil, 993},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeDialogue(t, dir, tt.name, 40020, tt.port, tlsDialogue(t, tt.version, tt.sni, tt.alpn))
			// Certificates are not parsed: tshark adds x509 layers to that frame.
			skip := map[string]bool{}
			if tt.version == tls.VersionTLS12 {
				skip["5 frame.protocols"] = true
			}
			compareLive(t, path, append([]string{"frame.protocols"}, protoFields("tls")...), true, skip)
			compareFilters(t, path, []string{"tls.handshake.type == 1", `tls.handshake.extensions_server_name == "` + tt.sni + `"`,
				"tls.record.content_type == 23", "tls.handshake.extensions_alpn_str", "tls.record.version == 0x0301",
				// Wireshark's former name still filters.
				"ssl", "ssl.handshake.type == 2", `ssl.handshake.extensions_server_name == "` + tt.sni + `"`})
		})
	}
}
