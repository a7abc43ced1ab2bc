package capture

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/gopacket/gopacket/layers"
)

// Writer writes a pcapng capture: one section, one interface description per
// source added with AddInterface, nanosecond timestamps, and packet comments that
// Wireshark shows (frame.comment). It buffers: call Flush before the file is read.
// A Writer is not safe for concurrent use.
type Writer struct {
	w      *bufio.Writer
	ifaces []uint32 // snaplen of each interface
	buf    []byte
	err    error
}

// NewWriter writes the section header to w and returns a Writer for the rest.
func NewWriter(w io.Writer) (*Writer, error) {
	wr := &Writer{w: bufio.NewWriterSize(w, 64<<10)}
	b := wr.buf[:0]
	b = le32(b, blockSHB)
	b = le32(b, 0) // length, patched by endBlock
	b = le32(b, byteOrderMagic)
	b = le16(b, 1) // version 1.0
	b = le16(b, 0)
	b = le64(b, ^uint64(0))                // section length unknown
	b = addOption(b, 4, []byte("wirelab")) // shb_userappl
	b = endOptions(b)
	if err := wr.endBlock(b); err != nil {
		return nil, err
	}
	return wr, nil
}

// AddInterface describes a source of frames (name, link type, snapshot length;
// 0 means no limit) and returns its index for WriteFrame.
func (wr *Writer) AddInterface(name string, lt layers.LinkType, snaplen int) (int, error) {
	if wr.err != nil {
		return 0, wr.err
	}
	if snaplen < 0 || snaplen > MaxRecordSize {
		snaplen = 0
	}
	b := wr.buf[:0]
	b = le32(b, blockIDB)
	b = le32(b, 0)
	b = le16(b, uint16(lt))
	b = le16(b, 0)
	b = le32(b, uint32(snaplen))
	if name != "" {
		b = addOption(b, 2, []byte(name)) // if_name
	}
	b = addOption(b, optIfTsresol, []byte{9}) // nanoseconds
	b = endOptions(b)
	if err := wr.endBlock(b); err != nil {
		return 0, err
	}
	wr.ifaces = append(wr.ifaces, uint32(snaplen))
	return len(wr.ifaces) - 1, nil
}

// WriteFrame writes fr as an enhanced packet block of interface iface, with one
// opt_comment per comment. The original length is fr.Info.Length, or the length
// of fr.Data when that is larger.
func (wr *Writer) WriteFrame(iface int, fr Frame, comments ...string) error {
	if wr.err != nil {
		return wr.err
	}
	if iface < 0 || iface >= len(wr.ifaces) {
		return fmt.Errorf("pcapng writer: interface %d was not added (have %d)", iface, len(wr.ifaces))
	}
	data := fr.Data
	if len(data) > MaxRecordSize {
		data = data[:MaxRecordSize]
	}
	orig := max(fr.Info.Length, len(fr.Data))
	ts := uint64(fr.Info.Timestamp.UnixNano())
	b := wr.buf[:0]
	b = le32(b, blockEPB)
	b = le32(b, 0)
	b = le32(b, uint32(iface))
	b = le32(b, uint32(ts>>32))
	b = le32(b, uint32(ts))
	b = le32(b, uint32(len(data)))
	b = le32(b, uint32(orig))
	b = append(b, data...)
	b = pad4(b)
	if len(comments) > 0 {
		for _, c := range comments {
			b = addOption(b, optComment, truncUTF8(c, 0xffff))
		}
		b = endOptions(b)
	}
	return wr.endBlock(b)
}

// Flush writes buffered blocks to the underlying writer.
func (wr *Writer) Flush() error {
	if wr.err != nil {
		return wr.err
	}
	wr.err = wr.w.Flush()
	return wr.err
}

// endBlock fills in the block's lengths and writes it.
func (wr *Writer) endBlock(b []byte) error {
	total := uint32(len(b) + 4)
	binary.LittleEndian.PutUint32(b[4:8], total)
	b = le32(b, total)
	wr.buf = b[:0]
	if _, err := wr.w.Write(b); err != nil {
		wr.err = err
		return err
	}
	return nil
}

func le16(b []byte, v uint16) []byte { return binary.LittleEndian.AppendUint16(b, v) }
func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }
func le64(b []byte, v uint64) []byte { return binary.LittleEndian.AppendUint64(b, v) }

func pad4(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func addOption(b []byte, code uint16, v []byte) []byte {
	b = le16(b, code)
	b = le16(b, uint16(len(v)))
	b = append(b, v...)
	return pad4(b)
}

func endOptions(b []byte) []byte { return le32(b, 0) }

// truncUTF8 cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncUTF8(s string, n int) []byte {
	if len(s) <= n {
		return []byte(s)
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return []byte(s[:n])
}
