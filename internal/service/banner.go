package service

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"

	"go.yaml.in/yaml/v3"
)

// bannerKind is a line-based server (FTP, SMTP, POP3): a banner on connect,
// then each line answered from a dialog.
var bannerKind = Kind{
	Name: "banner",
	Options: []Option{
		{Key: "banner", Decode: decodeStr("banner", func(sp *Spec) *string { return &sp.Banner }), set: func(s Spec) bool { return s.Banner != "" }},
		{Key: "dialog", Decode: decodeDialog, set: func(s Spec) bool { return len(s.Dialog) > 0 }},
		{Key: "unknown", Decode: decodeStr("unknown", func(sp *Spec) *string { return &sp.Unknown }), set: func(s Spec) bool { return s.Unknown != "" }},
	},
	validate: validateBanner,
	start:    startBanner,
}

// decodeDialog decodes `dialog:`, a list of {expect, send}.
func decodeDialog(d *Decoder, n *yaml.Node, what string, sp *Spec) {
	if n = d.Optional(n, yaml.SequenceNode, what+": dialog must be a list of {expect, send}"); n == nil {
		return
	}
	for i, sn := range n.Content {
		sw := fmt.Sprintf("%s dialog step %d", what, i+1)
		var st DialogStep
		for _, e := range d.Mapping(sn, sw, []string{"expect", "send"}) {
			switch e.Key {
			case "expect":
				st.Expect, _ = d.Str(e.V, sw+" expect")
			case "send":
				st.Send, _ = d.Str(e.V, sw+" send")
			}
		}
		sp.Dialog = append(sp.Dialog, st)
	}
}

func validateBanner(spec Spec) []error {
	var errs []error
	if spec.Banner == "" && len(spec.Dialog) == 0 {
		errs = append(errs, errors.New("a banner service needs a banner or a dialog"))
	}
	for i, st := range spec.Dialog {
		if st.Expect == "" {
			errs = append(errs, fmt.Errorf("dialog step %d: expect is empty (it would match every line)", i+1))
		}
	}
	return errs
}

// withCRLF ends a line the way line protocols (FTP, SMTP, POP3) expect, unless
// the lab already ended it.
func withCRLF(s string) string {
	if s == "" || strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\r\n"
}

// maxLine bounds a line a client may send to a banner service.
const maxLine = 64 << 10

func startBanner(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	ln, err := listenTCP(ap)
	if err != nil {
		return nil, err
	}
	return serveTCP(ctx, ln, env, func(ctx context.Context, c net.Conn) {
		env.log(spec.Name, "connection from %s", c.RemoteAddr())
		if spec.Banner != "" {
			if _, err := c.Write([]byte(withCRLF(spec.Banner))); err != nil {
				return
			}
		}
		r := bufio.NewReaderSize(c, 4096)
		for {
			line, err := readLine(r)
			if line != "" {
				reply := spec.Unknown
				for _, st := range spec.Dialog {
					if strings.Contains(line, st.Expect) {
						reply = st.Send
						break
					}
				}
				env.log(spec.Name, "%q -> %q", line, reply)
				if reply != "" {
					if _, werr := c.Write([]byte(withCRLF(reply))); werr != nil {
						return
					}
				}
			}
			if err != nil {
				return
			}
		}
	}), nil
}

// readLine reads up to and including '\n' (or what is left at EOF), at most
// maxLine bytes; the line is returned without its line ending.
func readLine(r *bufio.Reader) (string, error) {
	var sb strings.Builder
	for {
		frag, err := r.ReadSlice('\n')
		if sb.Len()+len(frag) <= maxLine {
			sb.Write(frag)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return strings.TrimRight(sb.String(), "\r\n"), err
	}
}
