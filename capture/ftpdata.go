package capture

import (
	"bytes"
	"net/netip"
	"strconv"
	"strings"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// FTP's data connections, as Wireshark's ftp-data dissector shows them. The
// control connection announces each one (ftp.go): a 227 reply to PASV the
// server's address and port, a 229 reply to EPSV its port, a PORT command
// the client's (not EPRT: tshark 4.0 opens no conversation for it). The TCP
// segments with a payload between that address and port and the other
// side's address (any port) are FTP-DATA, found by that conversation before
// any port. Each names how it was set up and, when a command followed the
// announcement before the data, the first such command (TYPE I, RETR
// readme.txt, LIST) and the working directory then. A payload whose first 20
// bytes are printable text (or CR, LF) is data-text-lines too. TCP port 20
// is FTP-DATA without any of that, as in Wireshark (its setup frame is the
// TCP conversation's first).
var ftpDataProto = protocol{
	name: "ftp-data", title: "FTP-DATA", desc: "FTP data connection (file transfers and listings)", example: "ftp-data",
	tcpPorts: []uint16{20},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if !s.tcp || !s.byPort {
			return rejected
		}
		// No announcement: Wireshark's setup frame is then the TCP
		// conversation's first.
		s.takeApp(p)
		if c := d.streams.last; c != nil {
			p.ftpData = &ftpDataConv{setupFrame: int(c.firstNum), byPort: true}
		}
		return taken
	},
	conv: func(d *Decoder, p *Packet, s *segment) bool {
		if !s.tcp || len(d.streams.ftpData) == 0 {
			return false
		}
		src, dst := p.endpoints()
		c := d.streams.ftpData[ftpDataKey{src, s.sport, dst}]
		if c == nil {
			c = d.streams.ftpData[ftpDataKey{dst, s.dport, src}]
		}
		if c == nil {
			return false
		}
		c.started = true
		s.takeApp(p)
		p.ftpData = c
		return true
	},
	info: func(p *Packet) (string, string) {
		s := "FTP Data: " + strconv.Itoa(len(p.app.payload)) + " bytes"
		if c := p.ftpData; c != nil && !c.byPort {
			s += " (" + c.method + ")"
			if c.commandFrame != 0 {
				s += " (" + c.command + ")"
			}
		}
		return "FTP-DATA", s
	},
	chain: func(p *Packet, b []byte) []byte {
		b = appendProto(b, "ftp-data")
		if ftpDataText(p.app.payload) {
			b = appendProto(b, "data-text-lines")
		}
		return b
	},
	fields: []field{
		{name: "ftp-data.setup-frame", typ: filter.Uint, bits: 32, desc: "The FTP frame that announced this data connection (a 227 or 229 reply, a PORT command); on port 20 without one, the TCP conversation's first frame", example: "ftp-data.setup-frame == 12",
			get: ftpDataNum(func(c *ftpDataConv) int { return c.setupFrame })},
		{name: "ftp-data.setup-method", typ: filter.String, desc: "How the data connection was set up: PASV, EPASV or PORT", example: `ftp-data.setup-method == "PASV"`,
			get: ftpDataString(func(c *ftpDataConv) (string, bool) { return c.method, !c.byPort })},
		{name: "ftp-data.command", typ: filter.String, desc: "The first command after the announcement (as Wireshark: TYPE I if it came before RETR): RETR readme.txt, LIST, STOR up.txt", example: `ftp-data.command contains "RETR"`,
			get: ftpDataString(func(c *ftpDataConv) (string, bool) { return c.command, c.commandFrame != 0 })},
		{name: "ftp-data.command-frame", typ: filter.Uint, bits: 32, desc: "The frame of that command", example: "ftp-data.command-frame == 25",
			get: ftpDataNum(func(c *ftpDataConv) int { return c.commandFrame })},
		{name: "ftp-data.current-working-directory", typ: filter.String, desc: "The control connection's working directory at that command (from CWD, CDUP and PWD replies)", example: `ftp-data.current-working-directory == "/pub"`,
			get: ftpDataString(func(c *ftpDataConv) (string, bool) {
				if c.cwd == nil {
					return "", false
				}
				return c.cwd.cwd, true
			})},
	},
}

