package capture

import "github.com/wirelab-dev/wirelab/capture/filter"

// A filter on headers alone (tcp.port == 80 && tcp.flags.syn == 1) does not
// need what makes decoding a frame cost: TCP's conversation table, sequence
// analysis and the application protocols above it are four fifths of the
// decoder's time on an HTTP capture. The protocol table marks the protocols
// whose fields a frame's headers give (header) and, among their fields, those
// that need the conversation after all (conv: tcp.stream, tcp.seq ...);
// TestHeadersOnlyAgrees decodes the corpus both ways and checks every other
// field of them reads the same.

// HeadersSuffice reports whether f reads only fields a Decoder with
// HeadersOnly decodes as a full Decoder does, so that it matches the same
// frames either way. A capture filter tests the frame's bytes: it always does.
func HeadersSuffice(f *filter.Filter) bool {
	if f == nil || f.IsCapture() {
		return true
	}
	return FieldsSuffice(f.Fields())
}

// FieldsSuffice reports whether every field of fields reads the same from a
// Decoder with HeadersOnly as from a full one.
func FieldsSuffice(fields []*filter.Field) bool {
	for _, f := range fields {
		if f == nil || uint(f.ID) >= uint(len(table.fields)) || table.fields[f.ID].name != f.Name || !table.fields[f.ID].alone {
			return false
		}
	}
	return true
}

// conv marks every field of fields conv.
func conv(fields []field) []field {
	for i := range fields {
		fields[i].conv = true
	}
	return fields
}
