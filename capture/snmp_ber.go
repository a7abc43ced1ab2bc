package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// The BER reading of SNMP messages, done as Wireshark's BER routines do it
// (epan/dissectors/packet-ber.c), because tshark's answers for damaged
// messages follow from them: an element's window is its declared length cut
// to what its parent has left; reading past a window is an exception that
// ends the dissection ("[Malformed Packet]", or "[Packet size limited during
// capture]" when the bytes were only cut by the snapshot length), keeping
// every field shown before it. Lengths and offsets wrap as Wireshark's
// 32-bit ones do, and every loop moves forward or stops.

// snmpExc is a Wireshark exception.
type snmpExc uint8

const (
	snmpCut           snmpExc = 1 + iota // BoundsError: the capture was cut short
	snmpMalformed                        // ReportedBoundsError: the message is shorter than it says
	snmpUnreassembled                    // ReportedBoundsError while joining a constructed string
)

// BER classes and the universal tags SNMP uses.
const (
	berUni = 0
	berApp = 1
	berCon = 2
	berPri = 3
	berAny = 99 // a table entry that matches any class

	berTagInteger = 2
	berTagOctets  = 4
	berTagNull    = 5
	berTagOID     = 6
	berTagSeq     = 16

	berMaxNesting = 500 // Wireshark's BER_MAX_NESTING
)

// Flags of a sequence or choice entry (Wireshark's BER_FLAGS_*).
const (
	berOptional = 1 << iota
	berImplTag
	berNoOwnTag
	berNoChkTag
)

// berWrap is an offset plus a length as Wireshark's int arithmetic gives it.
func berWrap(off int, n uint32) int { return int(int32(uint32(int32(off)) + n)) }

// snmpTVB is a window of the payload (a tvbuff): it starts at start and
// reports rep bytes, of which those before the end of the captured payload
// are there.
type snmpTVB struct{ start, rep int }

// capLen is how many of t's bytes were captured.
func (x *snmpDec) capLen(t snmpTVB) int {
	n := len(x.b) - t.start
	if n > t.rep {
		n = t.rep
	}
	if n < 0 {
		n = 0
	}
	return n
}

// check raises the exception Wireshark's bounds check raises for n bytes at
// off in t: the offset is judged first, then the end.
func (x *snmpDec) check(t snmpTVB, off, n int) {
	if off < 0 || n < 0 {
		panic(snmpMalformed)
	}
	c := x.capLen(t)
	for _, at := range [2]int{off, off + n} {
		switch {
		case at <= c:
		case at <= t.rep:
			panic(snmpCut)
		default:
			panic(snmpMalformed)
		}
	}
}

// get raises the exception of a small read (tvb_get_guint8 and the like),
// which is judged by its end only.
func (x *snmpDec) get(t snmpTVB, off, n int) {
	switch end := off + n; {
	case off < 0:
		panic(snmpMalformed)
	case end <= x.capLen(t):
	case end <= t.rep:
		panic(snmpCut)
	default:
		panic(snmpMalformed)
	}
}

func (x *snmpDec) u8(t snmpTVB, off int) byte {
	x.get(t, off, 1)
	return x.b[t.start+off]
}

// bytes returns n bytes at off, after check.
func (x *snmpDec) bytes(t snmpTVB, off, n int) []byte {
	x.check(t, off, n)
	return x.b[t.start+off : t.start+off+n]
}

// remaining is tvb_reported_length_remaining: 0 past the captured bytes.
func (x *snmpDec) remaining(t snmpTVB, off int) int {
	if off < 0 || off > x.capLen(t) {
		return 0
	}
	return t.rep - off
}

// sub is ber_tvb_new_subset_length: n bytes at off, cut to what t has left.
func (x *snmpDec) sub(t snmpTVB, off, n int) snmpTVB {
	if r := x.remaining(t, off); r <= n {
		n = r
	}
	if off < 0 || off > x.capLen(t) {
		if off >= 0 && off <= t.rep {
			panic(snmpCut)
		}
		panic(snmpMalformed)
	}
	switch {
	case n == -1:
		n = t.rep - off
	case n < -1:
		panic(snmpMalformed)
	}
	return snmpTVB{start: t.start + off, rep: n}
}

