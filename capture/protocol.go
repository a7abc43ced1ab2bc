package capture

import (
	"fmt"
	"math/bits"
	"strings"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// The protocol table. Each protocol is one file holding one protocol value: its
// fields (name, type, description, value function), how it is recognised
// (TCP/UDP ports and a heuristic), its decoder and its Info-column text. The
// field registry (Fields), Packet.Values, `-T fields`, the Lua packet API and
// docs/filters.md all read this table; nothing else lists fields or ports.
//
// To add a protocol: write NAME.go with `var nameProto = protocol{...}` and list
// it in protocols below, in the order of the layers (it decides the order of
// frame.protocols, of the reference and which protocol names the Info column).

// protocols is the table, outermost layer first.
var protocols = []*protocol{
	&frameProto, &ethProto, &vlanProto, &sllProto, &nullProto, &rawProto, &chdlcProto, &slarpProto, &pppoedProto, &pppoesProto, &pppProto,
	&lcpProto, &ipcpProto, &ipv6cpProto, &papProto, &chapProto, &llcProto, &stpProto, &cdpProto, &lldpProto,
	&mplsProto, &arpProto, &ipProto, &ipv6Proto, &tcpProto, &udpProto, &mplsUDPProto, &icmpProto, &icmpv6Proto,
	&igmpProto, &greProto, &erspanProto, &cmdProto,
	&dnsProto, &httpProto, &tlsProto, &ftpProto, &smtpProto, &popProto, &imapProto, &sshProto, &telnetProto,
	&dhcpProto, &ntpProto, &snmpProto, &tftpProto, &ftpDataProto, &ssdpProto, &vxlanProto, &geneveProto, &mdnsProto, &sipProto, &sdpProto, &otherProto, &dataProto,
}

// protocol is one entry of the table.
type protocol struct {
	name    string // the protocol field's name, as Wireshark filters name it: "tcp"
	title   string // its section title in docs/filters.md: "TCP"
	desc    string // the protocol field's description
	example string // a display filter using the protocol field
	noField bool   // a layer frame.protocols names that has no filter field (raw)
	// header: a link, network or transport header (or the frame itself),
	// whose fields a Decoder with HeadersOnly reads as a full one does,
	// except those marked conv (headers.go).
	header bool
	// shares names a protocol whose fields (all but its protocol field) read
	// this one's packets too: SSDP's messages are http.* fields'.
	shares string
	// shown tells whether the protocol's own field is present in a packet
	// that has the protocol (nil: always). IGMP is in frame.protocols, but has
	// no field, when Wireshark hands a type to another dissector.
	shown func(p *Packet) bool
	// strEnc is how its String fields' bytes become their values, as its
	// Wireshark dissector reads them (ENC_ASCII, ENC_UTF_8: text.go); a
	// field's enc overrides it. encDefault keeps the bytes as they are.
	strEnc strEnc

	// bit is the protocol's presence bit in Packet.has. Protocols decoded by the
	// link, network and transport layers have a fixed bit (pTCP ...); the table
	// gives every other protocol one of its own.
	bit    uint64
	fields []field

	// Recognition of an application protocol: Wireshark's TCP and UDP ports
	// (the lower port is tried first), then heuristic on any port.
	tcpPorts, udpPorts []uint16
	heuristic          func(payload []byte, tcp bool) bool
	// ip4Protos are the IPv4 protocol numbers of a protocol carried on IP
	// itself (IGMP: 2); decode gets the IP payload, with no ports.
	ip4Protos []uint8
	// ip6 makes ip4Protos IPv6 next headers too (GRE: 47), after a header
	// without extension headers.
	ip6 bool
	// etherTypes are the EtherTypes of a protocol carried on the link layer
	// itself (LLDP: 0x88cc); decode gets the link payload.
	etherTypes []uint16
	// decode decodes one payload (s.payload) the ports or the heuristic chose.
	decode func(d *Decoder, p *Packet, s *segment) verdict
	// conv claims a UDP or TCP payload of a conversation the protocol
	// announced, before any port is tried (TFTP's transfer, whose server
	// answers from a port of its own; the FTP data connection a PASV reply
	// announces); it reports whether it decoded the payload.
	conv func(d *Decoder, p *Packet, s *segment) bool
	// flush completes what a direction buffered when it closes (FIN); reset
	// drops it after a gap. Both are for protocols that reassemble.
	flush func(d *Decoder, p *Packet, dir *tcpDir)
	reset func(d *Decoder, dir *tcpDir)

	// info returns the Protocol and Info columns when this is the packet's
	// topmost protocol with an info function.
	info func(p *Packet) (column, info string)
	// chain appends the protocol's part of frame.protocols (default: its name).
	chain func(p *Packet, b []byte) []byte
}

// field is one field of a protocol.
type field struct {
	name string
	typ  filter.Type
	hex  uint8 // print as 0x%0*x with this many digits, as tshark does; 0 = decimal
	// double: a Float that is not a time (Wireshark's FT_DOUBLE), printed as
	// the shortest decimal that reads back (20, 0.5), as tshark prints it.
	double bool
	// colon: a Bytes field tshark prints colon-separated (Wireshark's
	// SEP_COLON): 02:11:22:33:44:55:66:77.
	colon bool
	// bits is an integer field's width in Wireshark (8 for ip.ttl: FT_UINT8),
	// which bounds the literals a filter may compare it with.
	bits uint8
	// named: Wireshark names the field's values (a value string), which
	// changes its error for a literal out of range.
	named bool
	// enc is how a String field's bytes become its value (text.go);
	// encDefault: the protocol's strEnc.
	enc     strEnc
	desc    string
	example string
	// has is the presence bits the field needs; 0 means the protocol's bit.
	has uint64
	// conv: a field of a header protocol that needs TCP's conversation
	// (stream, relative numbers, analysis) or what TCP carries; HeadersOnly
	// does not decode it (headers.go).
	conv bool
	// alone is set by the table: a header protocol's field without conv.
	alone bool
	// layer: a layer frame.protocols names that no protocol of the table
	// owns (data-text-lines, imf), a field of the frame's (frame.go).
	layer bool
	// get appends the field's occurrences; the table calls it only when the
	// protocol (has) is present.
	get func(p *Packet, dst []filter.Value) []filter.Value
}

// verdict is a decoder's answer for a payload.
type verdict uint8

const (
	rejected  verdict = iota // not this protocol: try the next one
	taken                    // decoded (or shown as this protocol's continuation)
	pending                  // part of a message that continues in later segments
	takenMore                // decoded, and a further message continues in later segments
)

// segment is one TCP or UDP payload handed to application decoders.
type segment struct {
	payload      []byte
	sport, dport uint16
	tcp          bool
	dir          *tcpDir // this direction's state; nil for UDP
	rev          *tcpDir // the other direction's
	byPort       bool    // chosen by its port, not by a heuristic
	port         uint16  // the port that chose the protocol (0: the heuristic)
}

// toServer reports whether the segment was sent to the port that chose its
// protocol: a request, for client/server protocols.
func (s *segment) toServer() bool { return s.port != 0 && s.dport == s.port }

// takeApp records s.payload as the packet's application payload.
func (s *segment) takeApp(p *Packet) {
	p.app = appInfo{payload: s.payload, req: s.toServer()}
	if s.dir != nil {
		p.app.state = s.dir.state
	}
}

// protoTable is the table indexed: fields by ID, protocols by port.
type protoTable struct {
	protos     []*protocol
	fields     []field
	reg        *registry
	tcpPort    map[uint16]*protocol
	udpPort    map[uint16]*protocol
	ip4Proto   map[uint8]*protocol
	ip6Next    map[uint8]*protocol // the ip4Protos of protocols with ip6
	etherType  map[uint16]*protocol
	heuristics []*protocol
	convs      []*protocol // protocols with a conv function
}

var table *protoTable

func init() { table = buildTable(protocols) }

// firstDynamicBit is the first presence bit the table hands out: the one
// after the fixed bits of packet.go (pEth ... pHTTPCont, the last of them).
var firstDynamicBit = bits.TrailingZeros64(pHTTPCont) + 1

func buildTable(protos []*protocol) *protoTable {
	t := &protoTable{protos: protos, tcpPort: map[uint16]*protocol{}, udpPort: map[uint16]*protocol{}, ip4Proto: map[uint8]*protocol{}, ip6Next: map[uint8]*protocol{}, etherType: map[uint16]*protocol{}}
	next := uint(firstDynamicBit)
	names := map[string]bool{}
	for _, pr := range protos {
		if pr.bit == 0 && pr != &frameProto {
			if next >= 64 {
				panic(fmt.Sprintf("capture: protocol table: more than %d protocols besides the fixed ones (Packet.has has 64 bits)", 64-firstDynamicBit))
			}
			pr.bit = 1 << next
			next++
		}
		if !pr.noField {
			get := present
			if shown := pr.shown; shown != nil {
				get = func(p *Packet, dst []filter.Value) []filter.Value {
					if shown(p) {
						dst = u(dst, 0)
					}
					return dst
				}
			}
			t.fields = append(t.fields, field{name: pr.name, typ: filter.None, desc: pr.desc, example: pr.example, get: get, alone: pr.header})
		}
		for _, f := range pr.fields {
			if f.typ == filter.String {
				enc := f.enc
				if enc == encDefault {
					enc = pr.strEnc
				}
				f.enc = enc
				f.get = withStrEnc(f.get, enc)
			}
			f.alone = pr.header && !f.conv
			t.fields = append(t.fields, f)
		}
		for _, ports := range []struct {
			m     map[uint16]*protocol
			ports []uint16
		}{{t.tcpPort, pr.tcpPorts}, {t.udpPort, pr.udpPorts}} {
			for _, port := range ports.ports {
				if o := ports.m[port]; o != nil {
					panic(fmt.Sprintf("capture: protocol table: port %d is both %s and %s", port, o.name, pr.name))
				}
				ports.m[port] = pr
			}
		}
		for _, n := range pr.etherTypes {
			if o := t.etherType[n]; o != nil {
				panic(fmt.Sprintf("capture: protocol table: EtherType 0x%04x is both %s and %s", n, o.name, pr.name))
			}
			t.etherType[n] = pr
		}
		for _, n := range pr.ip4Protos {
			if o := t.ip4Proto[n]; o != nil {
				panic(fmt.Sprintf("capture: protocol table: IP protocol %d is both %s and %s", n, o.name, pr.name))
			}
			t.ip4Proto[n] = pr
			if pr.ip6 {
				t.ip6Next[n] = pr
			}
		}
		if pr.heuristic != nil {
			t.heuristics = append(t.heuristics, pr)
		}
		if pr.conv != nil {
			t.convs = append(t.convs, pr)
		}
		// Fields of this protocol need its bit unless they say otherwise.
		start := len(t.fields) - len(pr.fields)
		if !pr.noField {
			t.fields[start-1].has = pr.bit
		}
		for i := start; i < len(t.fields); i++ {
			if t.fields[i].has == 0 {
				t.fields[i].has = pr.bit
			}
		}
	}
	for _, pr := range protos {
		if pr.shares == "" {
			continue
		}
		n := 0
		for i := range t.fields {
			if strings.HasPrefix(t.fields[i].name, pr.shares+".") {
				t.fields[i].has |= pr.bit
				n++
			}
		}
		if n == 0 {
			panic(fmt.Sprintf("capture: protocol table: %s shares the fields of %s, which has none", pr.name, pr.shares))
		}
	}
	t.reg = &registry{fields: make([]*filter.Field, len(t.fields)), byName: make(map[string]*filter.Field, len(t.fields))}
	for id, d := range t.fields {
		if names[d.name] {
			panic(fmt.Sprintf("capture: protocol table: field %s is listed twice", d.name))
		}
		names[d.name] = true
		if (d.typ == filter.Uint || d.typ == filter.Int) && (d.bits == 0 || d.bits > 64) {
			panic(fmt.Sprintf("capture: protocol table: field %s has no bit width (Wireshark's: 8 for FT_UINT8)", d.name))
		}
		f := &filter.Field{Name: d.name, Type: d.typ, Desc: d.desc, Example: d.example, ID: id, Bits: d.bits, Named: d.named,
			HasBytes: d.typ == filter.None && bytesProtocols[d.name]}
		t.reg.fields[id] = f
		t.reg.byName[d.name] = f
	}
	return t
}

func present(p *Packet, dst []filter.Value) []filter.Value { return u(dst, 0) }

// Values appends the occurrences of f in p to dst (filter.Record). Time fields
// are floats in seconds; addresses follow filter.Type's encodings.
func (p *Packet) Values(dst []filter.Value, f *filter.Field) []filter.Value {
	if f == nil || uint(f.ID) >= uint(len(table.fields)) {
		return dst
	}
	fd := &table.fields[f.ID]
	if fd.has == 0 {
		return fd.get(p, dst)
	}
	if p.has&fd.has != 0 {
		dst = fd.get(p, dst)
	}
	if q := p.quote; q != nil && q.has&fd.has != 0 && q.shows(fd) {
		dst = fd.get(q, dst)
	}
	return dst
}

// LayerValues appends the values of f in its protocol's Nth layer
// (filter.Layered): the frame's own layer, if it has the protocol, comes
// first, then the quote of an ICMP error. udp.port#1 is both ports of the
// first UDP header. VLAN tags are one layer each: vlan.id#2 is the second
// tag's (reported false: the Nth occurrence).
func (p *Packet) LayerValues(dst []filter.Value, f *filter.Field, layer int) ([]filter.Value, bool) {
	if f == nil || uint(f.ID) >= uint(len(table.fields)) {
		return dst, false
	}
	fd := &table.fields[f.ID]
	if fd.has == 0 || fd.has == pVLAN {
		return dst, false
	}
	q := p.quote
	if q != nil && q.has == 0 {
		q = nil
	}
	for _, src := range [2]*Packet{p, q} {
		if src == nil || src.has&fd.has == 0 || !src.shows(fd) {
			continue
		}
		if layer--; layer == 0 {
			return fd.get(src, dst), true
		}
	}
	return dst, true
}

func u(dst []filter.Value, n uint64) []filter.Value { return append(dst, filter.Value{N: n}) }

// dispatch hands a TCP or UDP payload to the protocol that owns it: the one a
// direction is reassembling for, then the protocol of the lower port, of the
// higher port, then the heuristics in table order. A payload nobody takes is
// data, as Wireshark shows it.
func (d *Decoder) dispatch(p *Packet, s *segment) {
	if s.dir != nil && s.dir.owner != nil {
		pr := s.dir.owner
		s.byPort, s.port = true, s.dir.ownerPort
		if v := pr.decode(d, p, s); v != rejected {
			d.took(p, s, pr, v)
			return
		}
		s.dir.owner = nil
	}
	for _, pr := range table.convs {
		if pr.conv(d, p, s) {
			p.has |= pr.bit
			return
		}
	}
	ports := table.udpPort
	if s.tcp {
		ports = table.tcpPort
	}
	lo, hi := s.sport, s.dport
	if hi < lo {
		lo, hi = hi, lo
	}
	for i, port := range [2]uint16{lo, hi} {
		if i == 1 && port == lo {
			break
		}
		if pr := ports[port]; pr != nil && pr.decode != nil {
			s.byPort, s.port = true, port
			if v := pr.decode(d, p, s); v != rejected {
				d.took(p, s, pr, v)
				return
			}
		}
	}
	s.byPort, s.port = false, 0
	for _, pr := range table.heuristics {
		if pr.heuristic(s.payload, s.tcp) {
			if v := pr.decode(d, p, s); v != rejected {
				d.took(p, s, pr, v)
				return
			}
		}
	}
	if p.has&(pHTTP|pReasm|pDNS) == 0 {
		if !d.quoted {
			// an ICMP error's quote leaves what UDP or TCP carry data
			p.setOther(otherByPort(s, lo, hi))
		}
		if p.other == "" {
			p.has |= pData
			p.data = s.payload
		}
	}
}

// otherByPort is the protocol tshark gives a payload no decoder here took:
// the dissector registered for the lower port, else for the higher one (as
// its decode_udp_ports and decode_tcp_ports try them), "" for data.
func otherByPort(s *segment, lo, hi uint16) string {
	ports := tsharkUDPPorts
	if s.tcp {
		ports = tsharkTCPPorts
	}
	if name := ports[lo]; name != "" {
		return name
	}
	return ports[hi]
}

// dispatchIP hands the payload of an IPv4 packet no layer decoded to the
// table protocol its protocol number names, and that of an IPv6 packet
// without extension headers to the one its next header names (of those
// with ip6); it reports whether one took it.
func (d *Decoder) dispatchIP(p *Packet, payload []byte) bool {
	switch {
	case p.has&pIP != 0 && p.has&pIPv6 == 0:
		return d.dispatchTo(table.ip4Proto[p.ip4.proto], p, payload)
	case p.has&pIPv6 != 0 && p.has&pIP == 0 && p.next == 0:
		return d.dispatchTo(table.ip6Next[p.ip6.nxt], p, payload)
	}
	return false
}

// dispatchEther hands the payload of a link layer frame no layer decoded to
// the table protocol its EtherType names; it reports whether one took it.
func (d *Decoder) dispatchEther(p *Packet, payload []byte) bool {
	typ := p.link.typ
	if n := p.link.ntags; n > 0 {
		typ = p.link.tags[n-1].typ
	}
	return d.dispatchTo(table.etherType[typ], p, payload)
}

// dispatchTo hands payload, chosen by a number below the transport layer, to
// pr (nil: none claims that number).
func (d *Decoder) dispatchTo(pr *protocol, p *Packet, payload []byte) bool {
	if pr == nil || len(payload) == 0 {
		return false
	}
	s := &d.seg
	*s = segment{payload: payload, byPort: true}
	if pr.decode(d, p, s) == rejected {
		return false
	}
	p.has |= pr.bit
	return true
}

func (d *Decoder) took(p *Packet, s *segment, pr *protocol, v verdict) {
	switch v {
	case taken:
		p.has |= pr.bit
		if s.dir != nil {
			s.dir.owner = nil
		}
	case pending:
		p.has |= pReasm
		if s.dir != nil {
			s.dir.owner, s.dir.ownerPort = pr, s.port
		}
	case takenMore:
		p.has |= pr.bit
		if s.dir != nil {
			s.dir.owner, s.dir.ownerPort = pr, s.port
		}
	}
}

// appendProtocols builds frame.protocols as Wireshark does: eth:ethertype:ip:tcp:http.
func (p *Packet) appendProtocols(b []byte) []byte {
	for _, pr := range table.protos {
		if pr.bit == 0 || p.has&pr.bit == 0 {
			continue
		}
		if pr.chain != nil {
			b = pr.chain(p, b)
			continue
		}
		b = appendProto(b, pr.name)
	}
	return b
}

// appendProto appends one name to a colon-separated frame.protocols.
func appendProto(b []byte, name string) []byte {
	if len(b) > 0 {
		b = append(b, ':')
	}
	return append(b, name...)
}

// protoInfo returns the Protocol and Info columns of the topmost protocol that
// has an info function.
func (p *Packet) protoInfo() (proto, info string) {
	if q := p.inner(); q != nil {
		return q.protoInfo()
	}
	for i := len(table.protos) - 1; i >= 0; i-- {
		pr := table.protos[i]
		if pr.info != nil && pr.bit != 0 && p.has&pr.bit != 0 {
			return pr.info(p)
		}
	}
	return "", ""
}

// Title is the protocol named name as docs/filters.md titles it ("UDP",
// "IPv4", "ICMPv6"); ok is false for a name that is not a protocol.
func Title(name string) (title string, ok bool) {
	for _, pr := range protocols {
		if pr.name == name {
			return pr.title, true
		}
	}
	return "", false
}

// Recognition is how wirelab recognises an application protocol in a TCP or
// UDP payload: its ports, and whether a heuristic finds it on any port.
type Recognition struct {
	TCPPorts, UDPPorts []uint16
	AnyPort            bool // a heuristic looks at every payload (TCP or UDP)
}

// Recognise returns how the application protocol named name (a display
// filter's protocol: "dns", "http") is recognised; ok is false for a name
// that is not an application protocol (tcp, ip, eth, frame ...).
func Recognise(name string) (Recognition, bool) {
	for _, pr := range protocols {
		if pr.name == name && (pr.tcpPorts != nil || pr.udpPorts != nil || pr.heuristic != nil) {
			return Recognition{TCPPorts: pr.tcpPorts, UDPPorts: pr.udpPorts, AnyPort: pr.heuristic != nil}, true
		}
	}
	return Recognition{}, false
}
