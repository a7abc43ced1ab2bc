package sandbox

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"net/netip"
	"os"
	"strconv"
)

// listening reports whether a TCP socket of this network namespace listens
// on ap (in the calling thread's network namespace): on its address, or on the unspecified address of its family (the
// kernel's own table, /proc/net/tcp and tcp6). Client services wait for it
// before connecting, so that a server still starting up is not met with a
// SYN and a refusal (RST) that would land in the capture. known is false when
// the table cannot be read; the caller then just tries to connect.
func listening(ap netip.AddrPort) (yes, known bool) { return listeningOn(ap, "tcp") }

// listeningOn is listening for proto "tcp", and for "udp" whether a UDP
// socket is bound to ap (or to the unspecified address with ap's port): a
// datagram sent there is received, not answered with port unreachable.
func listeningOn(ap netip.AddrPort, proto string) (yes, known bool) {
	state := "0A" // TCP_LISTEN
	if proto == "udp" {
		state = "07" // TCP_CLOSE: how the table shows an unconnected UDP socket
	} else {
		proto = "tcp"
	}
	// thread-self: the calling thread's namespace, which may be a lab host's
	// (/proc/net is the process's first thread's).
	for _, f := range []string{"/proc/thread-self/net/" + proto, "/proc/thread-self/net/" + proto + "6"} {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		known = true
		if inState(data, ap, state) {
			return true, true
		}
	}
	return false, known
}

// openTCP reports whether a TCP socket of the calling thread's network
// namespace is established or in CLOSE_WAIT (its peer closed, it has not):
// a connection its owner has not closed yet. known is false when the table
// cannot be read.
func openTCP() (open, known bool) {
	for _, f := range []string{"/proc/thread-self/net/tcp", "/proc/thread-self/net/tcp6"} {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		known = true
		if hasState(data, "01") || hasState(data, "08") {
			return true, true
		}
	}
	return false, known
}

// hasState reports whether the table in data has a socket in state.
func hasState(data []byte, state string) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 4096), 1<<20)
	sc.Scan() // the header
	for sc.Scan() {
		if f := bytes.Fields(sc.Bytes()); len(f) >= 4 && string(f[3]) == state {
			return true
		}
	}
	return false
}

// listensIn reports whether the table in data (the format of /proc/net/tcp
// or tcp6) has a socket in state LISTEN on ap or on the unspecified address
// with ap's port.
func listensIn(data []byte, ap netip.AddrPort) bool { return inState(data, ap, "0A") }

// inState is listensIn for sockets in the given state (hex, as the table
// prints it).
func inState(data []byte, ap netip.AddrPort, state string) bool {
	want := ap.Addr().Unmap()
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 4096), 1<<20)
	first := true
	for sc.Scan() {
		if first {
			first = false // the header
			continue
		}
		f := bytes.Fields(sc.Bytes())
		if len(f) < 4 || string(f[3]) != state {
			continue
		}
		addr, port, ok := parseProcAddr(string(f[1]))
		if !ok || port != ap.Port() {
			continue
		}
		addr = addr.Unmap()
		if addr == want || addr.IsUnspecified() && (addr.Is4() == want.Is4() || addr.Is6()) {
			return true
		}
	}
	return false
}

// parseProcAddr parses "0100007F:1B58" (127.0.0.1:7000 on a little-endian
// machine): the address as 32-bit words in host byte order, the port in hex.
func parseProcAddr(s string) (netip.Addr, uint16, bool) {
	i := bytes.IndexByte([]byte(s), ':')
	if i < 0 {
		return netip.Addr{}, 0, false
	}
	raw, err := hex.DecodeString(s[:i])
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.Addr{}, 0, false
	}
	p, err := strconv.ParseUint(s[i+1:], 16, 16)
	if err != nil {
		return netip.Addr{}, 0, false
	}
	// The kernel prints each word of the address in memory as a native
	// integer: turn the text's (big-endian) words back into memory order.
	for w := 0; w < len(raw); w += 4 {
		binary.NativeEndian.PutUint32(raw[w:], binary.BigEndian.Uint32(raw[w:]))
	}
	a, _ := netip.AddrFromSlice(raw)
	return a, uint16(p), true
}
