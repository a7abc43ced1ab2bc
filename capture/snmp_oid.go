package capture

import "strconv"

// Object identifiers as Wireshark reads and prints them (epan/oids.c): the
// sub-identifiers of BER contents, dotted numbers, and the names the Info
// column gives an OID.

// oidSubids decodes BER object identifier contents into dst as Wireshark
// does: the first byte group gives two arcs (X*40+Y, X at most 2); bytes
// after the last complete group are ignored; contents with no complete group
// are the single arc 0. A group of more than 32 bits makes the OID invalid
// (ok false).
func oidSubids(b []byte, dst []uint32) (ids []uint32, ok bool) {
	ids = dst[:0]
	complete := false
	for _, c := range b {
		if c&0x80 == 0 {
			complete = true
			break
		}
	}
	if !complete {
		return append(ids, 0), true
	}
	var sub uint64 // wraps as Wireshark's 64-bit accumulator does
	first := true
	for _, c := range b {
		sub = sub<<7 | uint64(c&0x7f)
		if c&0x80 != 0 {
			continue
		}
		if first {
			var arc0 uint32
			for i := 0; i < 2 && sub >= 40; i++ {
				arc0++
				sub -= 40
			}
			ids = append(ids, arc0)
			first = false
		}
		if sub > 0xffffffff {
			return dst[:0], false
		}
		ids = append(ids, uint32(sub))
		sub = 0
	}
	return ids, true
}

// appendSubids appends arcs dotted: 1.3.6.1.
func appendSubids(b []byte, ids []uint32) []byte {
	for i, id := range ids {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(id), 10)
	}
	return b
}

// appendOID appends the dotted form of BER contents, as tshark prints an
// FT_OID field; nothing for an invalid OID.
func appendOID(b, contents []byte) []byte {
	var buf [32]uint32
	ids, ok := oidSubids(contents, buf[:0])
	if !ok {
		return b
	}
	return appendSubids(b, ids)
}

// oidRootNames are the three arcs under Wireshark's OID root.
var oidRootNames = [3]string{"itu-t", "iso", "joint-iso-itu-t"}

// oidNodes holds every node of Wireshark's OID tree that wirelab knows:
// each prefix of a named OID, and the second-level nodes other dissectors
// register outside 1.3.6.1 (so that an OID there, such as 1.2.840...,
// stops at an unnamed node and prints as numbers, as it mostly does in
// tshark). Names are oidNames' and the root's.
var oidNodes = func() map[string]bool {
	m := map[string]bool{"0": true, "1": true, "2": true}
	for _, s := range []string{"0.0", "0.2", "0.4", "0.9", "0.34", "1.0", "1.2", "1.3", "2.1", "2.2", "2.5", "2.6", "2.9", "2.16", "2.23"} {
		m[s] = true
	}
	for k := range oidNames {
		for i := 0; i < len(k); i++ {
			if k[i] == '.' {
				m[k[:i]] = true
			}
		}
		m[k] = true
	}
	return m
}()

// oidName is the name of a node, "" for an unnamed one.
func oidName(path string, ids []uint32) string {
	if len(ids) == 1 && ids[0] <= 2 {
		return oidRootNames[ids[0]]
	}
	return oidNames[path]
}

// oidDeepest walks the OID tree along ids (Wireshark's oid_get): it returns
// how many arcs lead to existing nodes and the name of the last one.
func oidDeepest(ids []uint32) (matched int, name string) {
	if len(ids) == 0 || ids[0] > 2 {
		return 0, ""
	}
	var path []byte
	for i, id := range ids {
		if i > 0 {
			path = append(path, '.')
		}
		path = strconv.AppendUint(path, uint64(id), 10)
		if !oidNodes[string(path)] {
			break
		}
		matched = i + 1
		name = oidName(string(path), ids[:i+1])
	}
	return matched, name
}

// oidInfoName is how SNMP's Info column names a variable binding's OID:
// the deepest known node's name and the arcs after it (id-kp-serverAuth.5),
// or every arc dotted when that node has no name.
func oidInfoName(b []byte, ids []uint32) []byte {
	matched, name := oidDeepest(ids)
	if name == "" {
		return appendSubids(b, ids)
	}
	b = append(b, name...)
	if matched < len(ids) {
		b = append(b, '.')
		b = appendSubids(b, ids[matched:])
	}
	return b
}

// oidResolved is Wireshark's oid_resolved, which names a v1 trap's
// enterprise in Info: the nearest named node on the path (at worst iso or
// another root arc) and the arcs after it.
func oidResolved(b []byte, ids []uint32) []byte {
	if len(ids) == 0 || ids[0] > 2 {
		return append(b, "*** Malformed OID ***"...)
	}
	matched, _ := oidDeepest(ids)
	var path []byte
	name, at := "", 0
	for i := 0; i < matched; i++ {
		if i > 0 {
			path = append(path, '.')
		}
		path = strconv.AppendUint(path, uint64(ids[i]), 10)
		if n := oidName(string(path), ids[:i+1]); n != "" {
			name, at = n, i+1
		}
	}
	if name == "" {
		return appendSubids(b, ids)
	}
	b = append(b, name...)
	if at < len(ids) {
		b = append(b, '.')
		b = appendSubids(b, ids[at:])
	}
	return b
}
