// Package filter owns wirelab's two filter languages: Wireshark's display-filter
// language and the pcap-filter (capture filter) subset people type into tcpdump.
// Both compile to one predicate form, a *Filter, evaluated over any Record.
//
// The package does not know how packets are read or decoded. It sees fields
// through a Registry (names, types, documentation) and packets through Record
// (the values of a field in one packet). The capture package provides both.
package filter

// Type is the type of a field's values. It decides how a literal compared with the
// field is parsed (`ip.src == 10.0.0.0/8`, `eth.dst == ff:ff:ff:ff:ff:ff`) and how a
// Value is read.
type Type uint8

const (
	None   Type = iota // a protocol or a flag-less marker: present or absent, no value
	Bool               // Value.N is 0 or 1
	Uint               // Value.N
	Int                // Value.N holds the two's-complement bits of an int64
	Float              // Value.F; times are seconds
	IPv4               // Value.N holds the address as a big-endian number (10.0.0.1 = 0x0a000001)
	IPv6               // Value.B holds the 16 bytes
	Ether              // Value.N holds the 48-bit MAC address, first octet most significant
	Bytes              // Value.B
	String             // Value.B holds the UTF-8 (or raw) text
	OID                // Value.B holds the BER encoding of an object identifier (Wireshark's FT_OID); literals are dotted (1.3.6.1.2.1)
)

var typeNames = [...]string{"protocol", "boolean", "unsigned integer", "signed integer", "float", "IPv4 address", "IPv6 address", "Ethernet address", "byte sequence", "character string", "ASN.1 object identifier"}

func (t Type) String() string {
	if int(t) < len(typeNames) {
		return typeNames[t]
	}
	return "unknown type"
}

// Field describes one named field, such as tcp.dstport. Fields are created by a
// Registry and compared by pointer.
type Field struct {
	Name    string // Wireshark's name: "tcp.dstport"
	Type    Type
	Desc    string // one line for the reference: "TCP destination port"
	Example string // a display filter that uses it, for the reference
	ID      int    // dense index in its registry, for lookup tables in Record implementations
	// Bits is an integer field's width as Wireshark declares it (8 for ip.ttl,
	// an FT_UINT8); a literal that does not fit is refused, as Wireshark
	// refuses it ("70000" too big for this field, maximum 65535). 0 means 64.
	Bits uint8
	// Named says Wireshark names the field's values (a value string such as
	// ip.proto's): a literal out of range is then "not among the possible
	// values", as Wireshark words it.
	Named bool
	// HasBytes says a protocol's bytes are available (Protocols), for
	// slices and contains on it: tcp[13], eth[0:6], udp contains "x".
	HasBytes bool
}

// Value is one occurrence of a field in a packet. Which member holds the value is
// decided by the field's Type. B may alias the packet's data: it is valid only as
// long as the packet is.
type Value struct {
	N uint64
	F float64
	B []byte
}

// Registry is the set of fields a filter may name.
type Registry interface {
	// Lookup returns the field called name.
	Lookup(name string) (*Field, bool)
	// Fields lists every field, in the order the reference documents them.
	Fields() []*Field
}

// Layered is a Record that knows the protocol layer of each value, for the
// layer operator field#N (Wireshark's: ip.src#2 is the source address of the
// second IP layer, such as the header an ICMP error quotes). LayerValues
// appends the values of f in its Nth layer (from 1) and reports true, or
// reports false when the record keeps no layers for f: then field#N is the
// Nth occurrence.
type Layered interface {
	LayerValues(dst []Value, f *Field, layer int) ([]Value, bool)
}

// Protocols is a Record that has the bytes of its protocols, for slices,
// comparisons and contains on a protocol (tcp[13] == 0x12, eth[0:6],
// tcp contains "GET"), as Wireshark has them: a protocol's bytes start at its
// header. ProtocolBytes appends one Value per layer of the protocol f: the
// bytes of the protocol's own item (a slice, ==, len()), or with whole
// everything from its header to the end of the data it carries (contains,
// matches). A Record without it has no bytes for protocols but frame.
type Protocols interface {
	ProtocolBytes(dst []Value, f *Field, whole bool) []Value
}

// Record is one packet as a filter sees it.
type Record interface {
	// Values appends the occurrences of f in this packet to dst, in the order they
	// occur, and returns the extended slice. A field of type None appends one zero
	// Value when the protocol is present. An absent field appends nothing.
	Values(dst []Value, f *Field) []Value
}
