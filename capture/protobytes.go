package capture

import (
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// bytesProtocols are the protocols ProtocolBytes has the bytes of (frame's
// are Packet.RawFrame's).
var bytesProtocols = map[string]bool{"eth": true, "sll": true, "null": true, "ip": true, "ipv6": true,
	"arp": true, "tcp": true, "udp": true, "icmp": true, "icmpv6": true, "igmp": true}

// ProtocolBytes appends the bytes of the protocol f in p (filter.Protocols),
// as Wireshark has them: a protocol's bytes start at its header; a slice,
// == and len() see the protocol's own item (eth's 14 bytes, ip's header,
// tcp's whole segment as tshark -Y sees it, udp's 8 bytes, an ICMP or ARP message), and
// contains and matches (whole) see everything from the header to the end of
// the data the protocol carries (tcp contains "GET"). Protocols above the
// transport layer have no bytes here; the packet an ICMP error quotes or a
// tunnel carries adds its layers' bytes as further occurrences.
func (p *Packet) ProtocolBytes(dst []filter.Value, f *filter.Field, whole bool) []filter.Value {
	start, item, end, ok := p.span(f.Name)
	if ok && start >= 0 && start <= len(p.Data) {
		end = min(max(end, start), len(p.Data))
		n := min(start+item, end)
		if whole {
			n = end
		}
		dst = append(dst, filter.Value{B: p.Data[start:n]})
	}
	// The packet an ICMP error quotes or a tunnel carries has its own
	// layers: further occurrences, as tshark's ip[9] sees the quoted header.
	if q := p.quote; q != nil && q.has != 0 && q != p {
		dst = q.ProtocolBytes(dst, f, whole)
	}
	return dst
}

// span locates a protocol in p.Data: its start, its item's length and the
// end of the bytes it carries (unclipped: the caller clips to the capture).
func (p *Packet) span(name string) (start, item, end int, ok bool) {
	net := p.netStart()
	switch name {
	case "eth":
		return 0, 14, len(p.Data), p.has&pEth != 0
	case "sll":
		if p.LinkType == layers.LinkTypeLinuxSLL2 {
			return 0, 20, len(p.Data), p.has&pSLL != 0
		}
		return 0, 16, len(p.Data), p.has&pSLL != 0
	case "null":
		return 0, 4, len(p.Data), p.has&pNull != 0
	case "ip":
		return net, int(p.ip4.hdrLen), net + int(p.ip4.length), p.has&pIP != 0
	case "ipv6":
		return net, 40, net + 40 + int(p.ip6.plen), p.has&pIPv6 != 0
	case "arp":
		n := 8 + 2*int(p.arp.hwLen) + 2*int(p.arp.protLen)
		return net, n, net + n, p.has&pARP != 0
	}
	// The transport layers start where the IP payload does: after an IPv4
	// header, or (IPv6, whose extension headers are not kept) as far before
	// the IP end as the transport's length.
	var ipEnd, tstart int
	switch {
	case p.has&pIP != 0:
		tstart, ipEnd = net+int(p.ip4.hdrLen), net+int(p.ip4.length)
	case p.has&pIPv6 != 0:
		ipEnd = net + 40 + int(p.ip6.plen)
		tstart = -1
		if p.next == 0 {
			tstart = net + 40
		}
	default:
		return 0, 0, 0, false
	}
	switch name {
	case "tcp":
		if tstart < 0 {
			tstart = ipEnd - int(p.tcp.hdrLen) - int(p.tcp.length)
		}
		// tshark -Y (and a tap) sees tcp as the whole segment; only a full
		// tree (-V, -T fields) trims it to the header afterwards.
		return tstart, ipEnd - tstart, ipEnd, p.has&pTCP != 0
	case "udp":
		if tstart < 0 {
			tstart = ipEnd - int(p.udp.length)
		}
		return tstart, 8, tstart + int(p.udp.length), p.has&pUDP != 0
	case "icmp", "icmpv6":
		if tstart < 0 {
			return 0, 0, 0, false
		}
		has := pICMP
		if name == "icmpv6" {
			has = pICMPv6
		}
		return tstart, ipEnd - tstart, ipEnd, p.has&has != 0
	case "igmp": // the whole message, on IPv4 only
		return tstart, ipEnd - tstart, ipEnd, p.has&pIP != 0 && p.has&igmpProto.bit != 0 && igmpProto.shown(p)
	}
	return 0, 0, 0, false
}

// netStart is the offset of the network layer: after the link header and
// its VLAN tags.
func (p *Packet) netStart() int {
	n := 0
	switch {
	case p.has&pEth != 0:
		n = 14 + 4*int(p.link.ntags)
	case p.has&pSLL != 0:
		n = 16
		if p.LinkType == layers.LinkTypeLinuxSLL2 {
			n = 20
		}
	case p.has&pNull != 0:
		n = 4
	case p.has&chdlcProto.bit != 0:
		n = 4
	}
	if p.has&pppProto.bit != 0 && p.ppp.hdr != nil { // PPPoE's 6 bytes, then PPP's header (ppp.go)
		if p.ppp.pppoe != nil {
			n += 6
		}
		n += len(p.ppp.hdr)
	}
	if p.has&mplsProto.bit != 0 { // the label stack before IP (mpls.go)
		n += len(p.mpls.stack)
	}
	return n
}
