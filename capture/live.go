package capture

import (
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// DefaultSnaplen is the snapshot length of a live capture when LiveOptions does
// not set one: the whole of any ordinary packet.
const DefaultSnaplen = MaxRecordSize

// LiveOptions configures OpenLive.
type LiveOptions struct {
	// Snaplen is the most bytes kept of each packet; 0 means DefaultSnaplen.
	Snaplen int
	// Filter, when set, keeps only the packets it matches. It is evaluated in
	// userspace: a capture filter (CompileCapture) on the frame's bytes, a
	// display filter on the decoded packet; packets it rejects still count in
	// Stats.
	Filter *filter.Filter
}

// FrameFilter decides whether a frame is kept.
type FrameFilter func(fr Frame) bool

// NewFrameFilter returns the live capture's filter as a function, for a reader
// that must see some frames before filtering (the sandbox's markers): it
// decodes each frame with a decoder of its own, into one reused packet (stream
// numbers and reassembly need every packet, so it must be given all of them),
// and keeps the frames f matches. It is not safe for concurrent use.
func NewFrameFilter(f *filter.Filter) FrameFilter {
	if f.IsCapture() {
		// A capture filter tests the frame's bytes: nothing to decode.
		return func(fr Frame) bool { return f.MatchFrame(fr.Data, int(fr.LinkType), fr.Info.Length) }
	}
	d := NewDecoder()
	var p Packet
	return func(fr Frame) bool {
		d.DecodeInto(fr, &p)
		return f.Match(&p)
	}
}
