package capture

import (
	"bytes"
	"time"
)

// SSDP (UDP port 1900, UPnP discovery: M-SEARCH, NOTIFY and their
// answers), as Wireshark's ssdp dissector shows it: each datagram is an HTTP
// message read by the http.* fields, but the frame's protocol is ssdp, not
// http (the filter http does not match it, http.request.method does). A
// NOTIFY is a notification, not a request: it has http.request.method but no
// http.request, as in Wireshark. A response answers the oldest search sent
// between the same two endpoints (a unicast search: Wireshark pairs a search
// sent to the multicast group with no answer, as it is another conversation).
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
		src, dst := p.endpoints()
		switch {
		case m.request && !m.notification:
			k := connKey{src, dst, s.sport, s.dport}
			d.streams.ssdpAsk(k, httpReq{frame: p.Number, at: p.Relative, uri: fullURIString(&m)})
			m.prev = d.streams.ssdpPairs(k).pushPair(true, p.Number)
		case !m.request:
			k := connKey{dst, src, s.dport, s.sport}
			d.streams.ssdpAnswer(k, &m, p.Relative)
			m.prev = d.streams.ssdpPairs(k).pushPair(false, p.Number)
		}
		p.http.msgs = append(p.http.msgs[:0], m)
		return taken
	},
	info: func(p *Packet) (string, string) {
		_, info := httpColumns(p)
		return "SSDP", info
	},
}

// ssdpAsk remembers a search its answer will name (at most 64 a
// conversation; the table is forgotten wholesale when full).
func (s *streams) ssdpAsk(k connKey, r httpReq) {
	if s.ssdp == nil || len(s.ssdp) >= maxSmallConns {
		s.ssdp = make(map[connKey][]httpReq)
	}
	if q := s.ssdp[k]; len(q) < 64 {
		s.ssdp[k] = append(q, r)
	}
}

// ssdpAnswer pairs a final response with the oldest search k awaits an
// answer to.
func (s *streams) ssdpAnswer(k connKey, m *httpMsg, at time.Duration) {
	q := s.ssdp[k]
	if len(q) == 0 || m.code < 200 {
		return
	}
	m.reqFrame, m.reqTime, m.reqURI = q[0].frame, at-q[0].at, q[0].uri
	if len(q) == 1 {
		delete(s.ssdp, k)
	} else {
		s.ssdp[k] = q[1:]
	}
}

// ssdpPairs is the request/response pairs list of a conversation (k: from
// the searcher), as http keeps it for TCP (http.prev_request_in).
func (s *streams) ssdpPairs(k connKey) *httpMore {
	if s.ssdpLists == nil || len(s.ssdpLists) >= maxSmallConns {
		s.ssdpLists = make(map[connKey]*httpMore)
	}
	x := s.ssdpLists[k]
	if x == nil {
		x = new(httpMore)
		s.ssdpLists[k] = x
	}
	return x
}
