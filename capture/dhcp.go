package capture

import (
	"strconv"
	"strings"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// DHCP and BOOTP (UDP ports 67, 68 and 4011): the fixed header, and the
// options of a DHCP message (one occurrence of dhcp.option.type per option, in
// order). A message without a DHCP message type is BOOTP.
var dhcpProto = protocol{
	name: "dhcp", title: "DHCP", desc: "Dynamic Host Configuration Protocol (and BOOTP)", example: "dhcp",
	strEnc:   encASCII,
	udpPorts: []uint16{67, 68, 4011},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if !s.byPort || len(s.payload) < 236 {
			return rejected
		}
		s.takeApp(p)
		return taken
	},
	info: func(p *Packet) (string, string) {
		b := p.app.payload
		t, ok := dhcpOption(b, 53)
		if !ok || len(t) != 1 {
			return "BOOTP", "Boot " + map[byte]string{1: "Request", 2: "Reply"}[b[0]]
		}
		name := dhcpTypeNames[t[0]]
		if name == "" {
			name = "Unknown Message Type (0x" + strconv.FormatUint(uint64(t[0]), 16) + ")"
		}
		if n := len(name); n < 8 {
			name += strings.Repeat(" ", 8-n)
		}
		return "DHCP", "DHCP " + name + " - Transaction ID 0x" + strconv.FormatUint(uint64(be32(b[4:])), 16)
	},
	fields: []field{
		{name: "dhcp.type", typ: filter.Uint, bits: 8, named: true, desc: "Message type: 1 boot request (client), 2 boot reply (server)", example: "dhcp.type == 1",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(b[0]) })},
		{name: "dhcp.hw.type", typ: filter.Uint, bits: 8, named: true, hex: 2, desc: "Hardware type: 0x01 Ethernet (also a client identifier's)", example: "dhcp.hw.type == 0x01",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				dst = u(dst, uint64(p.app.payload[1]))
				if id, ok := dhcpClientID(p.app.payload); ok {
					dst = u(dst, uint64(id[0]))
				}
				return dst
			}},
		{name: "dhcp.hw.len", typ: filter.Uint, bits: 8, desc: "Hardware address length", example: "dhcp.hw.len == 6",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(b[2]) })},
		{name: "dhcp.hops", typ: filter.Uint, bits: 8, desc: "Relay hops", example: "dhcp.hops > 0",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(b[3]) })},
		{name: "dhcp.id", typ: filter.Uint, bits: 32, hex: 8, desc: "Transaction ID", example: "dhcp.id == 0x6e32864",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(be32(b[4:])) })},
		{name: "dhcp.secs", typ: filter.Uint, bits: 16, desc: "Seconds since the client began", example: "dhcp.secs > 0",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(be16(b[8:])) })},
		{name: "dhcp.flags", typ: filter.Uint, bits: 16, hex: 4, desc: "Flags: 0x8000 broadcast", example: "dhcp.flags & 0x8000",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(be16(b[10:])) })},
		{name: "dhcp.flags.bc", typ: filter.Bool, named: true, desc: "The client asks for broadcast replies", example: "dhcp.flags.bc == 1",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(b[10] >> 7) })},
		{name: "dhcp.ip.client", typ: filter.IPv4, desc: "Client IP address (ciaddr)", example: "dhcp.ip.client == 0.0.0.0",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(be32(b[12:])) })},
		{name: "dhcp.ip.your", typ: filter.IPv4, desc: "Address offered or assigned to the client (yiaddr)", example: "dhcp.ip.your == 192.168.1.4",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(be32(b[16:])) })},
		{name: "dhcp.ip.server", typ: filter.IPv4, desc: "Next server IP address (siaddr)", example: "dhcp.ip.server != 0.0.0.0",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(be32(b[20:])) })},
		{name: "dhcp.ip.relay", typ: filter.IPv4, desc: "Relay agent IP address (giaddr)", example: "dhcp.ip.relay != 0.0.0.0",
			get: dhcpFixed(func(b []byte) uint64 { return uint64(be32(b[24:])) })},
		{name: "dhcp.hw.mac_addr", typ: filter.Ether, desc: "Client MAC address (chaddr for Ethernet, and a client identifier's)", example: "dhcp.hw.mac_addr == 00:0c:29:1f:74:06",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.app.payload; b[1] == 1 && b[2] == 6 {
					dst = u(dst, mac48(b[28:34]))
				}
				if id, ok := dhcpClientID(p.app.payload); ok {
					dst = u(dst, mac48(id[1:]))
				}
				return dst
			}},
		{name: "dhcp.server", typ: filter.String, desc: "Server host name (sname), when given", example: `dhcp.server == "boot"`,
			get: dhcpName(44, 64)},
		{name: "dhcp.file", typ: filter.String, desc: "Boot file name, when given", example: `dhcp.file contains "pxelinux"`,
			get: dhcpName(108, 128)},
		{name: "dhcp.cookie", typ: filter.IPv4, desc: "Magic cookie, when it is DHCP's (99.130.83.99)", example: "dhcp.cookie == 99.130.83.99",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.app.payload; len(b) >= 240 && be32(b[236:]) == 0x63825363 {
					dst = u(dst, uint64(be32(b[236:])))
				}
				return dst
			}},
		{name: "dhcp.option.type", typ: filter.Uint, bits: 8, desc: "Each option's code, in order: 53 message type, 50 requested address, 55 parameter list ...", example: "dhcp.option.type == 55",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				dhcpOptions(p.app.payload, func(code byte, v []byte) {
					if code == 255 {
						code = 0 // tshark shows End as type 0
					}
					dst = u(dst, uint64(code))
				})
				return dst
			}},
		{name: "dhcp.option.dhcp", typ: filter.Uint, bits: 8, named: true, desc: "DHCP message type: 1 Discover, 2 Offer, 3 Request, 4 Decline, 5 ACK, 6 NAK, 7 Release, 8 Inform", example: "dhcp.option.dhcp == 1",
			get: dhcpOptUint(53)},
		{name: "dhcp.option.requested_ip_address", typ: filter.IPv4, desc: "Address the client asks for (option 50)", example: "dhcp.option.requested_ip_address == 192.168.1.4",
			get: dhcpOptUint(50)},
		{name: "dhcp.option.dhcp_server_id", typ: filter.IPv4, desc: "DHCP server identifier (option 54)", example: "dhcp.option.dhcp_server_id == 192.168.1.1",
			get: dhcpOptUint(54)},
		{name: "dhcp.option.hostname", typ: filter.String, desc: "Client host name (option 12)", example: `dhcp.option.hostname == "laptop"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if v, ok := dhcpOption(p.app.payload, 12); ok {
					dst = append(dst, filter.Value{B: v})
				}
				return dst
			}},
		{name: "dhcp.option.subnet_mask", typ: filter.IPv4, desc: "Subnet mask (option 1)", example: "dhcp.option.subnet_mask == 255.255.255.0",
			get: dhcpOptUint(1)},
		{name: "dhcp.option.router", typ: filter.IPv4, desc: "Each router (option 3)", example: "dhcp.option.router == 192.168.1.1",
			get: dhcpOptAddrs(3)},
		{name: "dhcp.option.domain_name_server", typ: filter.IPv4, desc: "Each DNS server (option 6)", example: "dhcp.option.domain_name_server == 192.168.1.1",
			get: dhcpOptAddrs(6)},
		{name: "dhcp.option.ip_address_lease_time", typ: filter.Uint, bits: 32, desc: "Lease time in seconds (option 51)", example: "dhcp.option.ip_address_lease_time >= 3600",
			get: dhcpOptUint(51)},
	},
}

var dhcpTypeNames = map[byte]string{1: "Discover", 2: "Offer", 3: "Request", 4: "Decline", 5: "ACK", 6: "NAK", 7: "Release", 8: "Inform",
	9: "Force Renew", 10: "Lease query", 11: "Lease Unassigned", 12: "Lease Unknown", 13: "Lease Active", 14: "Bulk Lease Query", 15: "Lease Query Done",
	16: "Active LeaseQuery", 17: "Lease Query Status", 18: "TLS"}

func dhcpFixed(v func(b []byte) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, v(p.app.payload)) }
}

// dhcpName is sname or file: absent when its first byte is NUL.
func dhcpName(off, n int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		b := p.app.payload[off : off+n]
		if b[0] == 0 {
			return dst
		}
		for i, c := range b {
			if c == 0 {
				b = b[:i]
				break
			}
		}
		return append(dst, filter.Value{B: b})
	}
}

// dhcpOptions calls fn for each option after the magic cookie, up to End.
func dhcpOptions(b []byte, fn func(code byte, v []byte)) {
	if len(b) < 240 || be32(b[236:]) != 0x63825363 {
		return
	}
	for b = b[240:]; len(b) > 0; {
		code := b[0]
		switch {
		case code == 255:
			fn(255, nil)
			return
		case code == 0:
			fn(0, nil)
			b = b[1:]
			continue
		case len(b) < 2 || 2+int(b[1]) > len(b):
			return
		}
		fn(code, b[2:2+int(b[1])])
		b = b[2+int(b[1]):]
	}
}

func dhcpOption(b []byte, want byte) (val []byte, ok bool) {
	dhcpOptions(b, func(code byte, v []byte) {
		if code == want && !ok {
			val, ok = v, true
		}
	})
	return val, ok
}

func dhcpOptUint(code byte) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		v, ok := dhcpOption(p.app.payload, code)
		switch {
		case !ok:
		case len(v) == 1:
			dst = u(dst, uint64(v[0]))
		case len(v) == 4:
			dst = u(dst, uint64(be32(v)))
		}
		return dst
	}
}

func dhcpOptAddrs(code byte) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		v, _ := dhcpOption(p.app.payload, code)
		for ; len(v) >= 4; v = v[4:] {
			dst = u(dst, uint64(be32(v)))
		}
		return dst
	}
}

// dhcpClientID is an Ethernet client identifier (option 61: type 1, a MAC).
func dhcpClientID(b []byte) ([]byte, bool) {
	v, ok := dhcpOption(b, 61)
	if !ok || len(v) != 7 || v[0] != 1 {
		return nil, false
	}
	return v, true
}
