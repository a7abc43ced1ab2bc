package capture

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"strings"
	"time"

	"github.com/gopacket/gopacket/layers"
)

// Limits on what a file may ask the reader to allocate. A record or block larger
// than these is reported as corruption, so a hostile file cannot make the reader
// allocate without bound.
const (
	// MaxRecordSize is the largest captured length a frame may have (Wireshark's
	// own limit for ordinary link types).
	MaxRecordSize = 256 << 10
	// maxBlockSize is the largest pcapng block the reader accepts.
	maxBlockSize = 16 << 20
)

// File magic numbers, as they appear in the first four bytes read big-endian.
const (
	magicPcapMicro     = 0xa1b2c3d4
	magicPcapMicroSwap = 0xd4c3b2a1
	magicPcapNano      = 0xa1b23c4d
	magicPcapNanoSwap  = 0x4d3cb2a1
	magicPcapKuznetzov = 0xa1b2cd34 // "modified" pcap: 8 more bytes per record header
	magicPcapKuzSwap   = 0x34cdb2a1
	magicPcapng        = 0x0a0d0d0a // section header block type, a palindrome
)

// pcapng block types the reader interprets; every other block is skipped.
const (
	blockSHB         = 0x0a0d0d0a
	blockIDB         = 0x00000001
	blockPacket      = 0x00000002 // obsolete Packet Block
	blockSPB         = 0x00000003
	blockEPB         = 0x00000006
	byteOrderMagic   = 0x1a2b3c4d
	optEndOfOpt      = 0
	optComment       = 1
	optIfName        = 2
	optIfTsresol     = 9
	optIfTsoffset    = 14
	defaultTsresol   = 6
	pcapHeaderLen    = 24
	pcapRecordLen    = 16
	pcapKuzRecordLen = 24
)

// notCaptureError is returned when the input is neither pcap nor pcapng.
type notCaptureError struct{ msg string }

func (e *notCaptureError) Error() string { return e.msg }

// IsNotCapture reports whether err says a file is not a capture at all (its
// message shows the file's first bytes: callers reading files on someone
// else's behalf say less).
func IsNotCapture(err error) bool {
	var e *notCaptureError
	return errors.As(err, &e)
}

func notCapture(format string, args ...any) error {
	return &notCaptureError{fmt.Sprintf(format, args...)}
}

// ReadError reports damage in a capture file: the frame that could not be read and
// the byte offset of its record. Frames before it were delivered intact. Frame is 0
// when the damage is in the file header, before any frame.
type ReadError struct {
	Path   string // the file as the caller named it; "" for a reader
	Frame  int    // number of the damaged frame, from 1
	Offset int64  // byte offset of the damaged record or block
	Err    error  // what is wrong
}

