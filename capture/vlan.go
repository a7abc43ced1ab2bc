package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// IEEE 802.1Q tags (802.1ad service tags are Wireshark's ieee8021ad and have no
// fields here). Each tag is one occurrence.
var vlanProto = protocol{
	name: "vlan", title: "802.1Q VLAN", desc: "IEEE 802.1Q virtual LAN tag", example: "vlan", bit: pVLAN, header: true,
	fields: []field{
		{name: "vlan.id", typ: filter.Uint, bits: 16, desc: "VLAN identifier", example: "vlan.id == 10",
			get: vlanValues(func(tg vlanTag) (uint64, bool) { return uint64(tg.tci & 0x0fff), true })},
		{name: "vlan.priority", typ: filter.Uint, bits: 16, named: true, desc: "VLAN priority (PCP)", example: "vlan.priority > 0",
			get: vlanValues(func(tg vlanTag) (uint64, bool) { return uint64(tg.tci >> 13), true })},
		{name: "vlan.etype", typ: filter.Uint, bits: 16, named: true, hex: 4, desc: "EtherType after the VLAN tag", example: "vlan.etype == 0x0800",
			get: vlanValues(func(tg vlanTag) (uint64, bool) { return uint64(tg.typ), tg.typ >= 0x0600 })},
		{name: "vlan.len", typ: filter.Uint, bits: 16, desc: "Length after the VLAN tag, when its type field is one (below 0x0600: LLC follows)", example: "vlan.len > 0",
			get: vlanValues(func(tg vlanTag) (uint64, bool) { return uint64(tg.typ), tg.typ < 0x0600 })},
	},
	chain: func(p *Packet, b []byte) []byte { return b }, // part of eth's
}

func vlanValues(v func(vlanTag) (uint64, bool)) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		for _, tg := range p.link.tags[:p.link.ntags] {
			if n, ok := v(tg); ok && tg.tpid == 0x8100 {
				dst = u(dst, n)
			}
		}
		return dst
	}
}

// fillDot1Q reads the tags from the frame itself: one Dot1Q layer struct serves
// every tag (QinQ has two).
func (d *Decoder) fillDot1Q(p *Packet, data []byte) []byte {
	if p.has&pVLAN == 0 && p.has&pEth != 0 {
		p.has |= pVLAN
		off := 12
		for p.link.ntags < 2 && off+6 <= len(data) {
			tpid := be16(data[off:])
			if tpid != 0x8100 && tpid != 0x88a8 && tpid != 0x9100 {
				break
			}
			p.link.tags[p.link.ntags] = vlanTag{tpid, be16(data[off+2:]), be16(data[off+4:])}
			p.link.ntags++
			off += 4
		}
	}
	return d.dot1q.Payload
}
