package cli

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

func init() { register(newPacketsCmd) }

type packetsOpts struct {
	display, capFilter string
	count              int
	format             string
	fields             []string
	options            []string
	countOnly          bool
}

func newPacketsCmd() *cobra.Command {
	var o packetsOpts
	c := &cobra.Command{
		Use:   "packets FILE",
		Short: "Print the packets of a capture, as tshark does, optionally filtered",
		Long: `packets reads a pcap or pcapng capture and prints its packets in tshark's
default one-line layout, or the values of chosen fields, or every decoded field
as JSON. Display filters (-Y) use Wireshark's language and field names; capture
filters (-f) use the pcap-filter syntax of tcpdump. The field reference is
docs/filters.md.`,
		Example: `  wirelab packets http-get.pcap -Y 'http.response.code == 200'
  wirelab packets http-get.pcap -T fields -e tcp.stream -e tcp.seq -e tcp.flags
  wirelab packets http-get.pcap -f 'tcp port 80' --count`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPackets(cmd.OutOrStdout(), cmd.ErrOrStderr(), args[0], &o)
		},
	}
	f := c.Flags()
	f.StringVarP(&o.display, "display-filter", "Y", "", "display filter (Wireshark syntax)")
	f.StringVarP(&o.capFilter, "capture-filter", "f", "", "capture filter (pcap-filter syntax)")
	f.IntVarP(&o.count, "max-packets", "c", 0, "stop after `N` matching packets")
	f.StringVarP(&o.format, "format", "T", "text", "output format: text, fields or json")
	f.StringArrayVarP(&o.fields, "field", "e", nil, "field to print with -T fields (repeatable)")
	f.StringArrayVarP(&o.options, "option", "E", nil, "fields output option: separator=C, header=y|n, aggregator=C, quote=d|s|n")
	f.BoolVar(&o.countOnly, "count", false, "print only the number of matching packets")
	return c
}

func runPackets(stdout, stderr io.Writer, path string, o *packetsOpts) error {
	var display, capFilter *filter.Filter
	var err error
	if o.display != "" {
		if display, err = capture.Compile(o.display); err != nil {
			return filterError(stderr, "display filter", err)
		}
	}
	if o.capFilter != "" {
		if capFilter, err = capture.CompileCapture(o.capFilter); err != nil {
			return filterError(stderr, "capture filter", err)
		}
	}
	if o.count < 0 {
		return usagef("-c %d: the count must be positive", o.count)
	}
	reg := capture.Fields()
	var fields []*filter.Field
	sep, agg, header, quote := "\t", ",", false, byte(0)
	switch o.format {
	case "text", "json":
		if len(o.fields) > 0 {
			return usagef("-e needs -T fields")
		}
	case "fields":
		if len(o.fields) == 0 {
			return usagef("-T fields needs at least one -e FIELD")
		}
		for _, name := range o.fields {
			f, ok := reg.Lookup(name)
			if !ok {
				return usagef("unknown field %q%s", name, suggest(name, reg))
			}
			fields = append(fields, f)
		}
		for _, opt := range o.options {
			k, v, _ := strings.Cut(opt, "=")
			switch k {
			case "separator":
				sep = unescapeSep(v)
			case "aggregator":
				agg = unescapeSep(v)
			case "header":
				header = v == "y"
			case "quote":
				switch v {
				case "d":
					quote = '"'
				case "s":
					quote = '\''
				case "n":
				default:
					return usagef("-E quote=%q: use d, s or n", v)
				}
			case "occurrence", "bom", "escape":
				// Accepted for tshark compatibility; wirelab prints all occurrences.
			default:
				return usagef("-E %q: unknown option (known: separator, header, aggregator, quote)", opt)
			}
		}
	default:
		return usagef("-T %q: unknown format (known: text, fields, json)", o.format)
	}

	var src capture.Source
	if path == "-" { // standard input, as tshark -r - reads it
		src, err = capture.NewReader(os.Stdin)
	} else {
		src, err = capture.OpenFile(path)
	}
	if err != nil {
		return err
	}
	defer src.Close()
	dec := capture.NewDecoder()
	dec.TimeDigits = timeDigits(src, path)
	// frame.time_delta_displayed counts from the previous frame shown.
	dec.TrackShown = display != nil || capFilter != nil
	// Headers alone, five times faster, when nothing filtered or printed
	// needs TCP's conversations or what TCP carries: counting with
	// tcp.port == 80, or -T fields -e ip.src.
	dec.HeadersOnly = capture.HeadersSuffice(display) && capture.HeadersSuffice(capFilter) &&
		(o.countOnly || o.format == "fields" && capture.FieldsSuffice(fields))

	w := bufio.NewWriterSize(stdout, 64<<10)
	defer w.Flush()
	if header && o.format == "fields" {
		fmt.Fprintln(w, strings.Join(o.fields, sep))
	}
	// A source that keeps pcapng packet comments offers them for the frame Next
	// returned last (frame.comment).
	commented, _ := src.(interface{ Comments() []string })
	var p capture.Packet
	matched := 0
	// Counting what a capture filter alone keeps needs no decoding: the filter
	// tests the frame's bytes as tcpdump does.
	if o.countOnly && display == nil && capFilter != nil && capFilter.IsCapture() {
		for {
			fr, err := src.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				fmt.Fprintln(stdout, matched)
				fmt.Fprintf(stderr, "error: %v\n", err)
				return exitCode(ExitError)
			}
			if capFilter.MatchFrame(fr.Data, int(fr.LinkType), fr.Info.Length) {
				matched++
				if o.count > 0 && matched >= o.count {
					break
				}
			}
		}
		fmt.Fprintln(w, matched)
		return nil
	}
	var vals []filter.Value
	var line []byte
	for {
		fr, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			w.Flush()
			if o.countOnly {
				fmt.Fprintln(stdout, matched)
			}
			fmt.Fprintf(stderr, "error: %v\n", err)
			return exitCode(ExitError)
		}
		dec.DecodeInto(fr, &p)
		if commented != nil {
			p.Comments = commented.Comments()
		}
		if capFilter != nil && !capFilter.Match(&p) {
			continue
		}
		if display != nil && !display.Match(&p) {
			continue
		}
		dec.Shown(&p)
		matched++
		switch {
		case o.countOnly:
		case o.format == "text":
			w.WriteString(tsharkText(p.Line()))
			w.WriteByte('\n')
		case o.format == "fields":
			line = line[:0]
			for i, f := range fields {
				if i > 0 {
					line = append(line, sep...)
				}
				vals = p.Values(vals[:0], f)
				if quote != 0 && len(vals) > 0 {
					line = append(line, quote)
				}
				for j, v := range vals {
					if j > 0 {
						line = append(line, agg...)
					}
					line = appendValue(line, &p, f, v)
				}
				if quote != 0 && len(vals) > 0 {
					line = append(line, quote)
				}
			}
			line = append(line, '\n')
			w.Write(line)
		case o.format == "json":
			writeJSON(w, &p, reg)
		}
		if o.count > 0 && matched >= o.count {
			break
		}
	}
	if o.countOnly {
		fmt.Fprintln(w, matched)
	}
	return nil
}

