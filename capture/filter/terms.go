package filter

// Terms splits the filter into the conditions that must all hold: the operands
// of its top-level && chain, each a Filter of its own that shares f's compiled
// form. A filter that is not a conjunction is one term. Reports use them to say
// which conditions of a filter a record meets and which it fails ("frame 5 has
// tcp.srcport == 80 but not tcp.flags.ack == 1").
//
// Each term has its own scratch buffers, like a Clone: terms may be used on
// another goroutine than f, one goroutine per term.
func (f *Filter) Terms() []*Filter {
	var nodes []node
	var walk func(n node)
	walk = func(n node) {
		if a, ok := n.(*andNode); ok {
			walk(a.a)
			walk(a.b)
			return
		}
		nodes = append(nodes, n)
	}
	walk(f.root)
	out := make([]*Filter, len(nodes))
	for i, n := range nodes {
		t := &Filter{root: n, nslot: f.nslot, bufs: make([][]Value, f.nslot), bytes: make([][]byte, f.nslot)}
		t.fields = nodeFields(n, nil)
		t.text = t.String()
		out[i] = t
	}
	return out
}

// nodeFields appends the fields n references, each once, in order of first use.
func nodeFields(n node, out []*Field) []*Field {
	add := func(o *operand) {
		for _, f := range out {
			if f == o.field {
				return
			}
		}
		out = append(out, o.field)
	}
	switch n := n.(type) {
	case *andNode:
		out = nodeFields(n.b, nodeFields(n.a, out))
	case *orNode:
		out = nodeFields(n.b, nodeFields(n.a, out))
	case *xorNode:
		out = nodeFields(n.b, nodeFields(n.a, out))
	case *notNode:
		out = nodeFields(n.a, out)
	case *presentNode:
		add(n.o)
	case *cmpNode:
		add(n.o)
	case *pairNode:
		add(n.a)
		add(n.b)
	}
	return out
}

// Required lists the fields the filter cannot match without, each once: the
// fields a test of its top-level && chain reads (a presence test, or a
// comparison, which Wireshark's semantics make false when the field is
// absent). A field read only under ||, ^^ or ! is left out: the filter may
// match without it. A capture filter requires nothing.
func (f *Filter) Required() []*Field {
	var out []*Field
	var walk func(n node)
	walk = func(n node) {
		switch n := n.(type) {
		case *andNode:
			walk(n.a)
			walk(n.b)
		case *presentNode, *cmpNode, *pairNode:
			out = nodeFields(n, out)
		}
	}
	if f.root != nil {
		walk(f.root)
	}
	return out
}
