package runner

import (
	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// readCapture reads and decodes a capture file. With a capture filter (the
// lab's), it keeps only the frames the filter lets through, dropped before
// they are numbered: frame.number, tcp.stream and the streams' relative
// sequence numbers count what a live run with that filter would have
// captured, so a recorded capture is graded as the live run of the same
// exchange is. total is the number of frames in the file.
func readCapture(path string, match *filter.Filter) ([]*capture.Packet, int, error) {
	var keep capture.FrameFilter
	if match != nil {
		keep = capture.NewFrameFilter(match.Clone())
	}
	return capture.ReadFiltered(path, keep)
}
