package capture

import (
	"bytes"
	"net/netip"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// FTP's control connection (TCP port 21): a request is one command line to the
// server, a response a code and text; only the first line of a segment is
// parsed, as Wireshark does. A 227 or 229 reply or a PORT command announces
// a data connection (ftpdata.go; EPRT is read, ftp.eprt.*, but opens none,
// as in tshark 4.0); CWD, CDUP and PWD replies give the working directory.
var ftpProto = protocol{
	name: "ftp", title: "FTP", desc: "File Transfer Protocol (control connection)", example: "ftp",
	strEnc:   encASCII,
	tcpPorts: []uint16{21},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if !s.byPort {
			return rejected
		}
		s.takeApp(p)
		d.ftpControl(p)
		return taken
	},
	info: func(p *Packet) (string, string) {
		if p.app.req {
			return "FTP", "Request: " + string(firstLine(p.app.payload))
		}
		return "FTP", "Response: " + string(firstLine(p.app.payload))
	},
	fields: []field{
		{name: "ftp.request", typ: filter.Bool, desc: "The segment is a request (sent to the server's port)", example: "ftp.request == 1",
			get: appBool(func(a *appInfo) bool { return a.req })},
		{name: "ftp.response", typ: filter.Bool, desc: "The segment is a response", example: "ftp.response == 1",
			get: appBool(func(a *appInfo) bool { return !a.req })},
		{name: "ftp.request.command", typ: filter.String, desc: "Request command", example: `ftp.request.command == "USER"`,
			get: appText(requestCommand)},
		{name: "ftp.request.arg", typ: filter.String, desc: "Request argument", example: `ftp.request.arg == "anonymous"`,
			get: appText(requestArg)},
		{name: "ftp.response.code", typ: filter.Uint, bits: 32, named: true, desc: "Response code: 220 ready, 230 logged in, 331 password needed, 530 not logged in", example: "ftp.response.code == 230",
			get: appUint(func(a *appInfo) []byte {
				code, _ := ftpReply(a)
				return code
			})},
		{name: "ftp.response.arg", typ: filter.String, desc: "Response text after the code", example: `ftp.response.arg contains "successful"`,
			get: appText(func(a *appInfo) []byte {
				code, arg := ftpReply(a)
				if code == nil || len(arg) == 0 {
					return nil
				}
				return arg
			})},
		{name: "ftp.current-working-directory", typ: filter.String, desc: "The working directory, once a CWD, CDUP or PWD reply gave it", example: `ftp.current-working-directory == "/pub"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.ftp != nil {
					dst = append(dst, filter.Value{B: []byte(p.ftp.cwd)})
				}
				return dst
			}},
		{name: "ftp.active.cip", typ: filter.IPv4, desc: "Data address a PORT command (active mode) announces", example: "ftp.active.cip == 10.0.0.10",
			get: ftpHostOrPort(ftpPortCmd, false)},
		{name: "ftp.active.port", typ: filter.Uint, bits: 16, desc: "Data port a PORT command announces", example: "ftp.active.port > 1024",
			get: ftpHostOrPort(ftpPortCmd, true)},
		{name: "ftp.eprt.af", typ: filter.Uint, bits: 8, named: true, desc: "Address family of an EPRT command: 1 IPv4, 2 IPv6", example: "ftp.eprt.af == 2",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if af, _, _, ok := ftpEPRTCmd(&p.app); ok {
					dst = u(dst, af)
				}
				return dst
			}},
		{name: "ftp.eprt.ip", typ: filter.IPv4, desc: "IPv4 data address an EPRT command announces", example: "ftp.eprt.ip == 10.0.0.10",
			get: ftpEPRTAddr(false)},
		{name: "ftp.eprt.ipv6", typ: filter.IPv6, desc: "IPv6 data address an EPRT command announces", example: "ftp.eprt.ipv6 == 2001:db8::10",
			get: ftpEPRTAddr(true)},
		{name: "ftp.eprt.port", typ: filter.Uint, bits: 16, desc: "Data port an EPRT command announces", example: "ftp.eprt.port > 1024",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if _, _, port, ok := ftpEPRTCmd(&p.app); ok {
					dst = u(dst, uint64(port))
				}
				return dst
			}},
		{name: "ftp.epsv.ip", typ: filter.IPv4, desc: "A 229 (extended passive) reply's server address: its sender's", example: "ftp.epsv.ip == 10.0.0.80",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if _, ok := ftpEPSVReply(&p.app); ok && p.has&pIP != 0 {
					dst = u(dst, uint64(p.ip4.src))
				}
				return dst
			}},
		{name: "ftp.epsv.ipv6", typ: filter.IPv6, desc: "A 229 reply's server address over IPv6: its sender's", example: "ftp.epsv.ipv6 == 2001:db8::80",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if _, ok := ftpEPSVReply(&p.app); ok && p.has&pIP == 0 && p.has&pIPv6 != 0 {
					dst = append(dst, filter.Value{B: p.ip6.src[:]})
				}
				return dst
			}},
		{name: "ftp.epsv.port", typ: filter.Uint, bits: 16, desc: "Data port a 229 (extended passive) reply announces", example: "ftp.epsv.port > 1024",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if port, ok := ftpEPSVReply(&p.app); ok {
					dst = u(dst, uint64(port))
				}
				return dst
			}},
		{name: "ftp.passive.ip", typ: filter.IPv4, desc: "Data address a 227 (passive mode) reply announces", example: "ftp.passive.ip == 10.0.0.80",
			get: ftpHostOrPort(ftpPassive, false)},
		{name: "ftp.passive.port", typ: filter.Uint, bits: 16, desc: "Data port a 227 (passive mode) reply announces", example: "ftp.passive.port > 1024",
			get: ftpHostOrPort(ftpPassive, true)},
	},
}

// decodeText takes a text payload for a line protocol chosen by its port.
func decodeText(d *Decoder, p *Packet, s *segment) verdict {
	if !s.byPort {
		return rejected
	}
	s.takeApp(p)
	return taken
}

// ftpReply splits a response's first line into its three-digit code and text
// ("221-Goodbye." is 221, "Goodbye.").
func ftpReply(a *appInfo) (code, arg []byte) {
	if a.req {
		return nil, nil
	}
	l := firstLine(a.payload)
	if len(l) < 3 || !isDigits(l[:3]) || len(l) > 3 && l[3] != ' ' && l[3] != '-' {
		return nil, nil
	}
	if len(l) > 4 {
		arg = l[4:]
	}
	return l[:3], arg
}

func isDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// ftpPassive reads "227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)".
func ftpPassive(a *appInfo) (ip uint32, port uint16, ok bool) {
	code, arg := ftpReply(a)
	if string(code) != "227" {
		return 0, 0, false
	}
	i := bytes.IndexByte(arg, '(')
	j := bytes.IndexByte(arg, ')')
	if i < 0 || j < i {
		return 0, 0, false
	}
	return ftpHostPort(arg[i+1 : j])
}

// ftpHostOrPort is the address (or the port) a PORT command or a 227 reply
// announces.
func ftpHostOrPort(parse func(a *appInfo) (uint32, uint16, bool), port bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		switch ip, n, ok := parse(&p.app); {
		case !ok:
		case port:
			dst = u(dst, uint64(n))
		default:
			dst = u(dst, uint64(ip))
		}
		return dst
	}
}

// ftpPortCmd reads a PORT command's address and port.
func ftpPortCmd(a *appInfo) (uint32, uint16, bool) {
	if !asciiEqualFold(requestCommand(a), "port") {
		return 0, 0, false
	}
	return ftpHostPort(requestArg(a))
}

// ftpEPRTCmd reads an EPRT command's family, address and port.
func ftpEPRTCmd(a *appInfo) (af uint64, addr netip.Addr, port uint16, ok bool) {
	if !asciiEqualFold(requestCommand(a), "eprt") {
		return 0, addr, 0, false
	}
	return ftpEPRT(requestArg(a))
}

func ftpEPRTAddr(v6 bool) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if af, addr, _, ok := ftpEPRTCmd(&p.app); ok && (af == 2) == v6 {
			if v6 {
				b := addr.As16()
				dst = append(dst, filter.Value{B: b[:]})
			} else {
				b := addr.As4()
				dst = u(dst, uint64(be32(b[:])))
			}
		}
		return dst
	}
}

// ftpEPSVReply reads a 229 reply's port.
func ftpEPSVReply(a *appInfo) (uint16, bool) {
	code, arg := ftpReply(a)
	if string(code) != "229" {
		return 0, false
	}
	return ftpEPSV(arg)
}

// requestCommand is a text protocol request's first word ("USER", "RETR").
func requestCommand(a *appInfo) []byte {
	if !a.req {
		return nil
	}
	c, _ := word(firstLine(a.payload))
	return c
}

// requestArg is what follows a text protocol request's first word, if anything.
func requestArg(a *appInfo) []byte {
	if !a.req {
		return nil
	}
	if _, arg := word(firstLine(a.payload)); len(arg) > 0 {
		return arg
	}
	return nil
}
