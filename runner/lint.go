package runner

import (
	"strings"

	"github.com/wirelab-dev/wirelab/capture"
)

// Warning is something `wirelab check` points out in a lab that loads: not an
// error (the lab runs), but a way a check may be fooled or give marks for
// nothing.
type Warning struct {
	Pos Pos
	Msg string
}

func (w Warning) String() string { return w.Pos.String() + ": warning: " + w.Msg }

// endpointFields pin a packet's source or destination host: a filter with
// none of them matches the packet whoever sent it to whom, so a submission
// can send it itself (a "200 response" from the client to the server, or to
// a server it runs on its own address). Ports alone do not pin a host.
var endpointFields = map[string]bool{
	"ip.src": true, "ip.dst": true, "ipv6.src": true, "ipv6.dst": true,
	"ip.src_host": true, "ip.dst_host": true, "ipv6.src_host": true, "ipv6.dst_host": true,
	"eth.src": true, "eth.dst": true, "arp.src.proto_ipv4": true, "arp.dst.proto_ipv4": true,
}

// Lint returns the warnings about a loaded lab, in file order:
//
//   - in a lab with more than one host, a packet check, or a sequence step,
//     whose filter pins neither the source nor the destination address (in a
//     condition joined with &&);
//   - a none check, or an exit: ok check worth points, without requires: an
//     empty submission sends nothing and ends without an error, so it passes
//     and earns the check's points;
//   - a check whose filter needs a protocol the capture filter never keeps
//     (vacuous.go): a none check that passes whatever is sent, a packet
//     check or sequence step that can never be met;
//   - an exit: value that misspells an ending, or processes in a lab that
//     takes Lua alone.
func Lint(lab *Lab) []Warning {
	var out []Warning
	lt := &linting{lab: lab, keep: newKeeper(lab)}
	for i := range lab.Checks {
		c := &lab.Checks[i]
		if k, ok := checkKinds.kind(c.Kind); ok && k.lint != nil {
			for _, msg := range k.lint(lt, c) {
				out = append(out, Warning{c.Pos, msg})
			}
		}
	}
	return out
}

// linting is what a check kind's lint reads: the lab, and what its capture
// filter keeps.
type linting struct {
	lab  *Lab
	keep *keeper // nil when the lab captures everything
}

// pinsEndpoint reports whether one of the filter's &&-joined conditions uses
// a field that names a host.
func pinsEndpoint(expr string) bool {
	f, err := capture.Compile(expr)
	if err != nil {
		return true // the loader reported it
	}
	for _, t := range f.Terms() {
		if strings.Contains(t.Expr(), "||") {
			continue // one side may leave the host open
		}
		for _, fld := range t.Fields() {
			if endpointFields[fld.Name] {
				return true
			}
		}
	}
	return false
}
