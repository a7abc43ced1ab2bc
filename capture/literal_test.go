package capture

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// TestFieldWidthsAsTshark compares every integer field's width (field.bits)
// and value names (field.named) with the types tshark declares (tshark -G
// fields: FT_UINT8 is 8 bits) and the value strings it lists (-G values).
func TestFieldWidthsAsTshark(t *testing.T) {
	needTshark(t)
	out, err := exec.Command("tshark", "-G", "fields").Output()
	if err != nil {
		t.Fatalf("tshark -G fields: %v", err)
	}
	types := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if c := strings.Split(line, "\t"); len(c) > 3 && c[0] == "F" {
			types[c[2]] = c[3]
		}
	}
	out, err = exec.Command("tshark", "-G", "values").Output()
	if err != nil {
		t.Fatalf("tshark -G values: %v", err)
	}
	named := map[string]bool{}
	for _, line := range strings.Split(string(out), "\n") {
		if c := strings.SplitN(line, "\t", 3); len(c) > 2 && strings.Contains("VREUT", c[0]) && len(c[0]) == 1 {
			named[c[1]] = true
		}
	}
	widths := map[string]uint8{"FT_UINT8": 8, "FT_UINT16": 16, "FT_UINT24": 24, "FT_UINT32": 32, "FT_UINT40": 40,
		"FT_UINT48": 48, "FT_UINT56": 56, "FT_UINT64": 64, "FT_FRAMENUM": 32,
		"FT_INT8": 8, "FT_INT16": 16, "FT_INT24": 24, "FT_INT32": 32, "FT_INT64": 64}
	n := 0
	for _, f := range table.fields {
		if f.typ != filter.Uint && f.typ != filter.Int && f.typ != filter.Bool {
			continue
		}
		ft, ok := types[f.name]
		if !ok {
			continue // a field Wireshark does not have
		}
		n++
		if f.typ != filter.Bool {
			if w := widths[ft]; w != f.bits {
				t.Errorf("%s: bits %d, tshark's type is %s (%d bits)", f.name, f.bits, ft, w)
			}
			if signed := strings.HasPrefix(ft, "FT_INT"); signed != (f.typ == filter.Int) {
				t.Errorf("%s: type %s, tshark's is %s", f.name, f.typ, ft)
			}
		}
		if f.named != named[f.name] {
			t.Errorf("%s: named %v, tshark lists value names: %v", f.name, f.named, named[f.name])
		}
	}
	t.Logf("%d integer and boolean fields have tshark's widths and value names", n)
}

// rangeErrors are filters tshark refuses for a number its field cannot hold.
var rangeErrors = []string{
	"tcp.port == 70000", "ip.ttl == 300", "ip.ttl == -300", "tcp.port == 0x10000", "ip.ttl > 256",
	"frame.len == 99999999999", "tcp.seq == 4294967296", "tcp.window_size_value == 65536",
	"ip.len == 65536", "ip.id == 65536", "ip.dsfield == 256", "tcp.port in {80, 70000}",
	"tcp.port in {1..70000}", "tcp.port & 70000", "ip.ttl & 0x100", "ip.ttl == 0400",
	"tcp.port == 100000000000000000000", "ip.ttl == -18446744073709551616",
	"ip.proto == 300", "eth.type == 0x10000", "ip.proto in {6, 300}", "ip.proto == -300",
	"dns.flags.rcode == 70000", "tcp.flags.syn == 99999999999999999999", "data.len == 4294967296",
	"data.len == -2147483649", "udp.length == 65536", "frame.number == 4294967296", "icmp.type == 256",
	"tcp.analysis.acks_frame == 4294967296", "ip.ttl == 1_0", "ip.ttl == 0o100",
}

// rangeAccepted are numbers tshark accepts that Go's syntax or a narrower
// reading would get wrong: negative numbers on unsigned fields (equal to
// nothing), booleans compared with any number, C's octal, 0b binary, +.
var rangeAccepted = []string{
	"ip.ttl == -1", "ip.ttl != -1", "ip.ttl > -1", "ip.ttl < -1", "ip.ttl === -1", "ip.ttl !== -1",
	"ip.ttl >= -0", "ip.ttl == -0", "ip.ttl in {-1, 64}", "ip.ttl in {-5..100}", "ip.ttl not in {-1}",
	"ip.ttl & -1", "tcp.port == -80", "tcp.port == 65535", "ip.ttl == 255", "ip.ttl == 0100",
	"ip.ttl == 0b1000000", "ip.ttl == +64", "ip.ttl == 0X40", "tcp.port & 0xffff",
	"tcp.flags.syn == 2", "tcp.flags.syn == 256", "tcp.flags.syn > 0", "tcp.flags.syn == 0",
	"data.len == -1", "data.len > -5", "frame.len < 0xffffffff", "tcp.port in {0..65535}",
}

