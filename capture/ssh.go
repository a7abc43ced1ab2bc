package capture

import (
	"bytes"
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// SSH (TCP port 22): the version banner each side sends first, then the binary
// packets of the key exchange in clear, then encrypted packets (after a side's
// New Keys message).
var sshProto = protocol{
	name: "ssh", title: "SSH", desc: "Secure Shell", example: "ssh",
	strEnc:   encASCII,
	tcpPorts: []uint16{22, 29418},
	decode: func(d *Decoder, p *Packet, s *segment) verdict {
		if !s.byPort {
			return rejected
		}
		s.takeApp(p)
		if s.dir != nil && !bytes.HasPrefix(s.payload, []byte("SSH-")) {
			if s.dir.state == 0 {
				s.dir.state = sshClear
			}
			if s.dir.state == sshClear && sshCode(&p.app) == 21 {
				s.dir.state = sshEncrypted // New Keys: what follows is encrypted
			}
		}
		return taken
	},
	info: func(p *Packet) (string, string) {
		a := &p.app
		side := "Server: "
		if a.req {
			side = "Client: "
		}
		if bytes.HasPrefix(a.payload, []byte("SSH-")) {
			return "SSH", side + "Protocol (" + string(firstLine(a.payload)) + ")"
		}
		if a.state == sshEncrypted {
			return "SSHv2", side + "Encrypted packet (len=" + strconv.Itoa(len(a.payload)) + ")"
		}
		switch sshCode(a) {
		case 20:
			return "SSHv2", side + "Key Exchange Init"
		case 21:
			return "SSHv2", side + "New Keys"
		}
		return "SSHv2", side
	},
	fields: []field{
		{name: "ssh.protocol", typ: filter.String, desc: "Version banner: SSH-2.0-software", example: `ssh.protocol contains "OpenSSH"`,
			get: appText(func(a *appInfo) []byte {
				if bytes.HasPrefix(a.payload, []byte("SSH-")) {
					return firstLine(a.payload)
				}
				return nil
			})},
		{name: "ssh.direction", typ: filter.Bool, desc: "The banner is the server's (1) or the client's (0)", example: "ssh.direction == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if !bytes.HasPrefix(p.app.payload, []byte("SSH-")) {
					return dst
				}
				if p.app.req {
					return u(dst, 0)
				}
				return u(dst, 1)
			}},
		{name: "ssh.packet_length", typ: filter.Uint, bits: 32, desc: "Length of a binary packet in clear", example: "ssh.packet_length > 1000",
			get: sshClearValue(func(b []byte) uint64 { return uint64(be32(b)) })},
		{name: "ssh.padding_length", typ: filter.Uint, bits: 8, desc: "Padding length of a binary packet in clear", example: "ssh.padding_length == 4",
			get: sshClearValue(func(b []byte) uint64 { return uint64(b[4]) })},
		{name: "ssh.message_code", typ: filter.Uint, bits: 8, named: true, desc: "Message code of a packet in clear: 20 key exchange init, 21 new keys", example: "ssh.message_code == 20",
			get: sshClearValue(func(b []byte) uint64 { return uint64(b[5]) })},
	},
}

const (
	sshClear     = 1 // after the banner, before New Keys
	sshEncrypted = 2
)

// sshCode is a clear binary packet's message code, or -1.
func sshCode(a *appInfo) int {
	if a.state == sshEncrypted || len(a.payload) < 6 || bytes.HasPrefix(a.payload, []byte("SSH-")) {
		return -1
	}
	return int(a.payload[5])
}

func sshClearValue(v func(b []byte) uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if sshCode(&p.app) < 0 {
			return dst
		}
		return u(dst, v(p.app.payload))
	}
}