// ftpDataText is Wireshark's test for a text payload: its first 20 bytes
// printable ASCII, CR or LF.
func ftpDataText(b []byte) bool {
	for _, c := range b[:min(20, len(b))] {
		if c != '\r' && c != '\n' && (c < 0x20 || c > 0x7e) {
			return false
		}
	}
	return true
}

func ftpDataNum(v func(c *ftpDataConv) int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if c := p.ftpData; c != nil && v(c) != 0 {
			dst = u(dst, uint64(v(c)))
		}
		return dst
	}
}

func ftpDataString(v func(c *ftpDataConv) (string, bool)) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if c := p.ftpData; c != nil {
			if s, ok := v(c); ok {
				dst = append(dst, filter.Value{B: []byte(s)})
			}
		}
		return dst
	}
}

// ftpConv is a control connection's state: its last command and working
// directory.
type ftpConv struct {
	lastCmd string
	cwd     *ftpView // nil until a CWD, CDUP or PWD reply gives it
	pending *ftpDataConv
}

// ftpView is what a control frame knows: the working directory then.
type ftpView struct{ cwd string }

// ftpDataConv is an announced data connection.
type ftpDataConv struct {
	setupFrame   int
	method       string
	command      string
	commandFrame int      // 0: no command yet
	cwd          *ftpView // the control connection's at that command, if known
	started      bool     // its data has begun: the command stays
	byPort       bool     // TCP port 20, no announcement: a setup frame only
}

// ftpDataKey finds a data connection: the announced address and port, and
// the other side's address.
type ftpDataKey struct {
	addr  [16]byte
	port  uint16
	other [16]byte
}

// ftpControl follows a control connection's segment: the command it
// records, the data connection it announces, the directory it changes to.
func (d *Decoder) ftpControl(p *Packet) {
	s := &d.streams
	if s.ftp == nil || len(s.ftp) >= maxSmallConns {
		s.ftp = make(map[uint32]*ftpConv)
	}
	c := s.ftp[p.tcp.stream]
	if c == nil {
		c = &ftpConv{}
		s.ftp[p.tcp.stream] = c
	}
	a := &p.app
	src, dst := p.endpoints()
	if a.req {
		line := firstLine(a.payload)
		c.lastCmd = string(line)
		if dc := c.pending; dc != nil && dc.commandFrame == 0 && !dc.started {
			dc.command, dc.commandFrame, dc.cwd = c.lastCmd, p.Number, c.cwd
		}
		if cmd, arg := word(line); asciiEqualFold(cmd, "port") {
			if ip, port, ok := ftpHostPort(arg); ok {
				d.ftpExpect(c, p, v4Key(ip), port, dst, "PORT")
			}
		}
	} else {
		code, arg := ftpReply(a)
		switch string(code) {
		case "227":
			if ip, port, ok := ftpPassive(a); ok {
				d.ftpExpect(c, p, v4Key(ip), port, dst, "PASV")
			}
		case "229":
			if port, ok := ftpEPSV(arg); ok {
				d.ftpExpect(c, p, src, port, dst, "EPASV")
			}
		case "250":
			if dir, ok := strings.CutPrefix(c.lastCmd, "CWD "); ok {
				c.chdir(dir)
			} else if strings.HasPrefix(c.lastCmd, "CDUP") {
				c.chdir("..")
			}
		case "257":
			if dir, ok := ftpQuoted(arg); ok {
				c.cwd = &ftpView{cwd: dir}
			}
		}
	}
	p.ftp = c.cwd
}

func v4Key(ip uint32) (k [16]byte) {
	k[10], k[11] = 0xff, 0xff
	k[12], k[13], k[14], k[15] = byte(ip>>24), byte(ip>>16), byte(ip>>8), byte(ip)
	return k
}

