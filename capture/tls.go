package capture

import (
	"strconv"
	"strings"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// TLS on Wireshark's TLS ports: records, the handshake messages in clear (Client
// Hello with its server name, ALPN, versions and cipher suites; Server Hello),
// and the session's version for the Protocol column. A record is decoded when
// it starts in the segment; records are not reassembled across segments.
var tlsProto = protocol{
	name: "tls", title: "TLS", desc: "Transport Layer Security (SSL 3.0 to TLS 1.3)", example: "tls",
	tcpPorts: []uint16{443, 465, 636, 853, 993, 995, 5061, 8883, 324, 802, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5671, 5684, 5868, 11207, 19999, 27017},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if !s.byPort || len(s.payload) < 5 || s.payload[0] < 20 || s.payload[0] > 24 || s.payload[1] != 3 {
			return rejected
		}
		s.takeApp(p)
		st := p.app.state
		tlsRecords(s.payload, func(typ uint8, ver uint16, body []byte) bool {
			switch {
			case typ == 20:
				st |= tlsEncrypted
			case typ == 22 && st&tlsEncrypted == 0 && len(body) >= 6 && body[0] == 2:
				// Server Hello: the session's version, for both directions.
				v := tlsServerVersion(body)
				st = st&^tlsVersionMask | tlsVersionCode(v)
				if s.rev != nil {
					s.rev.state = s.rev.state&^tlsVersionMask | tlsVersionCode(v)
				}
			}
			return true
		})
		p.app.after = st
		if s.dir != nil {
			s.dir.state = st
		}
		return taken
	},
	info: tlsColumns,
	fields: []field{
		{name: "tls.record.content_type", typ: filter.Uint, bits: 8, named: true, desc: "Record type: 20 change cipher spec, 21 alert, 22 handshake, 23 application data", example: "tls.record.content_type == 22",
			get: tlsRecordValues(func(a *appInfo, typ uint8, ver uint16, body []byte, dst []filter.Value) []filter.Value {
				if !tlsOpaque(a, typ) {
					dst = u(dst, uint64(typ))
				}
				return dst
			})},
		{name: "tls.record.opaque_type", typ: filter.Uint, bits: 8, named: true, desc: "Outer type of a TLS 1.3 encrypted record (23)", example: "tls.record.opaque_type == 23",
			get: tlsRecordValues(func(a *appInfo, typ uint8, ver uint16, body []byte, dst []filter.Value) []filter.Value {
				if tlsOpaque(a, typ) {
					dst = u(dst, uint64(typ))
				}
				return dst
			})},
		{name: "tls.record.version", typ: filter.Uint, bits: 16, named: true, hex: 4, desc: "Record version: 0x0301 TLS 1.0 ... 0x0303 TLS 1.2 (TLS 1.3 records say 0x0303)", example: "tls.record.version == 0x0303",
			get: tlsRecordValues(func(a *appInfo, typ uint8, ver uint16, body []byte, dst []filter.Value) []filter.Value {
				return u(dst, uint64(ver))
			})},
		{name: "tls.record.length", typ: filter.Uint, bits: 16, desc: "Record length, in bytes", example: "tls.record.length > 1000",
			get: tlsRecordValues(func(a *appInfo, typ uint8, ver uint16, body []byte, dst []filter.Value) []filter.Value {
				return u(dst, uint64(len(body)))
			})},
		{name: "tls.app_data", typ: filter.Bytes, desc: "Encrypted application data", example: "tls.app_data",
			get: tlsRecordValues(func(a *appInfo, typ uint8, ver uint16, body []byte, dst []filter.Value) []filter.Value {
				if typ == 23 {
					dst = append(dst, filter.Value{B: body})
				}
				return dst
			})},
		{name: "tls.handshake.type", typ: filter.Uint, bits: 8, named: true, desc: "Handshake message: 1 Client Hello, 2 Server Hello, 11 Certificate, 16 Client Key Exchange ...", example: "tls.handshake.type == 1",
			get: tlsHandshakes(func(typ uint8, body []byte, dst []filter.Value) []filter.Value { return u(dst, uint64(typ)) })},
		{name: "tls.handshake.version", typ: filter.Uint, bits: 16, named: true, hex: 4, desc: "Version a Client or Server Hello names (0x0303 for TLS 1.3 too)", example: "tls.handshake.version == 0x0303",
			get: tlsHandshakes(func(typ uint8, body []byte, dst []filter.Value) []filter.Value {
				if (typ == 1 || typ == 2) && len(body) >= 2 {
					dst = u(dst, uint64(be16(body)))
				}
				return dst
			})},
		{name: "tls.handshake.ciphersuite", typ: filter.Uint, bits: 16, named: true, hex: 4, desc: "Cipher suite: each one a Client Hello offers, the one the Server Hello chose", example: "tls.handshake.ciphersuite == 0x1301",
			get: tlsHello(func(h *tlsHelloInfo, dst []filter.Value) []filter.Value {
				for i := 0; i+1 < len(h.suites); i += 2 {
					dst = u(dst, uint64(be16(h.suites[i:])))
				}
				return dst
			})},
		{name: "tls.handshake.extension.type", typ: filter.Uint, bits: 16, named: true, desc: "Type of each extension of a hello: 0 server name, 16 ALPN, 43 supported versions", example: "tls.handshake.extension.type == 16",
			get: tlsExtensions(func(typ uint16, v []byte, client bool, dst []filter.Value) []filter.Value { return u(dst, uint64(typ)) })},
		{name: "tls.handshake.extensions_server_name", typ: filter.String, desc: "Server name (SNI) a Client Hello asks for", example: `tls.handshake.extensions_server_name == "www.example.com"`,
			get: tlsExtensions(func(typ uint16, v []byte, client bool, dst []filter.Value) []filter.Value {
				if typ != 0 || len(v) < 2 {
					return dst
				}
				for b := v[2:]; len(b) >= 3; {
					n := int(be16(b[1:]))
					if 3+n > len(b) {
						break
					}
					if b[0] == 0 {
						dst = append(dst, filter.Value{B: b[3 : 3+n]})
					}
					b = b[3+n:]
				}
				return dst
			})},
		{name: "tls.handshake.extensions_alpn_str", typ: filter.String, desc: "Application protocol (ALPN) a hello offers or selects: h2, http/1.1", example: `tls.handshake.extensions_alpn_str == "h2"`,
			get: tlsExtensions(func(typ uint16, v []byte, client bool, dst []filter.Value) []filter.Value {
				if typ != 16 || len(v) < 2 {
					return dst
				}
				for b := v[2:]; len(b) >= 1; {
					n := int(b[0])
					if 1+n > len(b) {
						break
					}
					dst = append(dst, filter.Value{B: b[1 : 1+n]})
					b = b[1+n:]
				}
				return dst
			})},
		{name: "tls.handshake.extensions.supported_version", typ: filter.Uint, bits: 16, named: true, hex: 4, desc: "Version a supported_versions extension offers or selects: 0x0304 TLS 1.3", example: "tls.handshake.extensions.supported_version == 0x0304",
			get: tlsExtensions(func(typ uint16, v []byte, client bool, dst []filter.Value) []filter.Value {
				if typ != 43 {
					return dst
				}
				if !client {
					if len(v) >= 2 {
						dst = u(dst, uint64(be16(v)))
					}
					return dst
				}
				if len(v) >= 1 {
					for b := v[1:min(len(v), 1+int(v[0]))]; len(b) >= 2; b = b[2:] {
						dst = u(dst, uint64(be16(b)))
					}
				}
				return dst
			})},
	},
}

