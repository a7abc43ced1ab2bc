package service

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

// FuzzReplayCapture: a replay service's capture is the lab author's file, but
// no file may crash the worker, and a conversation is served as recorded.
//
// The input is a conversation, not a file: the harness records it as a
// pcapng (a handshake, the client's and server's segments in order, each
// side's FIN, a retransmission), so inputs stay a few dozen bytes. Raw
// capture files as inputs (FuzzPcap and FuzzPcapng fuzz the reader) made the
// fuzzer spend each minute minimising one kilobyte-long input, quadratic in
// its length: the run stalled after a few dozen executions.
func FuzzReplayCapture(f *testing.F) {
	fuzzing.Steady(f)
	f.Add([]byte("GET / HTTP/1.0\r\n\r\n"), []byte("HTTP/1.0 200 OK\r\n\r\nhello"), []byte("\x00\x01"), uint8(0), 0)
	f.Add([]byte("USER a\r\n"), []byte("220 ready\r\n"), []byte("\x01\x00\x01"), uint8(3), 0)
	f.Add([]byte{}, []byte("banner\n"), []byte("\x01"), uint8(1), 1)
	f.Fuzz(func(t *testing.T, client, server, order []byte, flags uint8, stream int) {
		var seg [][2]any
		ci, si := 0, 0
		for _, o := range order { // which side speaks next, with up to 64 bytes
			n := int(o>>1)%64 + 1
			if o&1 == 0 && ci < len(client) {
				e := min(ci+n, len(client))
				seg = append(seg, [2]any{false, client[ci:e]})
				ci = e
			} else if si < len(server) {
				e := min(si+n, len(server))
				seg = append(seg, [2]any{true, server[si:e]})
				si = e
			}
		}
		data := recordConversation(t, seg, flags)
		conv, err := readConversation(bytes.NewReader(data), "c.pcapng", stream)
		if stream != 0 {
			if err == nil {
				t.Fatalf("stream %d of a one-stream capture loaded", stream)
			}
			return
		}
		if len(seg) == 0 {
			if err == nil {
				t.Fatal("a conversation without data loaded")
			}
			return
		}
		if err != nil {
			t.Fatalf("a recorded conversation did not load: %v", err)
		}
		var got [2][]byte
		for i, tn := range conv.turns {
			if i > 0 && conv.turns[i-1].server == tn.server {
				t.Fatal("two turns in a row from one side")
			}
			k := 0
			if tn.server {
				k = 1
			}
			got[k] = append(got[k], tn.data...)
		}
		if !bytes.Equal(got[0], client[:ci]) || !bytes.Equal(got[1], server[:si]) {
			t.Fatalf("served %q / %q, recorded %q / %q", got[0], got[1], client[:ci], server[:si])
		}
	})
}

