package capture

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

type registry struct {
	fields []*filter.Field
	byName map[string]*filter.Field
}

func (r *registry) Lookup(name string) (*filter.Field, bool) {
	f, ok := r.byName[name]
	return f, ok
}

func (r *registry) Fields() []*filter.Field { return r.fields }

// Fields returns the field registry: every field a filter, the fields output, the
// Lua packet API or the reference may name, with Wireshark's names and types.
func Fields() filter.Registry { return table.reg }

// lookupField is Fields().Lookup without the interface.
func lookupField(name string) (*filter.Field, bool) { return table.reg.Lookup(name) }

// Compile compiles a display filter against Fields, where, as in Wireshark,
// the former names of renamed protocols still work (filterNames).
func Compile(expr string) (*filter.Filter, error) {
	return filter.Compile(expr, filterNames{table.reg})
}

// filterNames is the registry a display filter sees: Fields, and Wireshark's
// aliases of renamed protocols, bootp for dhcp and ssl for tls, with their
// fields (bootp.option.type is dhcp.option.type). Only filters take them:
// tshark -e refuses bootp.type, and so do the fields output and the Lua API.
type filterNames struct{ *registry }

var protoAliases = [...][2]string{{"bootp", "dhcp"}, {"ssl", "tls"}}

func (r filterNames) Lookup(name string) (*filter.Field, bool) {
	if f, ok := r.byName[name]; ok {
		return f, true
	}
	for _, a := range protoAliases {
		if rest, ok := strings.CutPrefix(name, a[0]); ok && (rest == "" || rest[0] == '.') {
			return r.registry.Lookup(a[1] + rest)
		}
	}
	return nil, false
}

// CompileCapture compiles a capture filter (tcpdump's pcap-filter language); it
// tests a Packet's bytes (Packet.RawFrame) as tcpdump does.
func CompileCapture(expr string) (*filter.Filter, error) {
	return filter.CompileCapture(expr)
}

// Format prints one value of f as `tshark -T fields` prints it: decimal or 0x-hex
// numbers as Wireshark displays the field, 1/0 for booleans, nine decimals for
// times, lowercase colon-separated MAC addresses, hex for byte strings.
func Format(f *filter.Field, v filter.Value) string {
	return string(appendFormat(nil, f, v))
}

func appendFormat(b []byte, f *filter.Field, v filter.Value) []byte {
	hexDigits, double, colon := uint8(0), false, false
	if f.ID >= 0 && f.ID < len(table.fields) && table.fields[f.ID].name == f.Name {
		hexDigits, double, colon = table.fields[f.ID].hex, table.fields[f.ID].double, table.fields[f.ID].colon
	}
	switch f.Type {
	case filter.None:
		// tshark prints a protocol's summary line; wirelab prints the
		// protocol's name, and 1 for a marker such as http.request.
		if strings.IndexByte(f.Name, '.') >= 0 {
			return append(b, '1')
		}
		return append(b, f.Name...)
	case filter.Bool:
		if v.N != 0 {
			return append(b, '1')
		}
		return append(b, '0')
	case filter.Uint:
		if hexDigits > 0 {
			b = append(b, "0x"...)
			s := strconv.FormatUint(v.N, 16)
			for i := len(s); i < int(hexDigits); i++ {
				b = append(b, '0')
			}
			return append(b, s...)
		}
		return strconv.AppendUint(b, v.N, 10)
	case filter.Int:
		return strconv.AppendInt(b, int64(v.N), 10)
	case filter.Float:
		if double {
			return strconv.AppendFloat(b, v.F, 'g', -1, 64)
		}
		if v.N != 0 { // a time in exact nanoseconds (seconds)
			ns := int64(v.N)
			if ns < 0 {
				b = append(b, '-')
				ns = -ns
			}
			b = strconv.AppendInt(b, ns/1e9, 10)
			frac := strconv.AppendInt(make([]byte, 0, 10), 1e9+ns%1e9, 10)
			return append(append(b, '.'), frac[1:]...)
		}
		return strconv.AppendFloat(b, v.F, 'f', 9, 64)
	case filter.IPv4:
		return netip.AddrFrom4([4]byte{byte(v.N >> 24), byte(v.N >> 16), byte(v.N >> 8), byte(v.N)}).AppendTo(b)
	case filter.IPv6:
		if len(v.B) == 16 {
			return netip.AddrFrom16([16]byte(v.B)).AppendTo(b)
		}
		return b
	case filter.Ether:
		return appendMAC(b, v.N)
	case filter.Bytes:
		if len(v.B) == 0 {
			return append(b, "<MISSING>"...) // tshark's text for no bytes
		}
		if colon {
			for i, c := range v.B {
				if i > 0 {
					b = append(b, ':')
				}
				b = hex.AppendEncode(b, []byte{c})
			}
			return b
		}
		return hex.AppendEncode(b, v.B)
	case filter.String:
		// tshark 4.0 prints a string field's bytes as they are, but for
		// \b \f \n \r \t (the Info column escapes more: appendEscaped)
		return appendPlain(b, v.B)
	case filter.OID:
		return appendOID(b, v.B)
	}
	return b
}

// appendPlain appends a string field's value as tshark -T fields prints it:
// only backspace, form feed, newline, return and tab escaped, other control
// bytes as they are.
func appendPlain(b, s []byte) []byte {
	for _, c := range s {
		switch c {
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, c)
		}
	}
	return b
}

func appendMAC(b []byte, n uint64) []byte {
	const digits = "0123456789abcdef"
	for i := 5; i >= 0; i-- {
		o := byte(n >> (8 * i))
		b = append(b, digits[o>>4], digits[o&15])
		if i > 0 {
			b = append(b, ':')
		}
	}
	return b
}