// ident reads an identifier (get_ber_identifier): class, constructed, tag.
func (x *snmpDec) ident(t snmpTVB, off int) (class uint8, pc bool, tag int32, next int) {
	id := x.u8(t, off)
	off++
	class, pc, tag = id>>6, id&0x20 != 0, int32(id&0x1f)
	if tag == 0x1f {
		tag = 0
		for x.remaining(t, off) > 0 {
			c := x.u8(t, off)
			off++
			tag = tag<<7 | int32(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
	}
	return class, pc, tag, off
}

// length reads a length (try_get_ber_length); an indefinite length is
// measured by walking the elements up to the end-of-contents mark.
func (x *snmpDec) length(t snmpTVB, off, nest int) (n uint32, ind bool, next int) {
	if nest > berMaxNesting {
		panic(snmpMalformed)
	}
	oct := x.u8(t, off)
	off++
	switch {
	case oct&0x80 == 0:
		n = uint32(oct)
	case oct&0x7f != 0:
		for k := oct & 0x7f; k > 0; k-- {
			n = n<<8 + uint32(x.u8(t, off))
			off++
		}
	default:
		start := off
		for x.u8(t, off) != 0 || x.u8(t, off+1) != 0 {
			s := off
			_, _, _, off = x.ident(t, off)
			var in uint32
			in, _, off = x.length(t, off, nest+1)
			n += in + uint32(off-s)
			off = berWrap(off, in)
			if off <= s {
				panic(snmpMalformed)
			}
		}
		n += 2
		ind = true
		off = start
	}
	return n, ind, off
}

// berEntry is one entry of a sequence or choice table.
type berEntry struct {
	class uint8
	tag   int32 // -1: any
	flags uint8
	value uint32 // a choice's value (its hf's)
	fn    func(x *snmpDec, impl bool, t snmpTVB, off int) int
}

// sequence is dissect_ber_sequence; marker is the FT_NONE field of the
// sequence itself (0: none).
func (x *snmpDec) sequence(impl bool, t snmpTVB, off int, seq []berEntry, marker snmpField) int {
	hoff := off
	var lenx uint32
	var end int
	ind := false
	if !impl {
		_, _, _, o := x.ident(t, off)
		lenx, _, o = x.length(t, o, 1)
		if marker != 0 {
			x.none(t, hoff, berWrap(o-hoff, lenx), marker)
		}
		var class uint8
		var pc bool
		var tag int32
		class, pc, tag, off = x.ident(t, hoff)
		lenx, ind, off = x.length(t, off, 1)
		end = berWrap(off, lenx)
		if ind {
			end -= 2
		}
		if class != berApp && class != berPri && (!pc || class != berUni || tag != berTagSeq) {
			x.check(t, hoff, 2)
			return end
		}
	} else {
		lenx = uint32(int32(x.remaining(t, off)))
		end = berWrap(off, lenx)
		if marker != 0 {
			x.none(t, hoff, int(int32(lenx)), marker)
		}
	}
	i := 0
	for off < end {
		if x.u8(t, off) == 0 && x.u8(t, off+1) == 0 {
			_, _, _, o := x.ident(t, off)
			x.length(t, o, 1)
			return end
		}
		h := off
		class, _, tag, o := x.ident(t, off)
		n, _, o := x.length(t, o, 1)
		eoff := berWrap(o, n)
		if eoff <= h {
			panic(snmpMalformed)
		}
	again:
		if i >= len(seq) {
			// A field past the end of the definition: shown as unknown.
			_, _, _, o = x.ident(t, h)
			x.length(t, o, 1)
			off = eoff
			continue
		}
		e := &seq[i]
		if e.flags&berNoChkTag == 0 && e.class != berAny && e.tag != -1 && (e.class != class || e.tag != tag) {
			if e.flags&berOptional != 0 {
				i++
				goto again
			}
			_, _, _, o = x.ident(t, h)
			x.length(t, o, 1)
			i++
			off = eoff
			continue
		}
		e.fn(x, false, x.sub(t, h, eoff-h), 0)
		off = eoff
		i++
	}
	if off != end && off-2 >= 0 {
		x.check(t, off-2, 2)
	}
	if ind {
		end += 2
	}
	return end
}

// choice is dissect_ber_choice; field records the chosen entry's value
// (0: none). It returns the index of the entry taken, -1 for none.
func (x *snmpDec) choice(t snmpTVB, off int, ch []berEntry, field snmpField) (int, int) {
	start := off
	if x.remaining(t, off) == 0 {
		return off, -1
	}
	class, _, tag, o := x.ident(t, off)
	n, ind, o := x.length(t, o, 1)
	end := berWrap(o, n)
	hoff := start
	for pass := 0; pass < 2; pass++ {
		for i := range ch {
			e := &ch[i]
			first := pass == 0
			if !(first && (e.class == class && e.tag == tag || e.class == class && e.tag == -1 && e.flags&berNoOwnTag != 0) ||
				!first && e.class == berAny && e.tag == -1) {
				continue
			}
			var ln int
			if e.flags&berNoOwnTag == 0 {
				_, _, _, hoff = x.ident(t, start)
				_, _, hoff = x.length(t, hoff, 1)
				start = hoff
				ln = int(int32(n))
				if ind {
					ln -= 2
				}
			} else {
				ln = end - hoff
			}
			if field != 0 {
				x.add(field, uint64(e.value))
			}
			count := e.fn(x, e.flags&berImplTag != 0, x.sub(t, hoff, ln), 0)
			if count == 0 && (e.class == class && e.tag == -1 && e.flags&berNoOwnTag != 0 || !first) {
				continue
			}
			return end, i
		}
	}
	return start, -1
}

// tagged is dissect_ber_tagged_type for an implicitly tagged type: the
// contents of the tag's element go to fn.
func (x *snmpDec) tagged(t snmpTVB, off int, fn func(x *snmpDec, impl bool, t snmpTVB, off int) int) int {
	_, _, _, off = x.ident(t, off)
	n, _, off := x.length(t, off, 1)
	fn(x, true, x.sub(t, off, int(int32(n))), 0)
	return berWrap(off, n)
}

// integer is dissect_ber_integer64: the value, sign-extended for a signed
// field (or none); field is shown with it when the length is usable (1 to 8 bytes, or 9
// with a leading zero).
func (x *snmpDec) integer(impl bool, t snmpTVB, off int, field snmpField) (int64, int) {
	signed := field == 0 || snmpFields[field].typ == filter.Int
	var n uint32
	if !impl {
		_, _, _, off = x.ident(t, off)
		n, _, off = x.length(t, off, 1)
	} else if r := x.remaining(t, off); r > 0 {
		n = uint32(r)
	}
	var first byte
	if n > 0 {
		first = x.u8(t, off)
	}
	if n > 9 || n == 9 && first != 0 {
		if field != 0 {
			x.check(t, off, int(int32(n))) // shown as bytes, read first
		}
		return 0, berWrap(off, n)
	}
	var v int64
	if n > 0 {
		if first&0x80 != 0 && signed {
			v = -1
		}
		for i := uint32(0); i < n; i++ {
			v = int64(uint64(v)<<8 | uint64(x.u8(t, off)))
			off++
		}
		if field != 0 {
			x.add(field, uint64(v))
		}
	}
	return v, off
}

// octets is dissect_ber_octet_string: field shows the bytes (as far as the
// window goes); the window of the declared length is returned for callers
// that look inside (ok false when none).
func (x *snmpDec) octets(t snmpTVB, off int, field snmpField) (end int, in snmpTVB, ok bool) {
	return x.octetsAt(t, off, field, true, 0)
}

// octetsAt is octets at a nesting depth; show is false for the parts of a
// constructed string (Wireshark dissects them without a tree: checked, not
// shown).
func (x *snmpDec) octetsAt(t snmpTVB, off int, field snmpField, show bool, nest int) (end int, in snmpTVB, ok bool) {
	hoff := off
	class, pc, tag, o := x.ident(t, off)
	n, ind, o := x.length(t, o, 1)
	end = berWrap(o, n)
	if class != berApp && class != berPri && (class != berUni || tag < 18 && tag != berTagOctets && tag != 12) {
		x.check(t, hoff, 2)
		return end, in, false
	}
	if pc {
		return x.reassemble(t, o, n, ind, field, show, nest)
	}
	ln := x.remaining(t, o)
	if uint64(n) <= uint64(uint32(int32(ln))) {
		ln = int(int32(n))
	}
	x.octetsItem(t, o, ln, field, tag, show)
	return end, x.sub(t, o, int(int32(n))), true
}

// reassemble is reassemble_octet_string: a constructed string's parts, each
// a string itself, joined. A string of one part is that part; the joined
// bytes of several are shown, but wirelab looks inside one part only (an
// engine ID or flags in parts are not taken apart). An exception meanwhile
// is Wireshark's "Unreassembled Packet".
func (x *snmpDec) reassemble(t snmpTVB, off int, conLen uint32, ind bool, field snmpField, show bool, nest int) (int, snmpTVB, bool) {
	if nest > berMaxNesting {
		panic(snmpMalformed)
	}
	if conLen == 0 {
		return off, snmpTVB{}, false
	}
	x.fragmented = true
	start := off
	var joined []byte
	for first := true; ; first = false {
		prev := off
		var part snmpTVB
		var ok bool
		off, part, ok = x.octetsAt(t, off, field, false, nest+1)
		if !ok {
			panic(snmpMalformed)
		}
		more := true
		if ind {
			if off <= prev {
				panic(snmpMalformed) // (Wireshark's length scan rules this out)
			}
			if x.u8(t, off) == 0 && x.u8(t, off+1) == 0 {
				more = false
				off += 2
			}
		} else if uint32(int32(off-start)) >= conLen {
			more = false
		}
		if !more && first {
			if _, pc, _, _ := x.ident(t, start); !pc && show {
				x.octetsAt(t, start, field, true, 0)
			}
			x.fragmented = false
			return off, part, true
		}
		if part.rep < 1 {
			panic(snmpMalformed)
		}
		x.check(part, 0, part.rep)
		joined = append(joined, x.b[part.start:part.start+part.rep]...)
		if !more {
			break
		}
	}
	if show && field != 0 {
		switch snmpFields[field].typ {
		case filter.String:
			x.addBytes(field, snmpString(joined, false))
		case filter.Bytes:
			x.addBytes(field, joined)
		}
	}
	x.fragmented = false
	return off, snmpTVB{}, false
}

// octetsItem shows ln bytes at off as field (Wireshark's
// ber_proto_tree_add_item), or only checks them (add false): an address of
// the wrong length is not shown.
func (x *snmpDec) octetsItem(t snmpTVB, off, ln int, field snmpField, tag int32, add bool) {
	switch snmpFields[field].typ {
	case filter.IPv4:
		if ln == 4 {
			x.check(t, off, 4)
			if add {
				x.add(field, uint64(be32(x.b[t.start+off:])))
			}
		}
	case filter.String:
		x.check(t, off, ln)
		if add {
			x.addBytes(field, snmpString(x.b[t.start+off:t.start+off+ln], tag == 12))
		}
	default:
		x.check(t, off, ln)
		if add {
			x.addBytes(field, x.b[t.start+off:t.start+off+ln])
		}
	}
}

// oid is dissect_ber_object_identifier; it returns the contents too (ok
// false when the element is not an OID).
func (x *snmpDec) oid(t snmpTVB, off int, field snmpField) (end int, contents []byte, ok bool) {
	hoff := off
	class, _, tag, o := x.ident(t, off)
	n, _, o := x.length(t, o, 1)
	end = berWrap(o, n)
	if class != berUni || tag != berTagOID {
		x.check(t, hoff, 2)
		return end, nil, false
	}
	contents = x.bytes(t, o, int(int32(n)))
	x.addBytes(field, contents)
	return end, contents, true
}

// unknown walks an element as dissect_unknown_ber shows it, for the
// exceptions that raises; it returns the offset after the element.
func (x *snmpDec) unknown(t snmpTVB, off, nest int) int {
	if nest > berMaxNesting {
		panic(snmpMalformed)
	}
	start := off
	class, pc, tag, o := x.ident(t, off)
	n, _, o := x.length(t, o, 1)
	if uint64(n) > uint64(uint32(int32(x.remaining(t, o)))) {
		return t.rep
	}
	ln := int(int32(n))
	if !pc {
		switch {
		case class != berUni:
			x.check(t, o, ln) // its bytes are printed
		case tag == 0, tag == berTagNull:
			return o
		case tag == 1: // BOOLEAN: one byte, else nothing read
			if ln != 1 {
				return o
			}
			x.u8(t, o)
			return o + 1
		case tag == berTagInteger || tag == 10:
			x.check(t, o, ln)
		case tag == 3 || tag == berTagOctets || tag == berTagOID || tag == 9 || tag == 12 || tag == 13 || tag >= 18 && tag <= 30:
			x.check(t, o, ln)
		}
		return berWrap(o, n)
	}
	x.check(t, o, ln) // its subtree
	stop := int(int32(uint32(int32(start)) + n + uint32(o-start)))
	for off = o; off < stop; {
		off = x.unknown(t, off, nest+1)
	}
	return off
}

// none is an FT_NONE item: Wireshark cuts its length to the captured bytes,
// so it never fails.
func (x *snmpDec) none(t snmpTVB, off, n int, field snmpField) {
	if field != 0 {
		x.add(field, 0)
	}
}
