package lualib

import (
	"bufio"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"

	lua "github.com/yuin/gopher-lua"
)

// dnsGetnameinfo is socket.dns.getnameinfo(host, serv) as LuaSocket 3.1 does
// it: getaddrinfo(host, serv) for a stream socket, then for every address found
// its name (the address itself when it has none) and the service's name from
// /etc/services (its number when it has none). It returns the table of names
// (empty without a host) and, when serv was given, the service name.
func dnsGetnameinfo(L *lua.LState) int {
	hasHost, hasServ := L.Get(1) != lua.LNil, L.Get(2) != lua.LNil
	host := sockOptString(L, 1, "getnameinfo", false, "")
	serv := sockOptString(L, 2, "getnameinfo", false, "")
	if !hasHost && !hasServ {
		// luaL_error from the C function itself: no position
		L.Error(lua.LString("host and serv cannot be both nil"), 0)
	}
	port := 0
	if hasServ {
		p, ok := servicePort(serv, "tcp")
		if !ok {
			L.Push(lua.LNil)
			L.Push(lua.LString("service not supported for socket type"))
			return 2
		}
		port = p
	}
	names := L.NewTable()
	if hasHost {
		s := stateOf(L)
		if host == "*" || host == "" {
			return pushErr(L, errNoName)
		}
		addrs, err := s.lookup(ctxOf(L), host, syscall.AF_UNSPEC)
		if err != nil {
			return pushErr(L, err)
		}
		for _, a := range addrs {
			names.Append(lua.LString(s.addrName(L, a)))
		}
	}
	L.Push(names)
	if !hasServ {
		return 1
	}
	L.Push(lua.LString(serviceName(port)))
	return 2
}

// addrName is getnameinfo's host for an address: the lab's name for it, the
// system's (/etc/hosts, then DNS) without a lab, else the address itself.
func (s *State) addrName(L *lua.LState, a netip.Addr) string {
	if s.env.Hosts != nil {
		name := ""
		if a.IsLoopback() && (a.Is6() || a == netip.AddrFrom4([4]byte{127, 0, 0, 1})) {
			name = "localhost"
		}
		name = s.labName(a, name)
		if name != "" {
			return name
		}
		return a.String()
	}
	if names, err := netResolverLookupAddr(ctxOf(L), a.String()); err == nil && len(names) > 0 {
		return trimDot(names[0])
	}
	return a.String()
}

// servicePort reads serv as glibc's getaddrinfo does for a socket of proto
// ("tcp" or "udp"): a number as strtoul reads it (leading blanks and a sign
// allowed, the whole string used: "80.5" and "1e2" are not numbers), kept as a
// C int; a negative one, or anything else, is a name or alias in
// /etc/services (case matters, as for getservbyname). The port is the number
// modulo 65536.
func servicePort(serv, proto string) (int, bool) {
	if n, ok := cStrtoul(serv); ok && int32(uint32(n)) >= 0 {
		return int(n & 0xffff), true
	}
	port := -1
	services(proto, func(names []string, p int) bool {
		for _, n := range names {
			if n == serv {
				port = p
				return false
			}
		}
		return true
	})
	return port, port >= 0
}

// serviceName is getservbyport(port, "tcp"): the first /etc/services entry
// for the port, or the number.
func serviceName(port int) string {
	name := strconv.Itoa(port)
	services("tcp", func(names []string, p int) bool {
		if p == port {
			name = names[0]
			return false
		}
		return true
	})
	return name
}

// services calls fn with each entry of /etc/services for proto (its name and
// aliases, and its port) until fn returns false.
func services(proto string, fn func(names []string, port int) bool) {
	f, err := os.Open("/etc/services")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		num, pr, ok := strings.Cut(fields[1], "/")
		p, err := strconv.Atoi(num)
		if !ok || pr != proto || err != nil {
			continue
		}
		if !fn(append(fields[:1:1], fields[2:]...), p) {
			return
		}
	}
}

// cStrtoul is strtoul(s, &end, 10) with *end == '\0': ok when the whole string
// is read (an empty string reads as 0, a string of blanks does not).
func cStrtoul(s string) (uint64, bool) {
	if s == "" {
		return 0, true
	}
	i := 0
	for i < len(s) && strings.IndexByte(" \t\n\v\f\r", s[i]) >= 0 {
		i++
	}
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	digits := s[i:]
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, 10, 64)
	if err != nil {
		n = ^uint64(0) // ERANGE: ULONG_MAX
	} else if neg {
		n = -n
	}
	return n, true
}

// labName is the first (in sort order) of the lab's names for a, or name
// when it has none or name comes first.
func (s *State) labName(a netip.Addr, name string) string {
	for n, h := range s.env.Hosts {
		if (h == a || slices.Contains(s.env.HostsMore[n], a)) && (name == "" || n < name) {
			name = n
		}
	}
	return name
}