func (e *ReadError) Error() string {
	p := e.Path
	if p == "" {
		p = "capture"
	}
	if e.Frame == 0 {
		return fmt.Sprintf("%s: at byte %d: %v", p, e.Offset, e.Err)
	}
	return fmt.Sprintf("%s: frame %d at byte %d: %v", p, e.Frame, e.Offset, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// truncated builds the error for a record cut short by the end of the file.
func truncated(what string, want, have int) error {
	return fmt.Errorf("truncated %s (header says %d bytes, %d remain)", what, want, have)
}

// pcapngIface is one interface description of the current pcapng section.
type pcapngIface struct {
	index    int // global index: interfaces of all sections are numbered in order
	linkType layers.LinkType
	snaplen  uint32
	tsresol  uint8 // if_tsresol as stored: high bit set means a power of 2
	tsoffset int64 // seconds added to every timestamp
	name     string
}

// reader reads pcap and pcapng from a byte stream. Errors are sticky: after the
// first error every Next returns it again.
type reader struct {
	path   string
	r      *bufio.Reader
	closer io.Closer
	off    int64 // offset of the next unread byte
	frames int   // frames delivered so far
	err    error
	buf    []byte
	hdr    [32]byte

	ng bool
	bo binary.ByteOrder

	// pcap
	linkType  layers.LinkType
	nano      bool
	recordLen int

	// pcapng
	ifaces   []pcapngIface // of the current section
	nifaces  int           // interfaces seen in all sections so far
	comments []string      // of the last frame
}

// Comments returns the pcapng comments of the frame Next returned last.
func (rd *reader) Comments() []string { return rd.comments }

// NewReader reads a pcap or pcapng capture from r, detected by its magic number.
// Errors name no file; a *ReadError's Path is empty. The Frames it returns share
// one buffer, valid until the next call to Next. Close closes r if it is an
// io.Closer.
func NewReader(r io.Reader) (Source, error) {
	rd, err := newReader("", r)
	if err != nil {
		return nil, err
	}
	return rd, nil
}

func newReader(path string, r io.Reader) (*reader, error) {
	rd := &reader{path: path, r: bufio.NewReaderSize(r, 64<<10)}
	if c, ok := r.(io.Closer); ok {
		rd.closer = c
	}
	if m, _ := rd.r.Peek(2); len(m) == 2 && m[0] == 0x1f && m[1] == 0x8b {
		// gzip: read the capture inside, as tshark and tcpdump do.
		z, err := gzip.NewReader(rd.r)
		if err != nil {
			return nil, notCapture("%s: gzip: %v", displayName(path), err)
		}
		z.Multistream(true)
		rd.r = bufio.NewReaderSize(z, 64<<10)
	}
	first, _ := rd.r.Peek(4)
	if len(first) < 4 {
		name := "input"
		if path != "" {
			name = fmt.Sprintf("%q", path)
		}
		if len(first) == 0 {
			return nil, notCapture("%s is empty, not a pcap or pcapng file", name)
		}
		return nil, notCapture("%s is not a pcap or pcapng file (only %d bytes: 0x%x)", name, len(first), first)
	}
	switch m := binary.BigEndian.Uint32(first); m {
	case magicPcapng:
		rd.ng = true
		if err := rd.readSHB(); err != nil {
			return nil, err
		}
	case magicPcapMicro, magicPcapNano, magicPcapKuznetzov:
		rd.bo = binary.BigEndian
		if err := rd.readPcapHeader(m); err != nil {
			return nil, err
		}
	case magicPcapMicroSwap, magicPcapNanoSwap, magicPcapKuzSwap:
		rd.bo = binary.LittleEndian
		if err := rd.readPcapHeader(bits.ReverseBytes32(m)); err != nil {
			return nil, err
		}
	default:
		name := "input"
		if path != "" {
			name = fmt.Sprintf("%q", path)
		}
		return nil, notCapture("%s is not a pcap or pcapng file (starts with 0x%x)", name, first)
	}
	return rd, nil
}

func displayName(path string) string {
	if path == "" {
		return "input"
	}
	return fmt.Sprintf("%q", path)
}

// knownLinkType reports whether lt is a LINKTYPE_ value Wireshark reads: the
// registered range (0 to 298, including DLT_RAW's 12 and 14 and the user types
// 147 to 162). A file of any other type is not a capture tshark can read.
func knownLinkType(lt layers.LinkType) bool { return lt <= 298 }

func unknownLinkType(lt layers.LinkType) error {
	return fmt.Errorf("link type %d is unknown (not one of the LINKTYPE_ values pcap and pcapng use, 0 to 298)", lt)
}

func (rd *reader) fail(frame int, off int64, err error) error {
	rd.err = &ReadError{Path: rd.path, Frame: frame, Offset: off, Err: err}
	return rd.err
}

// readFull reads len(p) bytes and advances the offset by what it read.
func (rd *reader) readFull(p []byte) (int, error) {
	n, err := io.ReadFull(rd.r, p)
	rd.off += int64(n)
	return n, err
}

func (rd *reader) readPcapHeader(magic uint32) error {
	h := rd.hdr[:pcapHeaderLen]
	if n, err := rd.readFull(h); err != nil {
		return rd.fail(0, 0, truncated("pcap file header", pcapHeaderLen, n))
	}
	rd.nano = magic == magicPcapNano
	rd.recordLen = pcapRecordLen
	if magic == magicPcapKuznetzov {
		rd.recordLen = pcapKuzRecordLen
	}
	// The link type is the low 16 bits; the high bits may carry FCS information.
	rd.linkType = layers.LinkType(rd.bo.Uint32(h[20:24]) & 0xffff)
	if !knownLinkType(rd.linkType) {
		return rd.fail(0, 20, unknownLinkType(rd.linkType))
	}
	return nil
}

// Next returns the next frame. Its Data is valid until the next call.
func (rd *reader) Next() (Frame, error) {
	if rd.err != nil {
		return Frame{}, rd.err
	}
	if rd.ng {
		return rd.nextPcapng()
	}
	return rd.nextPcap()
}

// Close closes the underlying file.
func (rd *reader) Close() error {
	if rd.err == nil {
		rd.err = io.EOF
	}
	if rd.closer != nil {
		c := rd.closer
		rd.closer = nil
		return c.Close()
	}
	return nil
}

func (rd *reader) nextPcap() (Frame, error) {
	start := rd.off
	num := rd.frames + 1
	h, err := rd.peek(rd.recordLen)
	if err != nil {
		if len(h) == 0 {
			rd.err = io.EOF
			return Frame{}, io.EOF
		}
		return Frame{}, rd.fail(num, start, truncated("record header", rd.recordLen, len(h)))
	}
	sec := rd.bo.Uint32(h[0:4])
	frac := rd.bo.Uint32(h[4:8])
	capLen := rd.bo.Uint32(h[8:12])
	origLen := rd.bo.Uint32(h[12:16])
	if capLen > MaxRecordSize {
		return Frame{}, rd.fail(num, start, fmt.Errorf("corrupt record: captured length %d exceeds the limit of %d bytes", capLen, MaxRecordSize))
	}
	data, err := rd.peek(int(capLen))
	if err != nil {
		return Frame{}, rd.fail(num, start, truncated("record", int(capLen), len(data)))
	}
	ns := int64(frac)
	if !rd.nano {
		ns *= 1000
	}
	rd.frames++
	fr := Frame{Data: data, LinkType: rd.linkType, Offset: start}
	fr.Info.Timestamp = time.Unix(int64(sec), ns)
	fr.Info.CaptureLength = int(capLen)
	fr.Info.Length = int(origLen)
	return fr, nil
}

// peek consumes and returns the next n bytes. They stay valid until the next
// read: small records are not copied out of the bufio buffer. At the end of the
// input it returns the bytes that remain and an error.
func (rd *reader) peek(n int) ([]byte, error) {
	if n <= rd.r.Size() {
		b, err := rd.r.Peek(n)
		if err != nil {
			rd.r.Discard(len(b))
			rd.off += int64(len(b))
			return b, err
		}
		rd.r.Discard(n)
		rd.off += int64(n)
		return b, nil
	}
	b := rd.grow(n)
	k, err := rd.readFull(b)
	return b[:k], err
}

// grow returns the reusable buffer resliced to n bytes.
func (rd *reader) grow(n int) []byte {
	if cap(rd.buf) < n {
		rd.buf = make([]byte, n, max(n, 2048))
	}
	return rd.buf[:n]
}

// readBlock reads one pcapng block at the current offset and returns its type and
// body (the bytes between the leading length and the trailing length). eof is true
// at a clean end of file.
func (rd *reader) readBlock() (typ uint32, body []byte, start int64, err error) {
	start = rd.off
	num := rd.frames + 1
	h := rd.hdr[:8]
	n, rerr := rd.readFull(h)
	if rerr != nil {
		if n == 0 && rerr == io.EOF {
			rd.err = io.EOF
			return 0, nil, start, io.EOF
		}
		return 0, nil, start, rd.fail(num, start, truncated("block header", 8, n))
	}
	typ = rd.bo.Uint32(h[0:4])
	total := rd.bo.Uint32(h[4:8])
	if typ == blockSHB {
		// A new section may switch byte order: the caller rereads the header.
		return typ, nil, start, nil
	}
	if total < 12 || total%4 != 0 || total > maxBlockSize {
		return 0, nil, start, rd.fail(num, start, fmt.Errorf("corrupt block: length %d (type 0x%x) is not a multiple of 4 between 12 and %d", total, typ, maxBlockSize))
	}
	body, rerr = rd.peek(int(total) - 8)
	if rerr != nil {
		return 0, nil, start, rd.fail(num, start, truncated("block", int(total), len(body)+8))
	}
	if trail := rd.bo.Uint32(body[len(body)-4:]); trail != total {
		return 0, nil, start, rd.fail(num, start, fmt.Errorf("corrupt block: leading length %d and trailing length %d differ", total, trail))
	}
	return typ, body[:len(body)-4], start, nil
}

// readSHB reads the section header block at the start of the file.
func (rd *reader) readSHB() error {
	start := rd.off
	h := rd.hdr[:12]
	if n, err := rd.readFull(h); err != nil {
		return rd.fail(rd.frames, start, truncated("section header block", 12, n))
	}
	return rd.finishSHB(start, h[4:8], h[8:12])
}

// finishSHB completes a section header whose type was read; lenBytes and bom are
// the raw length and byte-order magic.
func (rd *reader) finishSHB(start int64, lenBytes, bom []byte) error {
	frameNo := rd.frames + 1
	if rd.frames == 0 {
		frameNo = 0
	}
	switch binary.BigEndian.Uint32(bom) {
	case byteOrderMagic:
		rd.bo = binary.BigEndian
	case bits.ReverseBytes32(byteOrderMagic):
		rd.bo = binary.LittleEndian
	default:
		return rd.fail(frameNo, start, fmt.Errorf("corrupt section header: byte-order magic 0x%x", bom))
	}
	total := rd.bo.Uint32(lenBytes)
	if total < 28 || total%4 != 0 || total > maxBlockSize {
		return rd.fail(frameNo, start, fmt.Errorf("corrupt section header: length %d is not a multiple of 4 between 28 and %d", total, maxBlockSize))
	}
	rest := rd.grow(int(total) - 12)
	if n, err := rd.readFull(rest); err != nil {
		return rd.fail(frameNo, start, truncated("section header block", int(total), n+12))
	}
	if trail := rd.bo.Uint32(rest[len(rest)-4:]); trail != total {
		return rd.fail(frameNo, start, fmt.Errorf("corrupt section header: leading length %d and trailing length %d differ", total, trail))
	}
	if major := rd.bo.Uint16(rest[0:2]); major != 1 {
		return rd.fail(frameNo, start, fmt.Errorf("unsupported pcapng version %d.%d", major, rd.bo.Uint16(rest[2:4])))
	}
	rd.ifaces = rd.ifaces[:0]
	return nil
}

func (rd *reader) nextPcapng() (Frame, error) {
	for {
		typ, body, start, err := rd.readBlock()
		if err != nil {
			return Frame{}, err
		}
		num := rd.frames + 1
		switch typ {
		case blockSHB:
			h := rd.hdr[:12]
			n, err := rd.readFull(h[8:12])
			if err != nil {
				return Frame{}, rd.fail(num, start, truncated("section header block", 12, n+8))
			}
			if err := rd.finishSHB(start, h[4:8], h[8:12]); err != nil {
				return Frame{}, err
			}
		case blockIDB:
			if len(body) < 8 {
				return Frame{}, rd.fail(num, start, fmt.Errorf("corrupt interface description block: %d bytes", len(body)+12))
			}
			ifc := pcapngIface{
				index:    rd.nifaces,
				linkType: layers.LinkType(rd.bo.Uint16(body[0:2])),
				snaplen:  rd.bo.Uint32(body[4:8]),
				tsresol:  defaultTsresol,
			}
			rd.scanOptions(body[8:], func(code uint16, v []byte) {
				switch {
				case code == optIfTsresol && len(v) >= 1:
					ifc.tsresol = v[0]
				case code == optIfTsoffset && len(v) >= 8:
					ifc.tsoffset = int64(rd.bo.Uint64(v[:8]))
				case code == optIfName:
					ifc.name = strings.TrimRight(string(v), "\x00")
				}
			})
			if !knownLinkType(ifc.linkType) {
				return Frame{}, rd.fail(num, start, fmt.Errorf("interface %d: %w", ifc.index, unknownLinkType(ifc.linkType)))
			}
			if len(rd.ifaces) >= 1<<16 {
				return Frame{}, rd.fail(num, start, errors.New("corrupt section: more than 65536 interfaces"))
			}
			rd.ifaces = append(rd.ifaces, ifc)
			rd.nifaces++
		case blockEPB, blockPacket:
			if len(body) < 20 {
				return Frame{}, rd.fail(num, start, fmt.Errorf("corrupt packet block: %d bytes", len(body)+12))
			}
			var id uint32
			if typ == blockEPB {
				id = rd.bo.Uint32(body[0:4])
			} else {
				id = uint32(rd.bo.Uint16(body[0:2]))
			}
			if int(id) >= len(rd.ifaces) {
				return Frame{}, rd.fail(num, start, fmt.Errorf("corrupt packet block: interface %d is not described (the section has %d)", id, len(rd.ifaces)))
			}
			ifc := &rd.ifaces[id]
			ts := uint64(rd.bo.Uint32(body[4:8]))<<32 | uint64(rd.bo.Uint32(body[8:12]))
			capLen := rd.bo.Uint32(body[12:16])
			origLen := rd.bo.Uint32(body[16:20])
			if capLen > MaxRecordSize {
				return Frame{}, rd.fail(num, start, fmt.Errorf("corrupt packet block: captured length %d exceeds the limit of %d bytes", capLen, MaxRecordSize))
			}
			if int(capLen) > len(body)-20 {
				return Frame{}, rd.fail(num, start, fmt.Errorf("corrupt packet block: captured length %d exceeds the block's %d data bytes", capLen, len(body)-20))
			}
			rd.frames++
			rd.comments = rd.comments[:0]
			if padded := int(capLen+3) &^ 3; typ == blockEPB && len(body)-20-padded >= 4 {
				rd.scanOptions(body[20+padded:], func(code uint16, v []byte) {
					if code == optComment {
						rd.comments = append(rd.comments, string(v))
					}
				})
			}
			fr := Frame{Data: body[20 : 20+capLen], LinkType: ifc.linkType, Offset: start, HasInterface: true, Comments: rd.comments}
			fr.Info.Timestamp = ifc.time(ts)
			fr.Info.CaptureLength = int(capLen)
			fr.Info.Length = int(origLen)
			fr.Info.InterfaceIndex = ifc.index
			fr.Interface = ifc.name
			return fr, nil
		case blockSPB:
			if len(rd.ifaces) == 0 {
				return Frame{}, rd.fail(num, start, errors.New("corrupt simple packet block: the section describes no interface"))
			}
			if len(body) < 4 {
				return Frame{}, rd.fail(num, start, fmt.Errorf("corrupt simple packet block: %d bytes", len(body)+12))
			}
			ifc := &rd.ifaces[0]
			origLen := rd.bo.Uint32(body[0:4])
			capLen := min(uint64(origLen), uint64(len(body)-4))
			if ifc.snaplen != 0 {
				capLen = min(capLen, uint64(ifc.snaplen))
			}
			if capLen > MaxRecordSize {
				return Frame{}, rd.fail(num, start, fmt.Errorf("corrupt simple packet block: length %d exceeds the limit of %d bytes", capLen, MaxRecordSize))
			}
			rd.frames++
			rd.comments = rd.comments[:0]
			fr := Frame{Data: body[4 : 4+capLen], LinkType: ifc.linkType, Offset: start, HasInterface: true}
			fr.Info.CaptureLength = int(capLen)
			fr.Info.Length = int(origLen)
			fr.Info.InterfaceIndex = ifc.index
			fr.Interface = ifc.name
			return fr, nil
		}
		// Name resolution, statistics, decryption secrets, custom blocks: skipped.
	}
}

// scanOptions calls fn for each option in a pcapng options area, stopping at the
// end-of-options marker or at the first option that does not fit.
func (rd *reader) scanOptions(b []byte, fn func(code uint16, v []byte)) {
	for len(b) >= 4 {
		code := rd.bo.Uint16(b[0:2])
		n := int(rd.bo.Uint16(b[2:4]))
		if code == optEndOfOpt {
			return
		}
		b = b[4:]
		if n > len(b) {
			return
		}
		fn(code, b[:n])
		padded := (n + 3) &^ 3
		if padded > len(b) {
			return
		}
		b = b[padded:]
	}
}

// time converts a pcapng timestamp in the interface's units to a time.
func (ifc *pcapngIface) time(ts uint64) time.Time {
	var sec, ns uint64
	exp := uint(ifc.tsresol & 0x7f)
	if ifc.tsresol&0x80 != 0 {
		// Units of 2^-exp seconds.
		if exp >= 64 {
			sec = 0
		} else {
			sec = ts >> exp
		}
		frac := ts
		if exp < 64 {
			frac = ts & (1<<exp - 1)
		}
		hi, lo := bits.Mul64(frac, 1e9)
		// (hi:lo) >> exp
		switch {
		case exp == 0:
			ns = lo
		case exp < 64:
			ns = lo>>exp | hi<<(64-exp)
		case exp < 128:
			ns = hi >> (exp - 64)
		}
	} else {
		if exp > 19 {
			exp = 19 // 10^19 is the largest power of ten in a uint64
		}
		div := uint64(1)
		for range exp {
			div *= 10
		}
		sec = ts / div
		rem := ts % div
		hi, lo := bits.Mul64(rem, 1e9)
		ns, _ = bits.Div64(hi, lo, div)
	}
	return time.Unix(int64(sec)+ifc.tsoffset, int64(ns))
}