// The TLS direction state: the session's version (tlsVersionCode) and whether
// this direction has sent Change Cipher Spec (what follows is encrypted).
const (
	tlsVersionMask = 0x07
	tlsEncrypted   = 0x08
)

func tlsVersionCode(v uint16) uint8 {
	if v >= 0x0300 && v <= 0x0304 {
		return uint8(v-0x0300) + 1
	}
	return 0
}

var tlsVersionNames = [...]string{"SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"}

func tlsVersionName(v uint16) string {
	if c := tlsVersionCode(v); c > 0 {
		return tlsVersionNames[c-1]
	}
	return "TLS"
}

// tlsOpaque: in TLS 1.3 an application-data record is an encrypted record of
// any inner type, shown as its opaque type.
func tlsOpaque(a *appInfo, typ uint8) bool { return typ == 23 && a.after&tlsVersionMask == 5 }

// tlsRecords calls fn for each whole record that starts in b.
func tlsRecords(b []byte, fn func(typ uint8, ver uint16, body []byte) bool) {
	for len(b) >= 5 && b[0] >= 20 && b[0] <= 24 && b[1] == 3 {
		n := int(be16(b[3:]))
		if 5+n > len(b) {
			return
		}
		if !fn(b[0], be16(b[1:]), b[5:5+n]) {
			return
		}
		b = b[5+n:]
	}
}

