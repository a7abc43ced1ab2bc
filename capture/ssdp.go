package capture

import "bytes"

// SSDP (UDP port 1900, UPnP discovery: M-SEARCH, NOTIFY and their
// answers), as Wireshark's ssdp dissector shows it: each datagram is an HTTP
// message read by the http.* fields, but the frame's protocol is ssdp, not
// http (the filter http does not match it, http.request.method does). A
// NOTIFY is a notification, not a request: it has http.request.method but no
// http.request, as in Wireshark.
var ssdpProto = protocol{
	name: "ssdp", title: "SSDP", desc: "Simple Service Discovery Protocol (its messages are read by the http.* fields)", example: "ssdp",
	udpPorts: []uint16{1900},
	shares:   "http",
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		b := s.payload
		if s.tcp || !looksLikeHTTP(b) && !bytes.HasPrefix(b, []byte("M-SEARCH ")) && !bytes.HasPrefix(b, []byte("NOTIFY ")) {
			return rejected
		}
		var m httpMsg
		messageLength(&m, b, true)
		m.notification = bytes.HasPrefix(b, []byte("NOTIFY "))
		p.http.msgs = append(p.http.msgs[:0], m)
		return taken
	},
	info: func(p *Packet) (string, string) {
		_, info := httpColumns(p)
		return "SSDP", info
	},
}
