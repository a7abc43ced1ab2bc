package capture

import "io"

// ReadFiltered reads a pcap or pcapng file as ReadFile does, but decodes only
// the frames keep accepts (all when keep is nil): the others are dropped
// before they are numbered, as a live capture with that filter drops them, so
// frame.number, tcp.stream and relative sequence numbers count only the kept
// frames. total is the number of frames read. On a damaged file it returns
// the packets before the damage and a *ReadError.
func ReadFiltered(path string, keep FrameFilter) (pkts []*Packet, total int, err error) {
	src, err := OpenFile(path)
	if err != nil {
		return nil, 0, err
	}
	defer src.Close()
	d := NewDecoder()
	for {
		fr, err := src.Next()
		if err == io.EOF {
			return pkts, total, nil
		}
		if err != nil {
			return pkts, total, err
		}
		total++
		if keep != nil && !keep(fr) {
			continue
		}
		pkts = append(pkts, d.Decode(fr))
	}
}