func tlsRecordValues(v func(a *appInfo, typ uint8, ver uint16, body []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		tlsRecords(p.app.payload, func(typ uint8, ver uint16, body []byte) bool {
			dst = v(&p.app, typ, ver, body, dst)
			return true
		})
		return dst
	}
}

// tlsHandshakes calls v for each handshake message in clear.
func tlsHandshakes(v func(typ uint8, body []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		st := p.app.state
		tlsRecords(p.app.payload, func(typ uint8, ver uint16, body []byte) bool {
			switch {
			case typ == 20:
				st |= tlsEncrypted
			case typ == 22 && st&tlsEncrypted == 0:
				for len(body) >= 4 {
					n := int(body[1])<<16 | int(be16(body[2:]))
					if 4+n > len(body) {
						break
					}
					dst = v(body[0], body[4:4+n], dst)
					body = body[4+n:]
				}
			}
			return true
		})
		return dst
	}
}

// tlsHelloInfo is a Client or Server Hello's cipher suites and extensions.
type tlsHelloInfo struct {
	client     bool
	suites     []byte
	extensions []byte
}

func parseHello(typ uint8, b []byte) (h tlsHelloInfo, ok bool) {
	if typ != 1 && typ != 2 || len(b) < 35 {
		return h, false
	}
	h.client = typ == 1
	b = b[34:] // version, random
	sid := int(b[0])
	if 1+sid > len(b) {
		return h, false
	}
	b = b[1+sid:]
	if h.client {
		if len(b) < 2 || 2+int(be16(b)) > len(b) {
			return h, false
		}
		h.suites, b = b[2:2+int(be16(b))], b[2+int(be16(b)):]
		if len(b) < 1 || 1+int(b[0]) > len(b) {
			return h, false
		}
		b = b[1+int(b[0]):] // compression methods
	} else {
		if len(b) < 3 {
			return h, false
		}
		h.suites, b = b[:2], b[3:]
	}
	if len(b) >= 2 && 2+int(be16(b)) <= len(b) {
		h.extensions = b[2 : 2+int(be16(b))]
	}
	return h, true
}

