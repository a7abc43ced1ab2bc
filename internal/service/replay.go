package service

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/capture"
)

// replayKind serves the server's side of a TCP conversation from a recorded
// capture.
var replayKind = Kind{
	Name: "replay",
	Options: []Option{
		{Key: "capture", Decode: decodeCapture, set: func(s Spec) bool { return s.Capture != "" }},
		{Key: "stream", Decode: decodeStream, set: func(s Spec) bool { return s.Stream != 0 }},
	},
	Finish:   finishReplay,
	validate: validateReplay,
	start:    startReplay,
}

func decodeCapture(d *Decoder, n *yaml.Node, what string, sp *Spec) {
	if p, ok := d.LabPath(n, what+" capture"); ok {
		sp.Capture = p
	}
}

func decodeStream(d *Decoder, n *yaml.Node, what string, sp *Spec) {
	if v, ok := d.Integer(n, what+" stream", 0, 1<<30); ok {
		sp.Stream = int(v)
	}
}

// finishReplay asks for the capture a replay service serves, and reads the
// conversation from it as the service will, so that `check` says what would
// otherwise stop the run (no such stream, a capture that does not read, a
// conversation too big), at the stream's line.
func finishReplay(d *Decoder, n *yaml.Node, what string, sp *Spec, has func(string) bool) {
	if !has("capture") {
		d.Errorf(n, "%s: a replay service needs `capture: FILE` (a pcap or pcapng in the lab's folder)", what)
		return
	}
	if sp.Capture == "" {
		return // its error is said already
	}
	if _, err := loadConversation(sp.Capture, sp.Stream); err != nil {
		at := n
		if v := mappingValue(n, "stream"); v != nil {
			at = v
		} else if v := mappingValue(n, "capture"); v != nil {
			at = v
		}
		d.Errorf(at, "%s: %v", what, err)
	}
}

// mappingValue returns the value of key in the mapping n, or nil.
func mappingValue(n *yaml.Node, key string) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.MappingNode && i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func validateReplay(spec Spec) []error {
	var errs []error
	if spec.Capture == "" {
		errs = append(errs, errors.New("a replay service needs a capture (pcap or pcapng in the lab's folder)"))
	}
	if spec.Stream < 0 {
		errs = append(errs, fmt.Errorf("stream %d is negative; tcp.stream numbers start at 0", spec.Stream))
	}
	return errs
}

// turn is what one side said before the other answered.
type turn struct {
	server bool
	data   []byte
}

// conversation is the recorded TCP conversation a replay service serves.
type conversation struct {
	turns       []turn
	serverFirst bool // the server closed first (HTTP/1.0, a banner that hangs up)
}

func first(p *capture.Packet, name string) string {
	if s := p.Strings(name); len(s) > 0 {
		return s[0]
	}
	return ""
}

func endpoint(p *capture.Packet) string {
	addr := first(p, "ip.src")
	if addr == "" {
		addr = first(p, "ipv6.src")
	}
	return addr + "|" + first(p, "tcp.srcport")
}

// maxReplayData bounds the payload a replay service keeps of its
// conversation: a capture is read a frame at a time, keeping only the
// stream's packets, so a capture of a million packets costs the worker only
// the conversation it serves; a conversation above this is the lab's mistake,
// said as such (it used to end as the script running out of memory).
const maxReplayData = 16 << 20

// loadConversation reads stream from the capture at path.
func loadConversation(path string, stream int) (*conversation, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readConversation(f, filepath.Base(path), stream)
}

