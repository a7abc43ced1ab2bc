package service

import (
	"context"
	"net/netip"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
)

// Kind is one service kind: the YAML keys it takes beside name, kind and
// listen, how the loader decodes and checks them, how a Spec built in Go is
// validated, and how the service starts. Each kind is one file of this
// package holding one Kind value, listed in kinds.
type Kind struct {
	Name    string
	Options []Option
	// Client says the kind may be a lab-side client of the submission: it
	// takes connect (and from) instead of listen.
	Client bool
	// UDP says the kind serves datagrams (its listen address is a UDP
	// port); otherwise TCP, unless the entry says `protocol:` (lua).
	UDP bool
	// Finish checks rules across an entry's keys once each is decoded (an
	// option the kind needs, with how to add it); has reports whether the
	// entry wrote a key. Nil: no such rules.
	Finish func(d *Decoder, n *yaml.Node, what string, sp *Spec, has func(key string) bool)

	validate func(spec Spec) []error
	start    func(ctx context.Context, spec Spec, env *Env, listen netip.AddrPort) (Service, error)
}

// Option is one YAML key a kind owns.
type Option struct {
	Key string
	// Decode decodes the key's value n into sp, reporting what is wrong at n;
	// what names the service in messages (`service "web"`).
	Decode func(d *Decoder, n *yaml.Node, what string, sp *Spec)
	// set reports whether a Spec carries the option (Validate's check that a
	// Spec built in Go uses only its kind's options).
	set func(Spec) bool
}

// Decoder is what a kind's options are decoded with: the loader's YAML
// decoder and the checks only the loader can make, because they need the
// lab's folder.
type Decoder struct {
	*yamlx.Decoder
	// LabPath resolves a file named in the lab against the lab's folder,
	// refusing paths that leave it and files that do not exist.
	LabPath func(n *yaml.Node, what string) (string, bool)
	// LuaScript reports at n when the lab's Lua file path (written name) does
	// not compile.
	LuaScript func(n *yaml.Node, what, name, path string)
}

// clientKeys are the keys of a client service (a Kind with Client set), which
// the loader decodes itself: they name the lab's hosts.
var clientKeys = []string{"connect", "from"}

// kinds is the registry of service kinds, in the order the docs present them.
var kinds = []*Kind{&httpKind, &tcpEchoKind, &udpEchoKind, &bannerKind, &luaKind, &replayKind}

// Lookup returns the kind named name.
func Lookup(name string) (*Kind, bool) {
	for _, k := range kinds {
		if k.Name == name {
			return k, true
		}
	}
	return nil, false
}

// Transport is the transport a service entry's listen address is on: "udp"
// or "tcp".
func Transport(spec Spec) string {
	if k, ok := Lookup(spec.Kind); (ok && k.UDP) || spec.Protocol == "udp" {
		return "udp"
	}
	return "tcp"
}

// Kinds returns the names of the service kinds, in the order the docs present
// them.
func Kinds() []string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.Name
	}
	return names
}

// OptionKeys returns every key some kind owns, clientKeys included, without
// repeats: with name, kind and listen they are the keys of a service entry.
func OptionKeys() []string {
	var keys []string
	for _, k := range kinds {
		for _, key := range k.Keys() {
			if !slices.Contains(keys, key) {
				keys = append(keys, key)
			}
		}
	}
	return keys
}

// Keys returns the keys the kind takes beside name, kind and listen.
func (k *Kind) Keys() []string {
	var keys []string
	for _, o := range k.Options {
		keys = append(keys, o.Key)
	}
	if k.Client {
		keys = append(keys, clientKeys...)
	}
	return keys
}

// Option returns the kind's option key.
func (k *Kind) Option(key string) (Option, bool) {
	for _, o := range k.Options {
		if o.Key == key {
			return o, true
		}
	}
	return Option{}, false
}

// decodeStr decodes an option whose value is a string into the field field
// returns.
func decodeStr(key string, field func(sp *Spec) *string) func(d *Decoder, n *yaml.Node, what string, sp *Spec) {
	return func(d *Decoder, n *yaml.Node, what string, sp *Spec) {
		*field(sp), _ = d.Str(n, what+" "+key)
	}
}
