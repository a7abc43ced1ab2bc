package filter

import (
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
)

// literal is a right-hand side as written: a word or a quoted string (already
// unescaped).
type literal struct {
	text   string // word text, or the string's value
	quoted bool
	pos    int
}

func (l literal) source() string {
	if l.quoted {
		return quoteC(l.text)
	}
	return l.text
}

// quoteC quotes s with the C escapes the lexer reads back.
func quoteC(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\x%02x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// parseValue parses l as one value of type t; for the address types it may
// instead return a network predicate (CIDR block).
func parseValue(t Type, l literal) (Value, pred, error) {
	s := l.text
	if l.quoted && t != Bytes && t != String && t != None {
		// Wireshark 4.0 reads a quoted value as a string only: ip.src ==
		// "127.0.0.1" is an error there.
		return Value{}, nil, fmt.Errorf("%s cannot be converted from a string (%s): write the value without quotes", typeNoun(t), quoteC(s))
	}
	switch t {
	case Bool:
		switch strings.ToLower(s) {
		case "true", "1":
			return Value{N: 1}, nil, nil
		case "false", "0":
			return Value{N: 0}, nil, nil
		}
		return Value{}, nil, fmt.Errorf("%q is not a valid boolean (use true, false, 1 or 0)", s)
	case Uint:
		n, ok, _ := parseCUint(s)
		if !ok {
			if c, ok := charConst(s); ok {
				return Value{N: uint64(c)}, nil, nil
			}
			return Value{}, nil, fmt.Errorf("%q is not a valid number", s)
		}
		return Value{N: n}, nil, nil
	case Int:
		m, neg := strings.CutPrefix(s, "-")
		n, ok, _ := parseCUint(m)
		if !ok || n > 1<<63 || !neg && n > 1<<63-1 {
			if c, ok := charConst(s); ok {
				return Value{N: uint64(c)}, nil, nil
			}
			return Value{}, nil, fmt.Errorf("%q is not a valid number", s)
		}
		if neg {
			n = -n
		}
		return Value{N: n}, nil, nil
	case Float:
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return Value{}, nil, fmt.Errorf("%q is not a valid number", s)
		}
		return Value{F: x}, nil, nil
	case IPv4:
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil || !p.Addr().Is4() {
				return Value{}, nil, fmt.Errorf("%q is not a valid IPv4 network (write it as 10.0.0.0/8)", s)
			}
			return Value{}, v4Prefix(p), nil
		}
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return Value{}, nil, fmt.Errorf("%q is not a valid IPv4 address", s)
		}
		return Value{N: v4Num(a)}, nil, nil
	case IPv6:
		if strings.Contains(s, "/") {
			p, err := netip.ParsePrefix(s)
			if err != nil || !p.Addr().Is6() || p.Addr().Zone() != "" {
				return Value{}, nil, fmt.Errorf("%q is not a valid IPv6 network (write it as fe80::/10)", s)
			}
			np := &v6NetPred{net: p.Addr().As16(), bits: p.Bits()}
			return Value{}, np, nil
		}
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return Value{}, nil, fmt.Errorf("%q is not a valid IPv6 address", s)
		}
		b := a.As16()
		return Value{B: b[:]}, nil, nil
	case Ether:
		m, ok := parseMAC(s)
		if !ok {
			return Value{}, nil, fmt.Errorf("%q is not a valid Ethernet address (write it as aa:bb:cc:dd:ee:ff)", s)
		}
		return Value{N: m}, nil, nil
	case Bytes:
		if l.quoted {
			return Value{B: []byte(s)}, nil, nil
		}
		b, ok := parseByteString(s)
		if !ok {
			return Value{}, nil, fmt.Errorf("%q is not a valid byte string (write bytes as aa:bb:cc, or a quoted string)", s)
		}
		return Value{B: b}, nil, nil
	case String:
		return Value{B: []byte(s)}, nil, nil
	case OID:
		b, ok := parseOID(s)
		if !ok {
			return Value{}, nil, fmt.Errorf("%q is not a valid OBJECT IDENTIFIER (write it dotted, as 1.3.6.1.2.1.1.1.0)", s)
		}
		return Value{B: b}, nil, nil
	}
	return Value{}, nil, fmt.Errorf("%q cannot be compared with a %s", s, t)
}