// recordConversation writes one TCP conversation between 10.0.0.10:40000 and
// 10.0.0.80:80 as a pcapng: the handshake, seg in order (server or client,
// payload), then FINs (flags bit 0: the server closes first; bit 1: the first
// segment is sent twice, a retransmission; bit 2: no handshake).
func recordConversation(t *testing.T, seg [][2]any, flags uint8) []byte {
	var buf bytes.Buffer
	w, err := capture.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	iface, err := w.AddInterface("eth0", layers.LinkTypeEthernet, 65535)
	if err != nil {
		t.Fatal(err)
	}
	seq := [2]uint32{1000, 5000} // client, server
	n := 0
	send := func(server bool, tcpFlags byte, payload []byte) {
		s, d := 0, 1
		if server {
			s, d = 1, 0
		}
		ip := [2][4]byte{{10, 0, 0, 10}, {10, 0, 0, 80}}
		port := [2]uint16{40000, 80}
		p := make([]byte, 0, 54+len(payload))
		p = append(p, 2, 0, 0, 0, 0, byte(d+1), 2, 0, 0, 0, 0, byte(s+1), 8, 0)
		tot := 40 + len(payload)
		p = append(p, 0x45, 0, byte(tot>>8), byte(tot), 0, 1, 0x40, 0, 64, 6, 0, 0)
		p = append(p, ip[s][:]...)
		p = append(p, ip[d][:]...)
		p = binary.BigEndian.AppendUint16(p, port[s])
		p = binary.BigEndian.AppendUint16(p, port[d])
		p = binary.BigEndian.AppendUint32(p, seq[s])
		p = binary.BigEndian.AppendUint32(p, seq[d])
		p = append(p, 5<<4, tcpFlags, 0xff, 0xff, 0, 0, 0, 0)
		p = append(p, payload...)
		seq[s] += uint32(len(payload))
		if tcpFlags&0x03 != 0 { // SYN, FIN
			seq[s]++
		}
		n++
		fr := capture.Frame{Data: p, LinkType: layers.LinkTypeEthernet}
		fr.Info.Timestamp = time.Unix(1700000000, int64(n)*1000)
		fr.Info.CaptureLength, fr.Info.Length = len(p), len(p)
		if err := w.WriteFrame(iface, fr); err != nil {
			t.Fatal(err)
		}
	}
	const syn, fin, ack, psh = 0x02, 0x01, 0x10, 0x08
	if flags&4 == 0 {
		send(false, syn, nil)
		send(true, syn|ack, nil)
		send(false, ack, nil)
	}
	for i, sg := range seg {
		server, payload := sg[0].(bool), sg[1].([]byte)
		send(server, psh|ack, payload)
		if i == 0 && flags&2 != 0 {
			s := 0
			if server {
				s = 1
			}
			seq[s] -= uint32(len(payload))
			send(server, psh|ack, payload)
		}
	}
	first := flags&1 != 0
	send(first, fin|ack, nil)
	send(!first, fin|ack, nil)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzReadLine: a banner service reads whatever a client sends, line by line,
// never keeping more than maxLine bytes of one line.
func FuzzReadLine(f *testing.F) {
	fuzzing.Steady(f)
	f.Add("USER anonymous\r\nPASS x\r\n")
	f.Add(strings.Repeat("a", 70000) + "\n")
	f.Add("no newline")
	f.Fuzz(func(t *testing.T, in string) {
		r := bufio.NewReaderSize(strings.NewReader(in), 4096)
		for i := 0; i < len(in)+1; i++ {
			line, err := readLine(r)
			if len(line) > maxLine {
				t.Fatalf("line of %d bytes", len(line))
			}
			if strings.ContainsAny(line, "\n") {
				t.Fatalf("line %q holds a newline", line)
			}
			if err != nil {
				return
			}
		}
		t.Fatal("readLine did not reach the end")
	})
}

// A replay capture far bigger than a conversation is the lab's mistake, said
// as such: it used to be read whole into the worker, which ran out of memory
// and blamed the script. A capture whose conversation fits loads however many
// other packets it holds (they are read one at a time, not kept).
func TestReplayCaptureTooBig(t *testing.T) {
	chunk := bytes.Repeat([]byte("x"), 60000)
	var seg [][2]any
	for i := 0; i*len(chunk) <= maxReplayData; i++ {
		seg = append(seg, [2]any{i%2 == 1, chunk})
	}
	_, err := readConversation(bytes.NewReader(recordConversation(t, seg, 0)), "big.pcapng", 0)
	if err == nil || !strings.Contains(err.Error(), `capture "big.pcapng": tcp.stream 0 holds more than 16 MiB`) || !strings.Contains(err.Error(), "cut the capture") {
		t.Errorf("a 16 MiB conversation: %v", err)
	}
	conv, err := readConversation(bytes.NewReader(recordConversation(t, seg[:3], 0)), "ok.pcapng", 0)
	if err != nil || len(conv.turns) != 3 {
		t.Errorf("a small conversation: %v", err)
	}
}