func tlsHello(v func(h *tlsHelloInfo, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return tlsHandshakes(func(typ uint8, body []byte, dst []filter.Value) []filter.Value {
		if h, ok := parseHello(typ, body); ok {
			dst = v(&h, dst)
		}
		return dst
	})
}

func tlsExtensions(v func(typ uint16, val []byte, client bool, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return tlsHello(func(h *tlsHelloInfo, dst []filter.Value) []filter.Value {
		for b := h.extensions; len(b) >= 4; {
			n := int(be16(b[2:]))
			if 4+n > len(b) {
				break
			}
			dst = v(be16(b), b[4:4+n], h.client, dst)
			b = b[4+n:]
		}
		return dst
	})
}

// tlsServerVersion is a Server Hello's version: its supported_versions
// extension's (TLS 1.3), or the version field.
func tlsServerVersion(hs []byte) uint16 {
	n := int(hs[1])<<16 | int(be16(hs[2:]))
	if 4+n > len(hs) {
		return 0
	}
	h, ok := parseHello(2, hs[4:4+n])
	if !ok {
		return 0
	}
	v := be16(hs[4:])
	for b := h.extensions; len(b) >= 4; {
		l := int(be16(b[2:]))
		if 4+l > len(b) {
			break
		}
		if be16(b) == 43 && l >= 2 {
			v = be16(b[4:])
		}
		b = b[4+l:]
	}
	return v
}

var tlsHandshakeNames = map[uint8]string{0: "Hello Request", 1: "Client Hello", 2: "Server Hello", 3: "Hello Verify Request", 4: "New Session Ticket", 5: "End of Early Data", 8: "Encrypted Extensions",
	11: "Certificate", 12: "Server Key Exchange", 13: "Certificate Request", 14: "Server Hello Done", 15: "Certificate Verify", 16: "Client Key Exchange", 20: "Finished", 24: "Key Update"}

var tlsAlertLevels = map[uint8]string{1: "Warning", 2: "Fatal"}

var tlsAlertNames = map[uint8]string{0: "Close Notify", 10: "Unexpected Message", 20: "Bad Record MAC", 40: "Handshake Failure", 42: "Bad Certificate", 43: "Unsupported Certificate",
	45: "Certificate Expired", 46: "Certificate Unknown", 47: "Illegal Parameter", 48: "Unknown CA", 50: "Decode Error", 51: "Decrypt Error", 70: "Protocol Version", 71: "Insufficient Security",
	80: "Internal Error", 86: "Inappropriate Fallback", 90: "User Canceled", 109: "Missing Extension", 110: "Unsupported Extension", 112: "Unrecognized Name", 116: "Certificate Required", 120: "No Application Protocol"}

// tlsColumns names each record (each handshake message in clear) as
// Wireshark's Info does, under the session's version.
func tlsColumns(p *Packet) (string, string) {
	a := &p.app
	var names []string
	st := a.state
	var first uint16
	tlsRecords(a.payload, func(typ uint8, ver uint16, body []byte) bool {
		if first == 0 {
			first = ver
		}
		switch typ {
		case 20:
			names = append(names, "Change Cipher Spec")
			st |= tlsEncrypted
		case 21:
			if st&tlsEncrypted != 0 || len(body) != 2 {
				names = append(names, "Encrypted Alert")
			} else {
				names = append(names, "Alert (Level: "+orUnknown(tlsAlertLevels[body[0]], body[0])+", Description: "+orUnknown(tlsAlertNames[body[1]], body[1])+")")
			}
		case 22:
			if st&tlsEncrypted != 0 {
				names = append(names, "Encrypted Handshake Message")
				break
			}
			for len(body) >= 4 {
				n := int(body[1])<<16 | int(be16(body[2:]))
				if 4+n > len(body) {
					break
				}
				names = append(names, orUnknown(tlsHandshakeNames[body[0]], body[0]))
				body = body[4+n:]
			}
		case 23:
			names = append(names, "Application Data")
		case 24:
			names = append(names, "Heartbeat")
		}
		return true
	})
	col := tlsVersionName(first)
	if c := a.after & tlsVersionMask; c > 0 {
		col = tlsVersionNames[c-1]
	}
	return col, strings.Join(names, ", ")
}

func orUnknown(name string, n uint8) string {
	if name == "" {
		return "Unknown (" + strconv.Itoa(int(n)) + ")"
	}
	return name
}
