package lualib

import (
	"encoding/binary"
	"math"
	"strings"

	lua "github.com/yuin/gopher-lua"
)

// string.pack, string.unpack and string.packsize as Lua 5.3 has them, an
// extension wirelab adds to Lua 5.1 so a lab's Lua service can build and read
// binary protocols (a DNS header is string.pack(">I2I2I2I2I2I2", ...)). The
// formats are 5.3's (< > = ! b B h H i[n] I[n] l L j J T f d n s[n] z x X c[n]
// and spaces). One difference: numbers are Lua 5.1's doubles, so an integer
// must be exact in a double (below 2^53), and unpack returns doubles.
// testdata/diff53 compares them with lua5.3.

type packKind int

const (
	kInt packKind = iota
	kUint
	kFloat
	kChar
	kString
	kZstr
	kPadding
	kPaddAlign
	kNop
)

const (
	nativeAlign = 8 // the alignment of a C double, pointer or int64 on x86-64
	maxIntSize  = 16
	luaIntSize  = 8
)

type packState struct {
	L        *lua.LState
	fmt      string
	i        int
	little   bool
	maxAlign int
}

func newPackState(L *lua.LState, f string) *packState {
	return &packState{L: L, fmt: f, little: true, maxAlign: 1}
}

func (h *packState) getNum(def int) int {
	if h.i >= len(h.fmt) || !isDigit(h.fmt[h.i]) {
		return def
	}
	a := 0
	for h.i < len(h.fmt) && isDigit(h.fmt[h.i]) && a <= (math.MaxInt32-9)/10 {
		a = a*10 + int(h.fmt[h.i]-'0')
		h.i++
	}
	return a
}

func (h *packState) getNumLimit(def int) int {
	sz := h.getNum(def)
	if sz > maxIntSize || sz <= 0 {
		h.L.RaiseError("integral size (%d) out of limits [1,%d]", sz, maxIntSize)
	}
	return sz
}

// option reads one option and returns its kind and size.
func (h *packState) option() (packKind, int) {
	c := h.fmt[h.i]
	h.i++
	switch c {
	case 'b':
		return kInt, 1
	case 'B':
		return kUint, 1
	case 'h':
		return kInt, 2
	case 'H':
		return kUint, 2
	case 'l', 'j':
		return kInt, 8
	case 'L', 'J', 'T':
		return kUint, 8
	case 'f':
		return kFloat, 4
	case 'd', 'n':
		return kFloat, 8
	case 'i':
		return kInt, h.getNumLimit(4)
	case 'I':
		return kUint, h.getNumLimit(4)
	case 's':
		return kString, h.getNumLimit(8)
	case 'c':
		sz := h.getNum(-1)
		if sz == -1 {
			h.L.RaiseError("missing size for format option 'c'")
		}
		return kChar, sz
	case 'z':
		return kZstr, 0
	case 'x':
		return kPadding, 1
	case 'X':
		return kPaddAlign, 0
	case ' ':
	case '<', '=':
		h.little = true
	case '>':
		h.little = false
	case '!':
		h.maxAlign = h.getNumLimit(nativeAlign)
	default:
		h.L.RaiseError("invalid format option '%c'", c)
	}
	return kNop, 0
}

// details reads the next option and how many padding bytes align it at
// offset total.
func (h *packState) details(total int) (packKind, int, int) {
	opt, size := h.option()
	align := size
	if opt == kPaddAlign {
		if h.i >= len(h.fmt) {
			h.L.ArgError(1, "invalid next option for option 'X'")
		}
		next, nsize := h.option()
		align = nsize
		if next == kChar || align == 0 {
			h.L.ArgError(1, "invalid next option for option 'X'")
		}
	}
	pad := 0
	if align > 1 && opt != kChar {
		if align > h.maxAlign {
			align = h.maxAlign
		}
		if align&(align-1) != 0 {
			h.L.ArgError(1, "format asks for alignment not power of 2")
		}
		pad = (align - total&(align-1)) & (align - 1)
	}
	return opt, size, pad
}

// packInt appends v in size bytes; a negative v is sign-extended past 8.
func packInt(b *strings.Builder, v uint64, little bool, size int, neg bool) {
	buf := make([]byte, size)
	for i := 0; i < size; i++ {
		var c byte
		if i < luaIntSize {
			c = byte(v >> (8 * uint(i)))
		} else if neg {
			c = 0xff
		}
		if little {
			buf[i] = c
		} else {
			buf[size-1-i] = c
		}
	}
	b.Write(buf)
}

// checkInteger is luaL_checkinteger of Lua 5.3 over a 5.1 number: it must be
// integral and fit in an int64.
func checkInteger(L *lua.LState, n int) int64 {
	x := luaCheckNumber(L, n)
	if x != math.Trunc(x) || x < -(1<<63) || x >= 1<<63 {
		L.ArgError(n, "number has no integer representation")
	}
	return int64(x)
}

