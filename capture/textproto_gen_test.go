package capture

import (
	"path/filepath"
	"testing"
)

// dialogue is a scripted TCP conversation: the client's and the server's
// payloads in order, framed by a handshake and a close.
type dialogue []struct {
	client bool
	text   string
}

// dialogueFrames frames a dialogue between client port cp and server port sp.
func dialogueFrames(t testing.TB, cp, sp uint16, d dialogue) []genFrame {
	segs := []tcpSeg{{fromA: true, flags: "S", opts: synOpts}, {flags: "SA", ack: 1, opts: synOpts}, {fromA: true, flags: "A", seq: 1, ack: 1}}
	var a, b uint32 = 1, 1
	for _, m := range d {
		if m.client {
			segs = append(segs, tcpSeg{fromA: true, flags: "PA", seq: a, ack: b, payload: m.text})
			a += uint32(len(m.text))
		} else {
			segs = append(segs, tcpSeg{flags: "PA", seq: b, ack: a, payload: m.text})
			b += uint32(len(m.text))
		}
	}
	segs = append(segs, tcpSeg{fromA: true, flags: "FA", seq: a, ack: b}, tcpSeg{flags: "FA", seq: b, ack: a + 1}, tcpSeg{fromA: true, flags: "A", seq: a + 1, ack: b + 1})
	return tcpConv(t, cp, sp, 1000, 2000, false, segs)
}

// writeDialogue writes a dialogue as a pcap in dir and returns its path.
func writeDialogue(t testing.TB, dir, name string, cp, sp uint16, d dialogue) string {
	path := filepath.Join(dir, name+".pcap")
	writePcap(t, path, 1, dialogueFrames(t, cp, sp, d))
	return path
}
