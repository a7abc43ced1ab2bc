package capture

import (
	"fmt"
	"io"
	"os"
)

// OpenFile opens a pcap (microsecond or nanosecond, either byte order) or pcapng
// capture, detected by its magic number. A file that is neither is an error that
// shows its first bytes. A damaged file delivers every frame before the damage,
// then a *ReadError naming the frame and its byte offset.
//
// Frames returned by Next share one buffer, valid until the next call. In pcapng,
// interfaces are numbered across sections in the order they are described
// (Frame.Info.InterfaceIndex), and each frame carries its interface's link type.
//
// A gzip-compressed capture (capture.pcap.gz) is read as tshark reads it; byte
// offsets in errors then count the uncompressed bytes. To read standard input,
// pass os.Stdin to NewReader.
func OpenFile(path string) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%q is a directory, not a capture file", path)
	}
	rd, err := newReader(path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return rd, nil
}

// ReadFile reads and decodes every packet of a pcap or pcapng file. On a damaged
// file it returns the packets before the damage and a *ReadError.
func ReadFile(path string) ([]*Packet, error) {
	src, err := OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	return readAll(src)
}

// readAll decodes every frame src delivers, in one Decoder, until io.EOF (then
// the error is nil) or another error, which it returns with the packets before it.
func readAll(src Source) ([]*Packet, error) {
	d := NewDecoder()
	var pkts []*Packet
	for {
		fr, err := src.Next()
		if err == io.EOF {
			return pkts, nil
		}
		if err != nil {
			return pkts, err
		}
		pkts = append(pkts, d.Decode(fr))
	}
}