// appendValue formats one value as tshark -T fields does.
func appendValue(b []byte, p *capture.Packet, f *filter.Field, v filter.Value) []byte {
	switch f.Name {
	case "frame.time_epoch", "frame.time_relative":
		// Exact from the packet's timestamp: a float64 loses the nanoseconds.
		if s := p.Strings(f.Name); len(s) == 1 {
			return append(b, s[0]...)
		}
	}
	return append(b, capture.Format(f, v)...)
}

func writeJSON(w *bufio.Writer, p *capture.Packet, reg filter.Registry) {
	w.WriteByte('{')
	n := 0
	var vals []filter.Value
	for _, f := range reg.Fields() {
		vals = p.Values(vals[:0], f)
		if len(vals) == 0 {
			continue
		}
		if n > 0 {
			w.WriteByte(',')
		}
		n++
		k, _ := json.Marshal(f.Name)
		w.Write(k)
		w.WriteByte(':')
		strs := make([]string, len(vals))
		for i, v := range vals {
			strs[i] = string(appendValue(nil, p, f, v))
		}
		var out []byte
		if len(strs) == 1 {
			out, _ = json.Marshal(strs[0])
		} else {
			out, _ = json.Marshal(strs)
		}
		w.Write(out)
	}
	w.WriteString("}\n")
}

func filterError(stderr io.Writer, what string, err error) error {
	var fe *filter.Error
	if errors.As(err, &fe) {
		fmt.Fprintf(stderr, "error: bad %s:\n%s\n", what, strings.TrimRight(fe.Caret(), "\n"))
		return exitCode(ExitError)
	}
	return usagef("bad %s: %v", what, err)
}

func unescapeSep(s string) string {
	switch s {
	case `\t`, "/t":
		return "\t"
	case `\n`:
		return "\n"
	case "/s", `\s`:
		return " "
	}
	return s
}

// suggest names the registry field nearest to name, if one is close, or
// points at the field list.
func suggest(name string, reg filter.Registry) string {
	if best := filter.Suggest(reg, name); best != "" {
		return fmt.Sprintf(" (did you mean %q?)", best)
	}
	return " (the field list is in docs/filters.md)"
}

// timeDigits decides how many decimals the time column gets, as tshark does
// from the file's timestamp resolution: 9 for nanosecond pcap and for pcapng
// whose first interface says so, 6 otherwise.
func timeDigits(src capture.Source, path string) int {
	if td, ok := src.(interface{ TimeDigits() int }); ok {
		return td.TimeDigits()
	}
	f, err := os.Open(path)
	if err != nil {
		return 6
	}
	defer f.Close()
	var hdr [4096]byte
	n, _ := io.ReadFull(f, hdr[:])
	b := hdr[:n]
	if len(b) < 4 {
		return 6
	}
	switch binary.BigEndian.Uint32(b) {
	case 0xa1b23c4d, 0x4d3cb2a1:
		return 9
	case 0x0a0d0d0a:
		return pcapngDigits(b)
	}
	return 6
}

// pcapngDigits reads if_tsresol from the first interface description block.
func pcapngDigits(b []byte) int {
	if len(b) < 12 {
		return 6
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if binary.BigEndian.Uint32(b[8:]) == 0x1a2b3c4d {
		bo = binary.BigEndian
	}
	off := 0
	for off+12 <= len(b) {
		typ, blen := bo.Uint32(b[off:]), int(bo.Uint32(b[off+4:]))
		if blen < 12 || off+blen > len(b) {
			return 6
		}
		if typ == 1 { // IDB: options after 8 bytes of fields
			opts := b[off+16 : off+blen-4]
			for len(opts) >= 4 {
				code, l := bo.Uint16(opts), int(bo.Uint16(opts[2:]))
				if code == 0 || 4+l > len(opts) {
					break
				}
				if code == 9 && l >= 1 {
					r := opts[4]
					if r&0x80 == 0 {
						return min(max(int(r), 0), 9)
					}
					return 9
				}
				opts = opts[4+(l+3)&^3:]
			}
			return 6
		}
		off += blen
	}
	return 6
}