// TestLiteralRangeAsTshark compares wirelab's reason for refusing a number out
// of its field's range with tshark's (the message, without tshark's final
// period; the column of its caret for the first few, which cost a tshark run
// each), and the frames of the numbers tshark accepts.
func TestLiteralRangeAsTshark(t *testing.T) {
	needTshark(t)
	path := filepath.Join(corpusDir(t), "captures", "http-get.pcap")
	reasons := tsharkFilterErrors(t, path, rangeErrors)
	same := 0
	for i, expr := range rangeErrors {
		_, err := Compile(expr)
		var fe *filter.Error
		if !errors.As(err, &fe) {
			t.Errorf("%s: compiled (err %v); tshark: %s", expr, err, reasons[i])
			continue
		}
		if want := strings.TrimSuffix(reasons[i], "."); fe.Msg != want {
			t.Errorf("%s:\n got %s\nwant %s", expr, fe.Msg, want)
			continue
		}
		same++
	}
	t.Logf("%d/%d refusals with tshark's reason", same, len(rangeErrors))

	// tshark's caret: one run each, two at a time.
	carets := rangeErrors[:8]
	cols := make([]int, len(carets))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, expr := range carets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			cols[i] = tsharkCaret(path, expr)
		}()
	}
	wg.Wait()
	for i, expr := range carets {
		_, err := Compile(expr)
		var fe *filter.Error
		if errors.As(err, &fe) && strings.Index(fe.Caret(), "^")-len(expr)-1 != cols[i] {
			t.Errorf("%s: caret at column %d, tshark's at %d\n%s", expr, strings.Index(fe.Caret(), "^")-len(expr), cols[i]+1, fe.Caret())
		}
	}

	compareFilters(t, path, rangeAccepted)
	compareFilters(t, filepath.Join(corpusDir(t), "tcpdump-tests", "dns_udp.pcap"), []string{
		"ip.ttl != -1", "ip.ttl === -1", "ip.ttl !== -1", "tcp.port != -1", "data.len != -1", "udp.port in {-1, 53}"})
}

// tsharkFilterErrors returns tshark's reason for refusing each filter (one
// tshark run: a Lua listener per filter); a filter tshark accepts fails the
// test.
func tsharkFilterErrors(t *testing.T, path string, exprs []string) []string {
	t.Helper()
	dir := t.TempDir()
	list, script := filepath.Join(dir, "filters.txt"), filepath.Join(dir, "listen.lua")
	if err := os.WriteFile(list, []byte(strings.Join(exprs, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(script, []byte(listenLua), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("tshark", "-q", "-r", path, "-c", "1", "-X", "lua_script:"+script)
	cmd.Env = append(os.Environ(), "WL_FILTERS="+list)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark: %v\n%s", err, stderr.String())
	}
	reasons := make([]string, len(exprs))
	// "N E Error while registering tap:\nFilter "F" is invalid - REASON"
	for _, part := range strings.Split(string(out), "\n") {
		if _, r, ok := strings.Cut(part, " is invalid - "); ok {
			for i, e := range exprs {
				if strings.HasPrefix(part, "Filter "+`"`+e+`"`) && reasons[i] == "" {
					reasons[i] = r
					break
				}
			}
		}
	}
	for i, r := range reasons {
		if r == "" {
			t.Fatalf("tshark accepts %q (or its listener printed nothing: %s)", exprs[i], stderr.String())
		}
	}
	return reasons
}

// tsharkCaret returns the 0-based column of the caret tshark draws under a
// filter it refuses (-1 if it draws none).
func tsharkCaret(path, expr string) int {
	out, _ := exec.Command("tshark", "-r", path, "-c", "1", "-Y", expr).CombinedOutput()
	lines := strings.Split(string(out), "\n")
	for i, l := range lines {
		if i > 0 && strings.TrimSpace(lines[i-1]) == expr {
			if k := strings.IndexByte(l, '^'); k >= 0 {
				return k - strings.Index(lines[i-1], expr)
			}
		}
	}
	return -1
}
