package filter

// OperatorDoc documents one operator or construct of the display-filter language,
// for the generated reference (docs/filters.md).
type OperatorDoc struct {
	Syntax  string // "==, eq, any_eq"
	Meaning string // one or two sentences
	Example string // a display filter using it
}

// Operators lists every operator and construct of the display-filter language,
// in the order the reference presents them.
func Operators() []OperatorDoc {
	return []OperatorDoc{
		{"==, eq, any_eq", "Equal: true when any occurrence of the field equals the value. An IPv4 or IPv6 network (CIDR) matches every address inside it.", "ip.addr == 10.0.0.0/8"},
		{"!=, ne, all_ne", "Not equal: true when the field is present and no occurrence equals the value (so tcp.port != 80 is false on a UDP packet, and false on a TCP packet with either port 80).", "tcp.port != 80"},
		{"===, all_eq", "All equal: true when the field is present and every occurrence equals the value.", "ip.addr === 127.0.0.1"},
		{"!==, ~=, any_ne", "Any not equal: true when some occurrence differs from the value.", "ip.addr !== 127.0.0.1"},
		{">, gt", "Greater than (numbers, addresses, byte strings compared byte by byte); true when any occurrence is.", "frame.len > 1000"},
		{">=, ge", "Greater than or equal; true when any occurrence is.", "tcp.window_size_value >= 1024"},
		{"<, lt", "Less than; true when any occurrence is.", "ip.ttl < 10"},
		{"<=, le", "Less than or equal; true when any occurrence is.", "tcp.len <= 1"},
		{"contains", "The string or byte field contains the literal, matched exactly (case-sensitive).", `http.request.uri contains "/admin"`},
		{"matches, ~", "The string or byte field matches a regular expression (Go RE2 syntax), case-insensitive unless the pattern starts with (?-i); matched byte by byte as tshark does (. is one byte, \\xef the byte 0xef).", `http.host matches "^www\\.example\\.(com|org)$"`},
		{"in {...}", "Set membership: true when any occurrence equals a member; members are separated by commas, and lo..hi is an inclusive range.", "tcp.port in {80, 443, 8000..8080}"},
		{"not in {...}", "The negation of in.", "tcp.dstport not in {22, 80}"},
		{"field", "A field alone tests presence: true when the packet has it.", "dns"},
		{"field & mask", "Bitwise and: alone, true when the result is non-zero; it can also be compared.", "tcp.flags & 0x12 == 0x12"},
		{"field[i:n]", "Byte slice of n bytes from offset i (a negative i counts from the end); [i-j] is from i to j inclusive, [i] one byte, [:n] the first n bytes, [i:] from i to the end. The slice is compared as bytes.", "eth.src[0:3] == 00:1a:2b"},
		{"field#n", "Wireshark's layer operator: the field in the n-th layer of its protocol (from 1). ip.addr#1 is both addresses of the frame's IP header, ip.src#2 the source of the header an ICMP error quotes; vlan.id#2 is the second VLAN tag's.", "icmp && ip.src#2 == 10.0.0.1 && udp.dstport#1 == 53"},
		{"count(field)", "The number of occurrences of the field in the packet; like any comparison, false when the field is absent.", "count(ip.addr) == 4"},
		{"len(field)", "The length in bytes of a string, byte or address field.", "len(http.request.uri) > 100"},
		{"&&, and", "Both tests hold. Binds tighter than || and ^^.", "tcp && ip.dst == 10.0.0.80"},
		{"||, or", "Either test holds.", "tcp.port == 80 || udp.port == 53"},
		{"^^, xor", "Exactly one of the tests holds.", "tcp.flags.syn == 1 ^^ tcp.flags.ack == 1"},
		{"!, not", "The test does not hold. !tcp.port == 80 means \"no TCP port is 80\" (or not TCP at all).", "!arp"},
		{"( )", "Grouping.", "(tcp.port == 80 || tcp.port == 443) && ip.src == 10.0.0.10"},
		{`"..."`, `A string, with C escapes \n \r \t \\ \" \xNN and octal \NNN; compared with a byte field it stands for its bytes.`, `tcp.payload[0:4] == "GET "`},
		{`r"..."`, `A raw string: backslashes are literal, convenient for regular expressions.`, `http.request.uri matches r"^/api/v\d+/"`},
		{"aa:bb:cc", "A byte string (also aa-bb-cc or aa.bb.cc); a single byte may be written 47 or 0x47.", "tcp.payload[0] == 47"},
		{"literals", "Integers in decimal, hex (0x1f) or octal (017); booleans true, false, 1, 0; IPv4 and IPv6 addresses and networks (10.0.0.0/8, fe80::/10); Ethernet addresses aa:bb:cc:dd:ee:ff (also with - or in aabb.ccdd.eeff form); object identifiers 1.3.6.1.2.1.1.1.0.", "eth.dst == ff:ff:ff:ff:ff:ff"},
		{"field OP field", "Two fields may be compared with each other; == holds when any pair of occurrences is equal.", "ip.src == ip.dst"},
	}
}
