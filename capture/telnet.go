package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// Telnet (TCP port 23): option negotiation (IAC commands) and the data between.
var telnetProto = protocol{
	name: "telnet", title: "Telnet", desc: "Telnet", example: "telnet",
	strEnc:   encASCII,
	tcpPorts: []uint16{23},
	decode:   decodeText,
	info:     func(p *Packet) (string, string) { return "TELNET", "Telnet Data ..." },
	fields: []field{
		{name: "telnet.cmd", typ: filter.Uint, bits: 8, named: true, desc: "Command after IAC: 251 WILL, 252 WON'T, 253 DO, 254 DON'T, 250 SB ...", example: "telnet.cmd == 253",
			get: telnetValues(func(cmd, opt int, data []byte, dst []filter.Value) []filter.Value {
				if cmd >= 0 {
					dst = u(dst, uint64(cmd))
				}
				return dst
			})},
		{name: "telnet.subcmd", typ: filter.Uint, bits: 8, desc: "Option a WILL, WON'T, DO or DON'T names: 1 echo, 24 terminal type, 31 window size", example: "telnet.subcmd == 24",
			get: telnetValues(func(cmd, opt int, data []byte, dst []filter.Value) []filter.Value {
				if opt >= 0 {
					dst = u(dst, uint64(opt))
				}
				return dst
			})},
		{name: "telnet.data", typ: filter.String, desc: "Data between commands", example: `telnet.data contains "login"`,
			get: telnetValues(func(cmd, opt int, data []byte, dst []filter.Value) []filter.Value {
				if data != nil {
					dst = append(dst, filter.Value{B: data})
				}
				return dst
			})},
	},
}

// telnetValues walks the payload: each IAC command (with its option for
// WILL/WON'T/DO/DON'T) and each run of data is one call of v.
func telnetValues(v func(cmd, opt int, data []byte, dst []filter.Value) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		b := p.app.payload
		for len(b) > 0 {
			if b[0] != 0xff || len(b) < 2 || b[1] == 0xff {
				i := 0
				for i < len(b) && (b[i] != 0xff || i+1 < len(b) && b[i+1] == 0xff) {
					if b[i] == 0xff {
						i++
					}
					i++
				}
				dst = v(-1, -1, b[:i], dst)
				b = b[i:]
				continue
			}
			cmd := int(b[1])
			switch {
			case cmd >= 251 && cmd <= 254 && len(b) >= 3:
				dst = v(cmd, int(b[2]), nil, dst)
				b = b[3:]
			case cmd == 250: // SB ... IAC SE
				opt := -1
				if len(b) >= 3 {
					opt = int(b[2])
				}
				dst = v(cmd, opt, nil, dst)
				end := 2
				for end+1 < len(b) && !(b[end] == 0xff && b[end+1] == 240) {
					end++
				}
				b = b[min(end+2, len(b)):]
			default:
				dst = v(cmd, -1, nil, dst)
				b = b[2:]
			}
		}
		return dst
	}
}
