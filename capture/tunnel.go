package capture

// Tunnels (GRE, ERSPAN, VXLAN, Geneve, MPLS over UDP): the packet a tunnel
// carries is decoded as protocols of the frame, as Wireshark does. Its fields are further
// occurrences of the frame's (ip.src has the outer and the inner source,
// ip.src#2 is the inner one, `icmp` matches a ping inside VXLAN), its
// conversations are numbered with the frame's (tcp.stream, udp.stream), its
// TCP is analysed and its application protocols decoded like any other, and
// the Protocol and Info columns, and the Source and Destination, are the
// inner packet's. frame.protocols runs on through it:
// eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data.
//
// The tunnel's protocol records what it carries (Packet.tun); once the
// frame is decoded, decodeInner decodes that into Packet.quote — the second
// Packet an ICMP error's quote also uses (quote.go), so Values and
// LayerValues append its values after the frame's — marked as a tunnel's.
// One level: a tunnel inside a tunnel shows its own header, not what it
// carries.

// tunInfo is what a tunnel header carries.
type tunInfo struct {
	hdr   []byte // the tunnel's header (GRE's, VXLAN's)
	data  []byte // the packet it carries; nil when none is decoded
	first int    // its first layer (firstEthernet, firstIPv4, firstIPv6, firstPPP, firstMPLS)
	// erspan is the ERSPAN header inside GRE (nil for type I, which has none).
	erspan []byte
	meta   []byte // the Cisco MetaData header inside GRE (0x8909)
	cut    bool   // the headers end early
}

// carry records that p's tunnel carries data, from the layer first on.
func (p *Packet) carry(data []byte, first int) {
	if len(data) > 0 {
		p.tun.data, p.tun.first = data, first
	}
}

// decodeInner decodes the packet p's tunnel carries into p.quote, once p is
// decoded (the decoder's layers are free again).
func (d *Decoder) decodeInner(p *Packet) {
	q := p.quote
	if q == nil {
		q = new(Packet)
		p.quote = q
	}
	*q = Packet{Number: p.Number, Time: p.Time, Relative: p.Relative, LinkType: p.LinkType, Interface: p.Interface,
		Data: p.tun.data, Len: len(p.tun.data), CapLen: len(p.tun.data), digits: p.digits}
	q.tcp.wscale = -1
	q.inTunnel = true
	if p.tun.first == firstPPP {
		d.decodePPP(q, p.tun.data, true)
	} else {
		d.decodeFrom(q, p.tun.data, p.tun.first)
	}
	q.tun.data = nil // one level
}

// inner is the packet p's tunnel carries, nil when it has none.
func (p *Packet) inner() *Packet {
	if q := p.quote; q != nil && q.inTunnel && q.has != 0 {
		return q
	}
	return nil
}
