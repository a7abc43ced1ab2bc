package capture

import (
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// TestHTTPFieldsMatchTshark compares every http.* field, and the HTTP lines,
// with tshark: tcpdump's HTTP captures, the loopback page fetch, and a
// capture the test writes with what a sniffing lab looks for (cookies, Basic
// credentials, a referer), a chunked body, a pipelined pair of requests and
// their responses, a HEAD, and a request whose URI is absolute.
func TestHTTPFieldsMatchTshark(t *testing.T) {
	needTshark(t)
	const (
		get1   = "GET /login HTTP/1.1\r\nHost: lab.example\r\nCookie: session=abc123; theme=dark\r\nReferer: http://lab.example/\r\nUser-Agent: wirelab-test/1\r\n\r\n"
		resp1  = "HTTP/1.1 200 OK\r\nServer: lab/1\r\nContent-Type: text/html\r\nContent-Length: 13\r\n\r\n<h1>login</h1"
		post   = "POST /login HTTP/1.1\r\nHost: lab.example\r\nAuthorization: Basic c3R1ZGVudDpodW50ZXIy\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 21\r\n\r\nuser=alice&pass=hunt2"
		resp2  = "HTTP/1.1 302 Found\r\nLocation: /home\r\nSet-Cookie: session=def456\r\nContent-Length: 0\r\n\r\n"
		pipe   = "GET /a HTTP/1.1\r\nHost: lab.example\r\n\r\nHEAD /b HTTP/1.1\r\nHost: lab.example\r\n\r\n"
		resp3  = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n"
		proxy  = "GET http://other.example/x?y=1 HTTP/1.1\r\nHost: other.example\r\nAccept-Encoding: gzip\r\n\r\n"
		resp4  = "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\x1f\x8b\x08\x00"
		nohost = "GET /nohost HTTP/1.0\r\n\r\n"
	)
	// The last request's headers hold control bytes: tshark prints a string
	// field's as they are (but \t, \r, \n ...), the Info column escaped.
	ctl := "GET /c\x01t HTTP/1.1\r\nHost: lab.example\r\nUser-Agent: a\x01b\x07c\x0bd\x1be\x7ff\tg\r\n\r\n"
	d := dialogue{{true, get1}, {false, resp1}, {true, post}, {false, resp2}, {true, pipe}, {false, resp3}, {true, proxy}, {false, resp4}, {true, nohost}, {true, ctl}}
	syn := filepath.Join(t.TempDir(), "http-fields.pcap")
	writePcap(t, syn, layers.LinkTypeEthernet, dialogueFrames(t, 51000, 80, d))

	fields := append([]string{"frame.protocols"}, protoFields("http")...)
	corpus := corpusDir(t)
	paths := []string{syn, filepath.Join(corpus, "captures", "http-get.pcap")}
	for _, f := range []string{"accecn_handshake.pcap", "ipv4_tcp_http_xml.pcap", "ipv4_tcp_http_xml_tso.pcap", "print-flags.pcap"} {
		paths = append(paths, filepath.Join(corpus, "tcpdump-tests", f))
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			skip, lines := map[string]bool{}, true
			switch filepath.Base(path) {
			case "http-fields.pcap":
				// Frame 9 holds both pipelined responses. tshark 4.0 pairs
				// each with the latest request of the frame it came in (the
				// HEAD): http.response_for.uri "/b" twice, and shows
				// http.request_in and http.time once. wirelab pairs each
				// response with its own request, as HTTP does.
				for _, f := range []string{"http.request_in", "http.time", "http.response_for.uri"} {
					skip[lineKey(9, f)] = true
				}
			case "accecn_handshake.pcap":
				lines = false // its TCP Info shows AccECN counters (ACE=, EE0B=): the TCP test's business
			}
			compareLive(t, path, fields, lines, skip)
		})
	}
	compareFilters(t, syn, []string{
		`http.cookie contains "session"`, `http.authorization contains "Basic"`, `http.referer == "http://lab.example/"`,
		`http.request.line contains "Cookie"`, `http.response.line contains "Location"`,
		`http.request.full_uri == "http://lab.example/login"`, `http.request.full_uri contains "other.example"`,
		"http.request_in", "http.time >= 0", `http.response_for.uri contains "/login"`,
		`http.file_data contains "hello world"`, `http.file_data contains "alice"`, "http.file_data", "http.request_in == 4",
		"urlencoded-form", "data-text-lines", "media", "json", "xml",
	})
	compareFilters(t, filepath.Join(corpus, "tcpdump-tests", "ipv4_tcp_http_xml.pcap"), []string{"xml", "http && !xml", "data-text-lines"})
}