// readConversation reads stream from the capture r (named name in errors).
func readConversation(r io.Reader, name string, stream int) (*conversation, error) {
	src, err := capture.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("capture %q: %w", name, err)
	}
	want := strconv.Itoa(stream)
	var mine []*capture.Packet
	var size int
	dec := capture.NewDecoder()
	for {
		fr, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("capture %q: %w", name, err)
		}
		p := dec.Decode(fr)
		if first(p, "tcp.stream") != want {
			continue
		}
		if size += len(fr.Data); size > maxReplayData {
			return nil, fmt.Errorf("capture %q: tcp.stream %d holds more than %d MiB: a replay serves one recorded conversation; cut the capture to it (tshark -r IN -Y 'tcp.stream == %d' -w OUT)", name, stream, maxReplayData>>20, stream)
		}
		mine = append(mine, p)
	}
	if len(mine) == 0 {
		return nil, fmt.Errorf("capture %q has no tcp.stream %d", name, stream)
	}
	// The server is the side the first SYN went to; without a handshake in the
	// capture, the side with the lower port.
	var server string
	for _, p := range mine {
		if first(p, "tcp.flags.syn") == "1" && first(p, "tcp.flags.ack") == "0" {
			server = first(p, "ip.dst") + first(p, "ipv6.dst") + "|" + first(p, "tcp.dstport")
			break
		}
	}
	if server == "" {
		a, _ := strconv.Atoi(first(mine[0], "tcp.srcport"))
		b, _ := strconv.Atoi(first(mine[0], "tcp.dstport"))
		server = endpoint(mine[0])
		if b < a {
			server = first(mine[0], "ip.dst") + first(mine[0], "ipv6.dst") + "|" + first(mine[0], "tcp.dstport")
		}
	}
	c := &conversation{}
	seen := map[string]bool{}
	finSeen := false
	for _, p := range mine {
		isServer := endpoint(p) == server
		if first(p, "tcp.flags.fin") == "1" && !finSeen {
			finSeen = true
			c.serverFirst = isServer
		}
		payload := first(p, "tcp.payload")
		if payload == "" {
			continue
		}
		// A retransmission repeats a segment's sequence number: serve it once.
		key := fmt.Sprintf("%v|%s", isServer, first(p, "tcp.seq_raw"))
		if seen[key] {
			continue
		}
		seen[key] = true
		data, err := hex.DecodeString(payload)
		if err != nil {
			continue
		}
		if n := len(c.turns); n > 0 && c.turns[n-1].server == isServer {
			c.turns[n-1].data = append(c.turns[n-1].data, data...)
		} else {
			c.turns = append(c.turns, turn{server: isServer, data: data})
		}
	}
	if len(c.turns) == 0 {
		return nil, fmt.Errorf("tcp.stream %d of capture %q carries no data", stream, name)
	}
	return c, nil
}

// terminator is how a recorded client turn ends, when it ends a line or an
// HTTP header block: a live client's turn may differ in length (another Host
// header, another User-Agent) but ends the same way.
func terminator(b []byte) []byte {
	for _, t := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n"), []byte("\r\n"), []byte("\n")} {
		if bytes.HasSuffix(b, t) {
			return t
		}
	}
	return nil
}

func startReplay(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	path := spec.Capture
	if !filepath.IsAbs(path) {
		path = filepath.Join(env.LabDir, path)
	}
	conv, err := loadConversation(path, spec.Stream)
	if err != nil {
		return nil, err
	}
	ln, err := listenTCP(ap)
	if err != nil {
		return nil, err
	}
	return serveTCP(ctx, ln, env, func(ctx context.Context, c net.Conn) {
		env.log(spec.Name, "connection from %s", c.RemoteAddr())
		var pending []byte // bytes the client sent beyond the turn they answered
		buf := make([]byte, 32<<10)
		for i, t := range conv.turns {
			if t.server {
				if _, err := c.Write(t.data); err != nil {
					return
				}
				continue
			}
			term := terminator(t.data)
			for {
				if len(pending) >= len(t.data) {
					pending = pending[len(t.data):]
					break
				}
				if term != nil {
					if j := bytes.Index(pending, term); j >= 0 {
						pending = pending[j+len(term):]
						break
					}
				}
				n, err := c.Read(buf)
				pending = append(pending, buf[:n]...)
				if err != nil {
					env.log(spec.Name, "client left before turn %d of %d", i+1, len(conv.turns))
					return
				}
			}
		}
		if conv.serverFirst {
			return // closing the connection, as the recorded server did
		}
		io.Copy(io.Discard, c)
	}), nil
}

// openRegular opens a file of the lab, refusing before the open one that is
// not a regular file: opening a FIFO blocks until a writer comes, and reading
// a device may never end, which hung the run. Errors name the file by its
// base name, not the grader's path to it.
func openRegular(p string) (*os.File, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(p), errors.Unwrap(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file (%v): a lab's files must be regular files", filepath.Base(p), st.Mode().Type())
	}
	return os.Open(p)
}

// readRegular reads a lab file opened with openRegular.
func readRegular(p string) ([]byte, error) {
	f, err := openRegular(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
