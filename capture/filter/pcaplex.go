package filter

import (
	"net/netip"
	"strconv"
	"strings"
)

// The capture-filter lexer follows libpcap's scanner: at each position the
// longest match wins, and of equally long matches the earlier class in this
// order: keyword, Ethernet address, number, dotted IPv4 (host or network),
// IPv6 address, named constant (tcp-syn, icmp-echo, ...), identifier. So
// "10.0.0.1" is an address, "tcp-syn" the number 2, "1-1024" an identifier
// (a port range) and "len-14" an identifier too, as in tcpdump.

type ptok uint8

const (
	pEOF  ptok = iota
	pKW        // a keyword; text is the keyword
	pNum       // num holds the value
	pHID       // dotted IPv4 address or network: 10.0.0.1, 10.1
	pHID6      // IPv6 address
	pEID       // Ethernet address
	pID        // identifier: a name, a port range, an escaped \name
	pOp        // an operator or punctuation; text is the operator
)

type ptoken struct {
	kind ptok
	text string // a keyword's canonical form ("ether" is "link"), else as written
	raw  string // as written
	num  uint32
	pos  int
}

// pcapKeywords maps each keyword to its canonical token (the grammar's
// terminal): "ether", "ppp", "link" are all "link".
var pcapKeywords = map[string]string{
	"dst": "dst", "src": "src", "link": "link", "ether": "link", "ppp": "link", "slip": "link",
	"fddi": "link", "tr": "link", "wlan": "link", "arp": "arp", "rarp": "rarp", "ip": "ip",
	"sctp": "sctp", "tcp": "tcp", "udp": "udp", "icmp": "icmp", "igmp": "igmp", "igrp": "igrp",
	"pim": "pim", "vrrp": "vrrp", "carp": "carp", "radio": "radio", "ip6": "ip6", "icmp6": "icmp6",
	"ah": "ah", "esp": "esp", "atalk": "atalk", "aarp": "aarp", "decnet": "decnet", "lat": "lat",
	"sca": "sca", "moprc": "moprc", "mopdl": "mopdl", "iso": "iso", "esis": "esis", "es-is": "esis",
	"isis": "isis", "is-is": "isis", "l1": "l1", "l2": "l2", "iih": "iih", "lsp": "lsp", "snp": "snp",
	"csnp": "csnp", "psnp": "psnp", "clnp": "clnp", "stp": "stp", "ipx": "ipx", "netbeui": "netbeui",
	"host": "host", "net": "net", "mask": "mask", "port": "port", "portrange": "portrange",
	"proto": "proto", "protochain": "protochain", "gateway": "gateway", "type": "type",
	"subtype": "subtype", "direction": "dir", "dir": "dir", "address1": "addr1", "addr1": "addr1",
	"address2": "addr2", "addr2": "addr2", "address3": "addr3", "addr3": "addr3", "address4": "addr4",
	"addr4": "addr4", "ra": "ra", "ta": "ta", "less": "less", "greater": "greater", "byte": "byte",
	"broadcast": "broadcast", "multicast": "multicast", "and": "and", "or": "or", "not": "!",
	"len": "len", "length": "len", "inbound": "inbound", "outbound": "outbound", "ifindex": "ifindex",
	"vlan": "vlan", "mpls": "mpls", "pppoed": "pppoed", "pppoes": "pppoes", "geneve": "geneve",
	"lane": "lane", "llc": "llc", "metac": "metac", "bcc": "bcc", "oam": "oam", "oamf4": "oamf4",
	"oamf4ec": "oamf4ec", "oamf4sc": "oamf4sc", "sc": "sc", "ilmic": "ilmic", "vpi": "vpi", "vci": "vci",
	"connectmsg": "connectmsg", "metaconnect": "metaconnect", "on": "ifname", "ifname": "ifname",
	"rset": "rset", "ruleset": "rset", "rnr": "rnr", "rulenum": "rnr", "srnr": "srnr",
	"subrulenum": "srnr", "reason": "reason", "action": "action", "fisu": "fisu", "lssu": "lssu",
	"lsu": "lssu", "msu": "msu", "hfisu": "hfisu", "hlssu": "hlssu", "hmsu": "hmsu", "sio": "sio",
	"opc": "opc", "dpc": "dpc", "sls": "sls", "hsio": "hsio", "hopc": "hopc", "hdpc": "hdpc", "hsls": "hsls",
}

