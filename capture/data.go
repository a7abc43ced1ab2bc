package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// data is what Wireshark calls a payload no dissector decoded.
var dataProto = protocol{
	name: "data", title: "Data", desc: "Payload no dissector decoded", example: "data", bit: pData,
	fields: []field{
		{name: "data.data", typ: filter.Bytes, desc: "Bytes of the undecoded payload", example: `data.data contains "hello"`,
			get: func(p *Packet, dst []filter.Value) []filter.Value { return append(dst, filter.Value{B: p.data}) }},
		{name: "data.len", typ: filter.Int, bits: 32, desc: "Length of the undecoded payload, in bytes", example: "data.len > 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(len(p.data))) }},
	},
}
