package capture

import (
	"bytes"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// Frame is one captured frame as a source delivers it, before decoding.
// Data may be reused by the source on its next call to Next: a caller that keeps
// a frame copies Data.
type Frame struct {
	Data     []byte
	Info     gopacket.CaptureInfo // Timestamp, CaptureLength, Length, InterfaceIndex
	LinkType layers.LinkType
	Offset   int64 // byte offset of the frame's record in its file; 0 for live frames
	// HasInterface says the source numbers its interfaces (pcapng, live
	// capture): a plain pcap file has no frame.interface_id.
	HasInterface bool
	// Comments are the frame's pcapng comments (opt_comment), in order.
	Comments []string
	// Interface is the name of the frame's pcapng interface (if_name); "" for
	// none and for live frames.
	Interface string
}

// Source delivers frames in order: a pcap or pcapng file, or a live interface.
// Next returns io.EOF after the last frame.
type Source interface {
	Next() (Frame, error)
	Close() error
}

var frameProto = protocol{
	name: "frame", title: "Frame", desc: "Every captured frame", example: "frame",
	header: true,
	fields: []field{
		{name: "frame.number", typ: filter.Uint, bits: 32, desc: "Frame number, from 1", example: "frame.number == 4",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.Number)) }},
		{name: "frame.time_relative", typ: filter.Float, desc: "Seconds since the first frame", example: "frame.time_relative <= 1.5",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return seconds(dst, int64(p.Relative))
			}},
		{name: "frame.time_epoch", typ: filter.Float, desc: "Capture time, seconds since 1970-01-01 UTC", example: "frame.time_epoch > 1700000000",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return append(dst, filter.Value{F: float64(p.Time.UnixNano()) / 1e9})
			}},
		{name: "frame.time_delta", typ: filter.Float, desc: "Seconds since the previous captured frame", example: "frame.time_delta > 0.5",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return seconds(dst, int64(p.delta))
			}},
		{name: "frame.time_delta_displayed", typ: filter.Float, desc: "Seconds since the previous frame shown: the previous one the filter passed in wirelab packets (as tshark -Y), else the previous frame", example: "frame.time_delta_displayed > 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return seconds(dst, int64(p.deltaShown)) }},
		{name: "frame.encap_type", typ: filter.Int, bits: 16, named: true, desc: "Wireshark's encapsulation number of the frame's link type: 1 Ethernet, 25 Linux cooked, 210 Linux cooked v2, 15 BSD loopback, 174 OpenBSD loopback, 7 raw IP, 129 raw IPv4, 130 raw IPv6, 4 PPP, 139 PPPoE, 28 Cisco HDLC; absent for the link types wirelab does not decode", example: "frame.encap_type == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if n, ok := wtapEncap[p.LinkType]; ok {
					dst = u(dst, uint64(n))
				}
				return dst
			}},
		{name: "frame.marked", typ: filter.Bool, desc: "The frame is marked (in Wireshark's window; never in a file read, as in tshark -r)", example: "frame.marked == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, 0) }},
		{name: "frame.ignored", typ: filter.Bool, desc: "The frame is ignored (in Wireshark's window; never in a file read, as in tshark -r)", example: "frame.ignored == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, 0) }},
		{name: "frame.len", typ: filter.Uint, bits: 32, desc: "Frame length on the wire, in bytes", example: "frame.len > 1000",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.Len)) }},
		{name: "frame.cap_len", typ: filter.Uint, bits: 32, desc: "Captured length of the frame, in bytes", example: "frame.cap_len < frame.len",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.CapLen)) }},
		{name: "frame.protocols", conv: true, typ: filter.String, desc: "Protocols in the frame, outermost first, colon-separated", example: `frame.protocols contains "http"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				return append(dst, filter.Value{B: p.appendProtocols(nil)})
			}},
		// Layers frame.protocols names that are no protocol of the table:
		// as in tshark, each is a filter that tests for it.
		{name: "ethertype", typ: filter.None, layer: true, desc: "The EtherType layer frame.protocols names under Ethernet, Linux cooked and VLAN headers: a filter tshark accepts and never matches (the layer has no field of its own), nor does wirelab", example: "ethertype", get: never},
		layerField("ieee8021ad", "An 802.1ad (QinQ) service tag"),
		layerField("data-text-lines", "A text body shown line by line (HTTP, SMTP, FTP data)"),
		layerField("imf", "An e-mail message (Internet Message Format) an SMTP DATA ends"),
		layerField("json", "An HTTP body of type application/json"),
		layerField("xml", "An HTTP body of type text/xml or application/xml"),
		layerField("urlencoded-form", "An HTTP body of type application/x-www-form-urlencoded (a posted form)"),
		layerField("media", "An HTTP body of a media type Wireshark has no dissector for (images, audio)"),
		{name: "frame.comment", typ: filter.String, desc: "A comment attached to the frame (pcapng)", example: `frame.comment contains "check"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				for _, c := range p.Comments {
					dst = append(dst, filter.Value{B: []byte(c)})
				}
				return dst
			}},
		{name: "frame.interface_id", typ: filter.Uint, bits: 32, desc: "Index of the capture interface (pcapng and live captures; absent in pcap files)", example: "frame.interface_id == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.Interface < 0 {
					return dst
				}
				return u(dst, uint64(p.Interface))
			}},
		{name: "frame.interface_name", typ: filter.String, desc: "Name of the capture interface (pcapng); a lab's capture names its points host:ifname", example: `frame.interface_name == "client:eth0"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.InterfaceName != "" {
					dst = append(dst, filter.Value{B: []byte(p.InterfaceName)})
				}
				return dst
			}},
	},
	chain: func(p *Packet, b []byte) []byte { return b },
}

// layerField is a presence field for a layer frame.protocols names that no
// protocol of the table owns: present when the frame's chain holds it.
func layerField(name, desc string) field {
	return field{name: name, typ: filter.None, conv: true, layer: true, desc: desc + " (frame.protocols names it)", example: name,
		get: func(p *Packet, dst []filter.Value) []filter.Value {
			var buf [256]byte
			for rest := p.appendProtocols(buf[:0]); len(rest) > 0; {
				var l []byte
				l, rest, _ = bytes.Cut(rest, []byte{':'})
				if string(l) == name {
					return u(dst, 0)
				}
			}
			return dst
		}}
}

// wtapEncap is Wireshark's WTAP_ENCAP number of each link type wirelab
// decodes, as tshark 4.0 shows it (frame.encap_type).
var wtapEncap = map[layers.LinkType]int{
	layers.LinkTypeEthernet: 1, layers.LinkTypeLinuxSLL: 25, layers.LinkTypeLinuxSLL2: 210, layers.LinkTypeNull: 15,
	layers.LinkTypeLoop: 174, layers.LinkTypeRaw: 7, 12: 7, 14: 7, layers.LinkTypeIPv4: 129, layers.LinkTypeIPv6: 130,
	layers.LinkTypePPP: 4, layers.LinkTypePPP_HDLC: 4, layers.LinkTypePPPEthernet: 139, layers.LinkTypeC_HDLC: 28,
}
