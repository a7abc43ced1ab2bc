package capture

import (
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Frame is one captured frame as a source delivers it, before decoding.
// Data may be reused by the source on its next call to Next: a caller that keeps
// a frame copies Data.
type Frame struct {
	Data     []byte
	Info     gopacket.CaptureInfo // Timestamp, CaptureLength, Length, InterfaceIndex
	LinkType layers.LinkType
	Offset   int64 // byte offset of the frame's record in its file; 0 for live frames
}

// Source delivers frames in order: a pcap or pcapng file, or a live interface.
// Next returns io.EOF after the last frame.
type Source interface {
	Next() (Frame, error)
	Close() error
}
