package capture

import (
	"encoding/binary"
	"slices"

	"github.com/gopacket/gopacket/layers"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// IPv4 and IPv6 reassembly, as Wireshark's (its ip.defragment and
// ipv6.defragment preferences, on by default) do it in one pass: every fragment's payload is data ("Fragmented
// IP protocol (proto=UDP 17, off=0, ID=023d)") until the fragment that
// completes the datagram, whose frame carries the whole datagram: UDP, TCP or
// ICMP decoded from it, with ip.fragment listing the frames it came from.
// `tshark -r` sets ip.reassembled_in only in a second pass, so the earlier
// fragments never name the frame (the field is registered, as tshark's).
//
// A datagram is keyed by its addresses, identification, protocol and VLAN
// (Wireshark's key). A fragment cut short by the snapshot length is not
// reassembled (tshark neither). Memory is bounded: fragments under reassembly
// hold at most maxFragBytes; past it the oldest datagrams are forgotten.

const (
	maxFragBytes     = 16 << 20
	maxFragDatagrams = 4096
)

// fragKey identifies the datagram a fragment belongs to.
type fragKey struct {
	src, dst [16]byte // an IPv4 address in the first four
	id       uint32
	proto    uint8 // IPv4's (IPv6's datagrams are keyed by addresses and id)
	vlan     uint16
	v6       bool
}

// fragPiece is one fragment's payload.
type fragPiece struct {
	off   int
	data  []byte // a copy
	frame int
}

// fragDatagram is a datagram under reassembly.
type fragDatagram struct {
	pieces []fragPiece
	end    int // the datagram's length, once its last fragment came; -1 before
	seq    int // arrival order, to forget the oldest first
}

// fragments is the decoder's reassembly state.
type fragments struct {
	m     map[fragKey]*fragDatagram
	bytes int
	seq   int
}

// fragInfo is what the frame that completed a datagram shows.
type fragInfo struct {
	frames  []int // the fragments' frames, by offset
	data    []byte
	overlap bool
}

// defragment adds p's IPv4 fragment (its IP payload is payload) and returns
// the whole datagram when this fragment completes it, nil otherwise.
func (d *Decoder) defragment(p *Packet, payload []byte) []byte {
	ip := &p.ip4
	n := int(ip.length) - int(ip.hdrLen)
	if n <= 0 || len(payload) < n {
		return nil
	}
	k := fragKey{id: uint32(ip.id), proto: ip.proto}
	binary.BigEndian.PutUint32(k.src[:], ip.src)
	binary.BigEndian.PutUint32(k.dst[:], ip.dst)
	if p.has&pVLAN != 0 && p.link.ntags > 0 {
		k.vlan = p.link.tags[0].tci & 0xfff
	}
	return d.addFragment(p, k, int(ip.frag)*8, ip.flags&uint8(layers.IPv4MoreFragments) != 0, payload[:n])
}

// defragment6 is defragment for an IPv6 fragment: payload is what follows
// its fragment header, within its payload length.
func (d *Decoder) defragment6(p *Packet, payload []byte) []byte {
	n := int(p.ip6.plen) - (len(d.ip6.Payload) - len(payload))
	if n <= 0 || len(payload) < n {
		return nil
	}
	k := fragKey{src: p.ip6.src, dst: p.ip6.dst, id: p.ip6.frag.id, v6: true}
	if p.has&pVLAN != 0 && p.link.ntags > 0 {
		k.vlan = p.link.tags[0].tci & 0xfff
	}
	return d.addFragment(p, k, int(p.ip6.frag.off)*8, p.ip6.frag.more, payload[:n])
}

// addFragment adds a fragment of the datagram k at offset off and returns
// the datagram when it is whole (recording it in p.frag), nil otherwise.
func (d *Decoder) addFragment(p *Packet, k fragKey, off int, more bool, payload []byte) []byte {
	f := &d.frags
	if f.m == nil {
		f.m = map[fragKey]*fragDatagram{}
	}
	dg := f.m[k]
	if dg == nil {
		if len(f.m) >= maxFragDatagrams {
			f.forgetOldest()
		}
		dg = &fragDatagram{end: -1}
		f.m[k] = dg
	}
	f.seq++
	dg.seq = f.seq
	dg.pieces = append(dg.pieces, fragPiece{off: off, data: append([]byte(nil), payload...), frame: p.Number})
	f.bytes += len(payload)
	if !more {
		dg.end = off + len(payload)
	}
	for f.bytes > maxFragBytes && len(f.m) > 1 {
		f.forgetOldest()
	}
	if dg.end < 0 || f.m[k] != dg {
		return nil
	}
	slices.SortStableFunc(dg.pieces, func(a, b fragPiece) int { return a.off - b.off })
	covered, overlap := 0, false
	for _, pc := range dg.pieces {
		if pc.off > covered {
			return nil // a hole
		}
		if pc.off < covered {
			overlap = true
		}
		covered = max(covered, pc.off+len(pc.data))
	}
	if covered < dg.end {
		return nil
	}
	buf := make([]byte, dg.end)
	info := &fragInfo{overlap: overlap, data: buf}
	for _, pc := range dg.pieces {
		if pc.off < len(buf) {
			copy(buf[pc.off:], pc.data)
		}
		info.frames = append(info.frames, pc.frame)
		f.bytes -= len(pc.data)
	}
	delete(f.m, k)
	p.frag = info
	return buf
}

// forgetOldest drops the datagram that has waited longest.
func (f *fragments) forgetOldest() {
	var oldest fragKey
	best := -1
	for k, dg := range f.m {
		if best < 0 || dg.seq < best {
			oldest, best = k, dg.seq
		}
	}
	if dg := f.m[oldest]; dg != nil {
		for _, pc := range dg.pieces {
			f.bytes -= len(pc.data)
		}
		delete(f.m, oldest)
	}
}

// decodeDatagram decodes a reassembled datagram's payload as the transport
// its protocol names, as an unfragmented packet's would be.
func (d *Decoder) decodeDatagram(p *Packet, data []byte) (rest []byte, err error) {
	proto := p.ip4.proto
	if p.has&pIPv6 != 0 {
		proto = p.ip6.frag.nxt
	}
	switch {
	case proto == 6:
		return d.fillLayers(p, data, firstTCP)
	case proto == 17:
		return d.fillLayers(p, data, firstUDP)
	case proto == 1 && p.has&pIPv6 == 0:
		return d.fillLayers(p, data, firstICMPv4)
	case proto == 58 && p.has&pIPv6 != 0:
		return d.fillLayers(p, data, firstICMPv6)
	}
	return data, nil
}

// reasmFields are the reassembly fields of IP version prefix ("ip",
// "ipv6"), on the frame that completed a datagram; reassembledIn is the name
// tshark gives the field a second pass sets (ip.reassembled_in,
// ipv6.reassembled.in).
func reasmFields(prefix, reassembledIn string) []field {
	fragments := field{name: prefix + ".fragments", typ: filter.Bytes, desc: "The reassembled datagram's payload (Wireshark's fragment tree), on the frame that completed it", example: prefix + ".fragments",
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			if p.frag != nil {
				dst = append(dst, filter.Value{B: p.frag.data})
			}
			return dst
		}}
	if prefix == "ipv6" {
		// tshark 4.0 prints IPv6's as a marker (1), IPv4's as the bytes
		fragments.typ, fragments.desc = filter.None, "The frame completed a reassembled datagram (Wireshark's fragment tree)"
		fragments.get = func(p *Packet, dst []filter.Value) []filter.Value {
			if p.frag != nil {
				dst = u(dst, 0)
			}
			return dst
		}
	}
	return []field{
		{name: prefix + ".fragment", typ: filter.Uint, bits: 32, desc: "A frame holding a fragment of the reassembled datagram (one occurrence per fragment, by offset), on the frame that completed it", example: prefix + ".fragment == 125",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.frag != nil {
					for _, n := range p.frag.frames {
						dst = u(dst, uint64(n))
					}
				}
				return dst
			}},
		fragments,
		{name: prefix + ".fragment.count", typ: filter.Uint, bits: 32, desc: "How many fragments the datagram was reassembled from", example: prefix + ".fragment.count > 2",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.frag != nil {
					dst = u(dst, uint64(len(p.frag.frames)))
				}
				return dst
			}},
		{name: prefix + ".fragment.overlap", typ: filter.Bool, desc: "Fragments of the datagram overlap", example: prefix + ".fragment.overlap",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.frag != nil && p.frag.overlap {
					dst = u(dst, 1)
				}
				return dst
			}},
		{name: prefix + ".reassembled.length", typ: filter.Uint, bits: 32, desc: "The reassembled datagram's payload length, in bytes", example: prefix + ".reassembled.length > 3000",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.frag != nil {
					dst = u(dst, uint64(len(p.frag.data)))
				}
				return dst
			}},
		{name: prefix + ".reassembled.data", typ: filter.Bytes, desc: "The reassembled datagram's payload", example: prefix + `.reassembled.data contains "GET"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.frag != nil {
					dst = append(dst, filter.Value{B: p.frag.data})
				}
				return dst
			}},
		{name: reassembledIn, typ: filter.Uint, bits: 32, desc: "The frame a fragment's datagram was reassembled in: tshark sets it only in a second pass (-2), so a one-pass read, as tshark -r and wirelab, never has it", example: reassembledIn,
			get: func(p *Packet, dst []filter.Value) []filter.Value { return dst }},
	}
}