// pcapNamed are libpcap's named constants: header offsets and field values.
var pcapNamed = map[string]uint32{
	"icmptype": 0, "icmpcode": 1, "icmp-echoreply": 0, "icmp-unreach": 3, "icmp-sourcequench": 4,
	"icmp-redirect": 5, "icmp-echo": 8, "icmp-routeradvert": 9, "icmp-routersolicit": 10,
	"icmp-timxceed": 11, "icmp-paramprob": 12, "icmp-tstamp": 13, "icmp-tstampreply": 14,
	"icmp-ireq": 15, "icmp-ireqreply": 16, "icmp-maskreq": 17, "icmp-maskreply": 18,
	"icmp6type": 0, "icmp6code": 1, "icmp6-destinationunreach": 1, "icmp6-packettoobig": 2,
	"icmp6-timeexceeded": 3, "icmp6-parameterproblem": 4, "icmp6-echo": 128, "icmp6-echoreply": 129,
	"icmp6-multicastlistenerquery": 130, "icmp6-multicastlistenerreportv1": 131,
	"icmp6-multicastlistenerdone": 132, "icmp6-routersolicit": 133, "icmp6-routeradvert": 134,
	"icmp6-neighborsolicit": 135, "icmp6-neighboradvert": 136, "icmp6-redirect": 137,
	"icmp6-routerrenum": 138, "icmp6-nodeinformationquery": 139, "icmp6-nodeinformationresponse": 140,
	"icmp6-ineighbordiscoverysolicit": 141, "icmp6-ineighbordiscoveryadvert": 142,
	"icmp6-multicastlistenerreportv2": 143, "icmp6-homeagentdiscoveryrequest": 144,
	"icmp6-homeagentdiscoveryreply": 145, "icmp6-mobileprefixsolicit": 146,
	"icmp6-mobileprefixadvert": 147, "icmp6-certpathsolicit": 148, "icmp6-certpathadvert": 149,
	"icmp6-multicastrouteradvert": 151, "icmp6-multicastroutersolicit": 152,
	"icmp6-multicastrouterterm": 153,
	"tcpflags":                  13, "tcp-fin": 0x01, "tcp-syn": 0x02, "tcp-rst": 0x04, "tcp-push": 0x08,
	"tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40, "tcp-cwr": 0x80,
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// idLen is the length of libpcap's identifier at s: [A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?
func idLen(s string) int {
	if s == "" || !isAlnum(s[0]) {
		return 0
	}
	j := 1
	for j < len(s) && (isAlnum(s[j]) || s[j] == '-' || s[j] == '_' || s[j] == '.') {
		j++
	}
	for j > 1 && (s[j-1] == '-' || s[j-1] == '_') {
		j--
	}
	return j
}

// numLen is the length of a number at s: decimal digits, or 0x and hex digits.
func numLen(s string) int {
	if len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isHex(s[2]) {
		j := 2
		for j < len(s) && isHex(s[j]) {
			j++
		}
		return j
	}
	j := 0
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	return j
}

// hidLen is the length of N.N, N.N.N or N.N.N.N at s.
func hidLen(s string) int {
	j, parts := 0, 0
	end := 0
	for parts < 4 {
		n := numLen(s[j:])
		if n == 0 {
			break
		}
		j += n
		parts++
		if parts >= 2 {
			end = j
		}
		if j < len(s) && s[j] == '.' && parts < 4 {
			j++
			continue
		}
		break
	}
	return end
}

// macLen is the length of an Ethernet address at s in one of libpcap's forms:
// aa:bb:cc:dd:ee:ff, aa-bb-..., aa.bb...., aabb.ccdd.eeff, aabbccddeeff (a
// one-digit octet is allowed in the first three).
func macLen(s string) int {
	best := 0
	for _, sep := range []byte{':', '-', '.'} {
		j, ok := 0, true
		for k := 0; k < 6 && ok; k++ {
			n := 0
			for n < 2 && j+n < len(s) && isHex(s[j+n]) {
				n++
			}
			if n == 0 {
				ok = false
				break
			}
			j += n
			if k < 5 {
				if j < len(s) && s[j] == sep {
					j++
				} else {
					ok = false
				}
			}
		}
		if ok && j > best {
			best = j
		}
	}
	hex4 := func(i int) bool {
		return i+4 <= len(s) && isHex(s[i]) && isHex(s[i+1]) && isHex(s[i+2]) && isHex(s[i+3])
	}
	if hex4(0) && len(s) > 4 && s[4] == '.' && hex4(5) && len(s) > 9 && s[9] == '.' && hex4(10) && best < 14 {
		best = 14
	}
	if hex4(0) && hex4(4) && hex4(8) && best < 12 {
		best = 12
	}
	return best
}

// v6Len is the length of the longest IPv6 address at s.
func v6Len(s string) int {
	j := 0
	for j < len(s) && (isHex(s[j]) || s[j] == ':' || s[j] == '.') {
		j++
	}
	for ; j >= 2; j-- {
		t := s[:j]
		if !strings.Contains(t, ":") {
			return 0
		}
		if a, err := netip.ParseAddr(t); err == nil && a.Is6() {
			// libpcap's patterns need "::" or eight groups.
			if strings.Contains(t, "::") || strings.Count(t, ":") >= 6 {
				return j
			}
		}
	}
	return 0
}

// bogusEtherLen matches {B}:+({B}:+)+ — something that starts like an Ethernet
// address and is not one; libpcap reports it as a bogus Ethernet address.
func bogusEtherLen(s string) int {
	j, groups := 0, 0
	for {
		n := 0
		for n < 2 && j+n < len(s) && isHex(s[j+n]) {
			n++
		}
		if n == 0 || j+n >= len(s) || s[j+n] != ':' {
			break
		}
		j += n
		for j < len(s) && s[j] == ':' {
			j++
		}
		groups++
	}
	if groups >= 2 {
		return j
	}
	return 0
}

// parseNum reads a libpcap number: 0x hex, a leading 0 octal, else decimal,
// saturating at 2^32-1 as strtoul would not; an overflow is an error.
func parseNum(src string, text string, pos int) uint32 {
	base := 10
	s := text
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	n, err := strconv.ParseUint(s, base, 32)
	if err != nil {
		if base == 8 {
			fail(src, pos, "number %s contains non-octal digit", text)
		}
		fail(src, pos, "number %s overflows 32 bits", text)
	}
	return uint32(n)
}

// lexPcap splits a capture filter into tokens.
func lexPcap(src string) []ptoken {
	var toks []ptoken
	i := 0
	for i < len(src) {
		c := src[i]
		rest := src[i:]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case c == '\\':
			j := i + 1
			for j < len(src) && strings.IndexByte(" !()\n\t", src[j]) < 0 {
				j++
			}
			if j == i+1 {
				fail(src, i, "%q must be followed by a name, as in %q", "\\", "proto \\tcp")
			}
			toks = append(toks, ptoken{kind: pID, text: src[i+1 : j], raw: src[i:j], pos: i})
			i = j
			continue
		}
		if n := v6Len(rest); c == ':' && n > 0 {
			toks = append(toks, ptoken{kind: pHID6, text: rest[:n], raw: rest[:n], pos: i})
			i += n
			continue
		}
		for _, op := range []string{">=", "<=", "!=", "==", "<<", ">>", "&&", "||"} {
			if strings.HasPrefix(rest, op) {
				t := ptoken{kind: pOp, text: op, pos: i}
				switch op {
				case "==":
					t.text = "="
				case "&&":
					t = ptoken{kind: pKW, text: "and", pos: i}
				case "||":
					t = ptoken{kind: pKW, text: "or", pos: i}
				}
				t.raw = op
				toks = append(toks, t)
				i += 2
				goto next
			}
		}
		if strings.IndexByte("+-*/%:[]!<>()&|^=", c) >= 0 {
			t := ptoken{kind: pOp, text: string(c), raw: string(c), pos: i}
			if c == '!' {
				t.kind = pKW
			}
			toks = append(toks, t)
			i++
			continue
		}
		if !isAlnum(c) {
			if c >= 0x80 {
				fail(src, i, "unexpected character in the filter (capture filters are plain ASCII)")
			}
			fail(src, i, "unexpected character %q", string(rune(c)))
		}
		{
			idl := idLen(rest)
			word := rest[:idl]
			cands := [...]struct {
				n    int
				kind ptok
			}{
				{0, pKW}, {macLen(rest), pEID}, {numLen(rest), pNum}, {hidLen(rest), pHID},
				{v6Len(rest), pHID6}, {bogusEtherLen(rest), pEOF}, {0, pNum /* named */}, {idl, pID},
			}
			if _, ok := pcapKeywords[word]; ok {
				cands[0].n = idl
			}
			if _, ok := pcapNamed[word]; ok {
				cands[6].n = idl
			}
			best := 0
			for k := range cands {
				if cands[k].n > cands[best].n {
					best = k
				}
			}
			n := cands[best].n
			text := rest[:n]
			t := ptoken{text: text, raw: text, pos: i}
			switch best {
			case 0:
				t.kind, t.text = pKW, pcapKeywords[text]
			case 1:
				t.kind = pEID
			case 2:
				t.kind, t.num = pNum, parseNum(src, text, i)
			case 3:
				t.kind = pHID
			case 4:
				t.kind = pHID6
			case 5:
				fail(src, i, "bogus ethernet address %s", text)
			case 6:
				t.kind, t.num = pNum, pcapNamed[text]
			case 7:
				t.kind = pID
			}
			toks = append(toks, t)
			i += n
		}
	next:
	}
	return append(toks, ptoken{kind: pEOF, pos: len(src)})
}

func describeP(t ptoken) string {
	if t.kind == pEOF {
		return "the end of the filter"
	}
	return strconv.Quote(t.raw)
}