// ftpExpect remembers a data connection to addr:port from other.
func (d *Decoder) ftpExpect(c *ftpConv, p *Packet, addr [16]byte, port uint16, other [16]byte, method string) {
	s := &d.streams
	if s.ftpData == nil || len(s.ftpData) >= maxSmallConns {
		s.ftpData = make(map[ftpDataKey]*ftpDataConv)
	}
	dc := &ftpDataConv{setupFrame: p.Number, method: method}
	s.ftpData[ftpDataKey{addr, port, other}] = dc
	c.pending = dc
}

// chdir follows a successful CWD (or CDUP, ".."): an absolute path replaces
// the directory, a relative one is added to it, its "." and ".." resolved.
func (c *ftpConv) chdir(dir string) {
	if strings.HasPrefix(dir, "/") {
		c.cwd = &ftpView{cwd: dir}
		return
	}
	cur := "/"
	if c.cwd != nil {
		cur = c.cwd.cwd
	}
	parts := strings.Split(strings.Trim(cur, "/"), "/")
	if parts[0] == "" {
		parts = parts[:0]
	}
	for _, part := range strings.Split(dir, "/") {
		switch part {
		case "", ".":
		case "..":
			if len(parts) > 0 {
				parts = parts[:len(parts)-1]
			}
		default:
			parts = append(parts, part)
		}
	}
	c.cwd = &ftpView{cwd: "/" + strings.Join(parts, "/")}
}

// ftpQuoted reads the directory a 257 reply quotes ("/pub" is the current
// directory), a doubled quote standing for one.
func ftpQuoted(arg []byte) (string, bool) {
	if len(arg) < 2 || arg[0] != '"' {
		return "", false
	}
	var b []byte
	for i := 1; i < len(arg); i++ {
		if arg[i] == '"' {
			if i+1 < len(arg) && arg[i+1] == '"' {
				b = append(b, '"')
				i++
				continue
			}
			return string(b), true
		}
		b = append(b, arg[i])
	}
	return "", false
}

// ftpHostPort reads PORT's h1,h2,h3,h4,p1,p2.
func ftpHostPort(arg []byte) (ip uint32, port uint16, ok bool) {
	parts := bytes.Split(bytes.TrimSpace(arg), []byte(","))
	if len(parts) != 6 {
		return 0, 0, false
	}
	var n [6]uint64
	for k, part := range parts {
		v, ok := parseDec(bytes.TrimSpace(part))
		if !ok || v > 255 {
			return 0, 0, false
		}
		n[k] = v
	}
	return uint32(n[0]<<24 | n[1]<<16 | n[2]<<8 | n[3]), uint16(n[4]<<8 | n[5]), true
}

// ftpEPRT reads EPRT's |af|address|port| (any delimiter): family 1 with an
// IPv4 address, 2 with an IPv6 one.
func ftpEPRT(arg []byte) (af uint64, addr netip.Addr, port uint16, ok bool) {
	arg = bytes.TrimSpace(arg)
	if len(arg) < 2 {
		return 0, addr, 0, false
	}
	parts := bytes.Split(arg[1:], arg[:1])
	if len(parts) != 4 || len(parts[3]) != 0 {
		return 0, addr, 0, false
	}
	af, ok1 := parseDec(parts[0])
	pn, ok2 := parseDec(parts[2])
	addr, err := netip.ParseAddr(string(parts[1]))
	if !ok1 || !ok2 || pn > 65535 || err != nil || !(af == 1 && addr.Is4() || af == 2 && addr.Is6()) {
		return 0, addr, 0, false
	}
	return af, addr, uint16(pn), true
}

// ftpEPSV reads a 229 reply's (|||port|).
func ftpEPSV(arg []byte) (uint16, bool) {
	i := bytes.IndexByte(arg, '(')
	if i < 0 || len(arg) < i+6 {
		return 0, false
	}
	b := arg[i+1:]
	c := b[0]
	if b[1] != c || b[2] != c {
		return 0, false
	}
	j := bytes.IndexByte(b[3:], c)
	if j < 0 || len(b) <= 3+j+1 || b[3+j+1] != ')' {
		return 0, false
	}
	n, ok := parseDec(b[3 : 3+j])
	if !ok || n > 65535 {
		return 0, false
	}
	return uint16(n), true
}
