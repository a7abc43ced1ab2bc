package capture

import (
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
func OpenFile(path string) (Source, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	rd, err := newReader(path, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return rd, nil
}