// parseCUint reads an unsigned number as Wireshark does (C's strtoull with
// base 0, and 0b for binary): 0x hex, a leading 0 octal, else decimal, with an
// optional +. Go's 0o and digit separators (1_000) are not numbers there.
// overflow reports a well-formed number that does not fit 64 bits.
func parseCUint(s string) (n uint64, ok, overflow bool) {
	s = strings.TrimPrefix(s, "+")
	base := 10
	switch {
	case len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		base, s = 16, s[2:]
	case len(s) >= 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'):
		base, s = 2, s[2:]
		if s == "" {
			return 0, true, false // Wireshark reads a bare 0b as 0
		}
	case len(s) >= 2 && s[0] == '0':
		base, s = 8, s[1:]
	}
	if s == "" || s[0] == '+' || s[0] == '-' {
		return 0, false, false
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil {
		if ne, isNum := err.(*strconv.NumError); isNum && ne.Err == strconv.ErrRange {
			return 0, false, true
		}
		return 0, false, false
	}
	return n, true, false
}

// charConst reads a C character constant such as 'a' or '\n'.
func charConst(s string) (byte, bool) {
	if len(s) < 3 || s[0] != '\'' || s[len(s)-1] != '\'' {
		return 0, false
	}
	v, _, tail, err := strconv.UnquoteChar(s[1:len(s)-1], '\'')
	if err != nil || tail != "" || v > 0xff {
		return 0, false
	}
	return byte(v), true
}

func v4Num(a netip.Addr) uint64 {
	b := a.As4()
	return uint64(b[0])<<24 | uint64(b[1])<<16 | uint64(b[2])<<8 | uint64(b[3])
}

func v4Prefix(p netip.Prefix) *v4NetPred {
	mask := uint64(0)
	if p.Bits() > 0 {
		mask = (0xffffffff << (32 - p.Bits())) & 0xffffffff
	}
	return &v4NetPred{net: v4Num(p.Addr()) & mask, mask: mask}
}

// parseMAC reads aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff or aabb.ccdd.eeff.
func parseMAC(s string) (uint64, bool) {
	hw, err := net.ParseMAC(s)
	if err != nil || len(hw) != 6 {
		return 0, false
	}
	var n uint64
	for _, c := range hw {
		n = n<<8 | uint64(c)
	}
	return n, true
}

// parseByteString reads bytes written as hex pairs separated by ':', '-' or '.'
// (aa:bb:cc), a single byte (47 or 0x47), or unseparated hex with a 0x prefix.
func parseByteString(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		h := s[2:]
		if len(h)%2 == 1 {
			h = "0" + h
		}
		b, err := hex.DecodeString(h)
		return b, err == nil && len(b) > 0
	}
	sep := byte(0)
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ':' || c == '-' || c == '.' {
			sep = c
			break
		}
	}
	if sep == 0 {
		if len(s) > 2 {
			return nil, false
		}
		b, err := strconv.ParseUint(s, 16, 8)
		return []byte{byte(b)}, err == nil
	}
	parts := strings.Split(s, string(sep))
	out := make([]byte, 0, len(parts))
	for _, p := range parts {
		if len(p) == 0 || len(p) > 2 {
			return nil, false
		}
		b, err := strconv.ParseUint(p, 16, 8)
		if err != nil {
			return nil, false
		}
		out = append(out, byte(b))
	}
	return out, true
}

// parseOID reads a dotted object identifier as Wireshark does
// (oid_str_to_bytes) and returns its BER encoding: digits and single dots,
// at least two arcs, the first 0, 1 or 2 and the second below 40 unless the
// first is 2. Arcs are 32-bit numbers (larger ones wrap, as in Wireshark).
func parseOID(s string) ([]byte, bool) {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || !strings.Contains(s, ".") || strings.Contains(s, "..") {
		return nil, false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != '.' && (c < '0' || c > '9') {
			return nil, false
		}
	}
	var out []byte
	var first uint32
	for i, arc := range strings.Split(s, ".") {
		var n uint32
		for j := 0; j < len(arc); j++ {
			n = n*10 + uint32(arc[j]-'0')
		}
		switch i {
		case 0:
			if n > 2 {
				return nil, false
			}
			first = n
			continue
		case 1:
			if first < 2 && n > 39 {
				return nil, false
			}
			n += 40 * first
		}
		var buf [5]byte
		k := len(buf)
		for {
			k--
			buf[k] = 0x80 | byte(n&0x7f)
			n >>= 7
			if n == 0 || k == 0 {
				break
			}
		}
		buf[len(buf)-1] &= 0x7f
		out = append(out, buf[k:]...)
	}
	return out, true
}

// typeNoun names a type as Wireshark's errors do: "IPv4 address".
func typeNoun(t Type) string {
	s := t.String()
	return strings.ToUpper(s[:1]) + s[1:]
}
