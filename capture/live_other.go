//go:build !linux

package capture

import (
	"errors"
	"io"
	"runtime"

	"github.com/gopacket/gopacket/layers"
)

// Live is a live capture; on this system OpenLive always fails.
type Live struct{}

// OpenLive fails: live capture needs Linux (AF_PACKET).
func OpenLive(iface string, opt LiveOptions) (*Live, error) {
	return nil, errors.New("live capture is supported on Linux only (this is " + runtime.GOOS + "); record with tcpdump or Wireshark and read the file instead")
}

// Next returns io.EOF.
func (l *Live) Next() (Frame, error) { return Frame{}, io.EOF }

// Stop does nothing.
func (l *Live) Stop() {}

// Close does nothing.
func (l *Live) Close() error { return nil }

// Stats returns zeros.
func (l *Live) Stats() (received, dropped uint64) { return 0, 0 }

// LinkType returns 0.
func (l *Live) LinkType() layers.LinkType { return 0 }