func strPack(L *lua.LState) int {
	h := newPackState(L, checkLString(L, 1))
	// C Lua 5.3 pushes a nil past the arguments first, so a missing value
	// reads "got nil".
	L.Push(lua.LNil)
	var b strings.Builder
	arg := 1
	total := 0
	for h.i < len(h.fmt) {
		opt, size, pad := h.details(total)
		total += pad + size
		b.WriteString(strings.Repeat("\x00", pad))
		arg++
		switch opt {
		case kInt:
			n := checkInteger(L, arg)
			if size < luaIntSize {
				lim := int64(1) << (uint(size)*8 - 1)
				if n < -lim || n >= lim {
					L.ArgError(arg, "integer overflow")
				}
			}
			packInt(&b, uint64(n), h.little, size, n < 0)
		case kUint:
			n := checkInteger(L, arg)
			if size < luaIntSize && uint64(n) >= uint64(1)<<(uint(size)*8) {
				L.ArgError(arg, "unsigned overflow")
			}
			packInt(&b, uint64(n), h.little, size, false)
		case kFloat:
			x := luaCheckNumber(L, arg)
			buf := make([]byte, size)
			order := byteOrder(h.little)
			if size == 4 {
				order.PutUint32(buf, math.Float32bits(float32(x)))
			} else {
				order.PutUint64(buf, math.Float64bits(x))
			}
			b.Write(buf)
		case kChar:
			s := checkLString(L, arg)
			if len(s) > size {
				L.ArgError(arg, "string longer than given size")
			}
			b.WriteString(s)
			b.WriteString(strings.Repeat("\x00", size-len(s)))
		case kString:
			s := checkLString(L, arg)
			if size < luaIntSize && uint64(len(s)) >= uint64(1)<<(uint(size)*8) {
				L.ArgError(arg, "string length does not fit in given size")
			}
			packInt(&b, uint64(len(s)), h.little, size, false)
			b.WriteString(s)
			total += len(s)
		case kZstr:
			s := checkLString(L, arg)
			if strings.IndexByte(s, 0) >= 0 {
				L.ArgError(arg, "string contains zeros")
			}
			b.WriteString(s)
			b.WriteByte(0)
			total += len(s) + 1
		case kPadding:
			b.WriteByte(0)
			arg--
		default:
			arg--
		}
	}
	L.Push(lua.LString(b.String()))
	return 1
}

func byteOrder(little bool) binary.ByteOrder {
	if little {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

func strPacksize(L *lua.LState) int {
	h := newPackState(L, checkLString(L, 1))
	total := 0
	for h.i < len(h.fmt) {
		opt, size, pad := h.details(total)
		if opt == kString || opt == kZstr {
			L.ArgError(1, "variable-length format")
		}
		size += pad
		if total > math.MaxInt32-size {
			L.ArgError(1, "format result too large")
		}
		total += size
	}
	L.Push(lua.LNumber(total))
	return 1
}

// unpackInt reads size bytes as an integer (at most 8 significant).
func unpackInt(L *lua.LState, s string, little bool, size int, signed bool) int64 {
	at := func(i int) byte {
		if little {
			return s[i]
		}
		return s[size-1-i]
	}
	var res uint64
	for i := min(size, luaIntSize) - 1; i >= 0; i-- {
		res = res<<8 | uint64(at(i))
	}
	if size < luaIntSize {
		if signed {
			m := uint64(1) << (uint(size)*8 - 1)
			res = (res ^ m) - m
		}
	} else if size > luaIntSize {
		var fill byte
		if signed && int64(res) < 0 {
			fill = 0xff
		}
		for i := luaIntSize; i < size; i++ {
			if at(i) != fill {
				L.RaiseError("%d-byte integer does not fit into Lua Integer", size)
			}
		}
	}
	return int64(res)
}

func strUnpack(L *lua.LState) int {
	h := newPackState(L, checkLString(L, 1))
	data := checkLString(L, 2)
	ld := len(data)
	pos := posrelat(luaOptInt(L, 3, 1), ld) - 1
	if pos > ld || pos < 0 {
		L.ArgError(3, "initial position out of string")
	}
	n := 0
	for h.i < len(h.fmt) {
		opt, size, pad := h.details(pos)
		if pad+size > ld-pos {
			L.ArgError(2, "data string too short")
		}
		pos += pad
		n++
		switch opt {
		case kInt, kUint:
			L.Push(lua.LNumber(unpackInt(L, data[pos:pos+size], h.little, size, opt == kInt)))
		case kFloat:
			order := byteOrder(h.little)
			if size == 4 {
				L.Push(lua.LNumber(math.Float32frombits(order.Uint32([]byte(data[pos : pos+4])))))
			} else {
				L.Push(lua.LNumber(math.Float64frombits(order.Uint64([]byte(data[pos : pos+8])))))
			}
		case kChar:
			L.Push(lua.LString(data[pos : pos+size]))
		case kString:
			l := uint64(unpackInt(L, data[pos:pos+size], h.little, size, false))
			if l > uint64(ld-pos-size) {
				L.ArgError(2, "data string too short")
			}
			L.Push(lua.LString(data[pos+size : pos+size+int(l)]))
			pos += int(l)
		case kZstr:
			l := strings.IndexByte(data[pos:], 0)
			if l < 0 {
				l = ld - pos // Lua 5.3 reads the string's hidden terminator
			}
			L.Push(lua.LString(data[pos : pos+l]))
			pos += l + 1
		default:
			n--
		}
		pos += size
	}
	L.Push(lua.LNumber(pos + 1))
	return n + 1
}
