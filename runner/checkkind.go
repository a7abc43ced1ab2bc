package runner

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// checkKind is one kind of check, defined in its own file (check_NAME.go):
// the key that holds its subject (its name), the other keys it owns, how it
// decodes and validates them (with positions), what it checks across the lab
// once the file is decoded, how it is evaluated, and its points rule. The
// loader and the evaluator know kinds only through checkKinds.
type checkKind struct {
	name string
	keys []string // the kind's own keys beside its name: packet's count, min, max
	// decode decodes one of the kind's keys (its name or one of keys) into c.
	decode func(d *decoder, c *Check, e yamlx.Entry, what string)
	// finish checks what spans several keys, once all are decoded; may be nil.
	finish func(d *decoder, c *Check, n *yaml.Node, what string)
	// compile runs after the whole lab is decoded; may be nil.
	compile func(d *decoder, c *Check)
	// watch, when the kind looks at packets, returns what watches the
	// capture's one pass for check c, before eval; may be nil.
	watch func(ev *evaluation, c *Check) frameVisitor
	// eval sets cr's status and message (and evidence).
	eval func(ev *evaluation, c *Check, cr *result.CheckResult)
	// lint returns what `wirelab check` warns about in such a check; may be nil.
	lint func(lt *linting, c *Check) []string
	// ownPoints: eval sets cr.Points itself (a lua check may give part of its
	// points, even when it fails). Otherwise a pass earns the check's points
	// and anything else none.
	ownPoints bool
}

// kindRegistry holds the check kinds in the order the docs present them.
type kindRegistry struct {
	order []*checkKind
	byKey map[string]*checkKind // a kind's name and its own keys → the kind
}

// register adds k. A name or key another kind (or the common keys) has is an
// error: each key belongs to one kind.
func (r *kindRegistry) register(k *checkKind) error {
	if r.byKey == nil {
		r.byKey = map[string]*checkKind{}
	}
	for _, key := range append([]string{k.name}, k.keys...) {
		if prev, dup := r.byKey[key]; dup {
			return fmt.Errorf("check kind %q: key %q is already the %s kind's", k.name, key, prev.name)
		}
		for _, c := range commonCheckKeys {
			if key == c {
				return fmt.Errorf("check kind %q: key %q is common to every check", k.name, key)
			}
		}
	}
	if k.decode == nil || k.eval == nil {
		return fmt.Errorf("check kind %q: decode and eval are required", k.name)
	}
	for _, key := range append([]string{k.name}, k.keys...) {
		r.byKey[key] = k
	}
	r.order = append(r.order, k)
	return nil
}

// kind returns the kind named name.
func (r *kindRegistry) kind(name string) (*checkKind, bool) {
	k, ok := r.byKey[name]
	return k, ok && k.name == name
}

// names lists the kinds' names, in order.
func (r *kindRegistry) names() []string {
	out := make([]string, len(r.order))
	for i, k := range r.order {
		out[i] = k.name
	}
	return out
}

// keys lists every key a check may hold: the common ones, then each kind's
// name and own keys.
func (r *kindRegistry) keys() []string {
	out := append([]string(nil), commonCheckKeys...)
	for _, k := range r.order {
		out = append(out, k.name)
	}
	for _, k := range r.order {
		out = append(out, k.keys...)
	}
	return out
}

// commonCheckKeys are the keys every check may hold, whatever its kind.
var commonCheckKeys = []string{"name", "points", "hint", "visibility", "requires"}

// checkKinds is the registry: this list is the one place a kind is named.
var checkKinds = func() *kindRegistry {
	r := &kindRegistry{}
	for _, k := range []*checkKind{&packetKind, &noneKind, &sequenceKind, &outputKind, &exitKind, &luaKind} {
		if err := r.register(k); err != nil {
			panic(err)
		}
	}
	return r
}()

// CheckKinds lists the check kinds in the order the docs present them.
var CheckKinds = checkKinds.names()
