package capture

import (
	"math/bits"
	"strconv"

	"github.com/wirelab-dev/wirelab/capture/filter"
)

// ICMPv6 (RFC 4443) as Wireshark's icmpv6 dissector shows it: echo, the
// errors (their quote is decoded as in ICMP, quote.go), neighbor discovery
// (RFC 4861: router solicitation and advertisement, neighbor solicitation and
// advertisement, redirect) with the options a network sends (link-layer
// addresses, prefix information, MTU, route information, RDNSS and DNSSL,
// nonce, advertisement interval, home agent, PREF64), and multicast listener
// discovery v1 (RFC 2710) and v2 (RFC 3810). The checksum is verified over the
// pseudo-header as Wireshark does (icmpv6.checksum.status: 1 good, 0 bad, 2
// unverified when the message is cut short or quoted in an error). Router
// renumbering, node information, RPL, mobile IPv6 and the other types are
// icmpv6.type and icmpv6.code only.
var icmpv6Proto = protocol{
	name: "icmpv6", title: "ICMPv6", desc: "Internet Control Message Protocol for IPv6", example: "icmpv6", bit: pICMPv6, header: true,
	fields: []field{
		{name: "icmpv6.type", typ: filter.Uint, bits: 8, named: true, desc: "ICMPv6 type: 1 unreachable, 2 packet too big, 3 time exceeded, 128 echo request, 129 echo reply, 133 router solicitation, 134 router advertisement, 135 neighbor solicitation, 136 neighbor advertisement, 137 redirect, 143 MLDv2 report", example: "icmpv6.type == 128",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp.typ)) }},
		{name: "icmpv6.code", typ: filter.Uint, bits: 8, desc: "ICMPv6 code", example: "icmpv6.code == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp.code)) }},
		{name: "icmpv6.checksum", typ: filter.Uint, bits: 16, hex: 4, desc: "ICMPv6 checksum", example: "icmpv6.checksum != 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp.checksum)) }},
		{name: "icmpv6.checksum.status", typ: filter.Uint, bits: 8, named: true, desc: "Checksum status: 1 good, 0 bad, 2 unverified (the message is cut short, or quoted in an error)", example: "icmpv6.checksum.status == 0",
			get: func(p *Packet, dst []filter.Value) []filter.Value { return u(dst, uint64(p.icmp6Checksum())) }},
		{name: "icmpv6.reserved", typ: filter.Bytes, desc: "Reserved bytes (of an unreachable, time exceeded, router or neighbor solicitation, redirect, MLD message)", example: "icmpv6.reserved != 00:00:00:00",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				b := p.icmp6Any()
				switch p.icmp.typ {
				case 1, 3, 133, 135, 137:
					dst = igmpBytes(dst, b, 0, 4)
				case 130, 131, 132:
					dst = igmpBytes(dst, b, 2, 2)
				case 143:
					dst = igmpBytes(dst, b, 0, 2)
				}
				return dst
			}},
		{name: "icmpv6.mtu", typ: filter.Uint, bits: 32, desc: "Packet too big: the MTU of the next-hop link", example: "icmpv6.mtu < 1500", get: icmp6Num(2, 0, 4, 0)},
		{name: "icmpv6.pointer", typ: filter.Uint, bits: 32, desc: "Parameter problem: the offset of the error in the quoted packet", example: "icmpv6.pointer == 40", get: icmp6Num(4, 0, 4, 0)},
		{name: "icmpv6.data", typ: filter.Bytes, desc: "The bytes after the checksum of a message of an unknown type", example: "icmpv6.data",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.icmp6Any(); len(b) > 0 && !icmp6Dissected(p.icmp.typ) {
					dst = append(dst, filter.Value{B: b})
				}
				return dst
			}},
		{name: "icmpv6.echo.identifier", typ: filter.Uint, bits: 16, hex: 4, desc: "ICMPv6 echo identifier (of an extended echo too, RFC 8335)", example: "icmpv6.echo.identifier == 1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.icmp6Any(); (p.icmp.typ == 160 || p.icmp.typ == 161) && len(b) >= 2 {
					return u(dst, uint64(be16(b)))
				}
				return echoID(p, dst)
			}},
		{name: "icmpv6.echo.sequence_number", typ: filter.Uint, bits: 16, desc: "ICMPv6 echo sequence number", example: "icmpv6.echo.sequence_number == 1", get: icmpEcho(true)},
		{name: "icmpv6.resp_to", typ: filter.Uint, bits: 32, desc: "On an echo reply, the frame of its request", example: "icmpv6.resp_to", get: icmpRespTo},
		{name: "icmpv6.resptime", typ: filter.Float, double: true, desc: "On an echo reply, the milliseconds since its request", example: "icmpv6.resptime > 10", get: icmpRespTime},
		{name: "icmpv6.resp_in", typ: filter.Uint, bits: 32, desc: "On an echo request, the frame of its reply: never set, as in tshark -r (one pass); filter replies with icmpv6.resp_to", example: "icmpv6.resp_in", get: never},
		{name: "icmpv6.no_resp", typ: filter.None, desc: "An echo request no reply answers: never set, as in tshark -r (it takes a second pass)", example: "icmpv6.no_resp", get: never},

		{name: "icmpv6.nd.ra.cur_hop_limit", typ: filter.Uint, bits: 8, desc: "Router advertisement: the hop limit hosts should use", example: "icmpv6.nd.ra.cur_hop_limit == 64", get: icmp6Num(134, 0, 1, 0)},
		{name: "icmpv6.nd.ra.flag", typ: filter.Uint, bits: 8, hex: 2, desc: "Router advertisement: the flags byte (M 0x80, O 0x40, H 0x20, Prf 0x18, P 0x04)", example: "icmpv6.nd.ra.flag & 0xc0", get: icmp6Num(134, 1, 1, 0)},
		{name: "icmpv6.nd.ra.flag.m", typ: filter.Bool, named: true, desc: "Router advertisement: managed address configuration (addresses from DHCPv6)", example: "icmpv6.nd.ra.flag.m == 1", get: icmp6Num(134, 1, 1, 0x80)},
		{name: "icmpv6.nd.ra.flag.o", typ: filter.Bool, named: true, desc: "Router advertisement: other configuration (other information from DHCPv6)", example: "icmpv6.nd.ra.flag.o == 1", get: icmp6Num(134, 1, 1, 0x40)},
		{name: "icmpv6.nd.ra.flag.h", typ: filter.Bool, named: true, desc: "Router advertisement: the router is a Mobile IPv6 home agent", example: "icmpv6.nd.ra.flag.h == 1", get: icmp6Num(134, 1, 1, 0x20)},
		{name: "icmpv6.nd.ra.flag.prf", typ: filter.Uint, bits: 8, named: true, desc: "Router advertisement: default router preference (0 medium, 1 high, 3 low)", example: "icmpv6.nd.ra.flag.prf == 1", get: icmp6Num(134, 1, 1, 0x18)},
		{name: "icmpv6.nd.ra.flag.p", typ: filter.Bool, named: true, desc: "Router advertisement: proxy flag", example: "icmpv6.nd.ra.flag.p == 1", get: icmp6Num(134, 1, 1, 0x04)},
		{name: "icmpv6.nd.ra.flag.rsv", typ: filter.Uint, bits: 8, desc: "Router advertisement: the reserved flag bits", example: "icmpv6.nd.ra.flag.rsv != 0", get: icmp6Num(134, 1, 1, 0x03)},
		{name: "icmpv6.nd.ra.router_lifetime", typ: filter.Uint, bits: 16, desc: "Router advertisement: seconds the router is a default router (0: not one)", example: "icmpv6.nd.ra.router_lifetime == 0", get: icmp6Num(134, 2, 2, 0)},
		{name: "icmpv6.nd.ra.reachable_time", typ: filter.Uint, bits: 32, desc: "Router advertisement: milliseconds a neighbor is reachable after a confirmation", example: "icmpv6.nd.ra.reachable_time > 0", get: icmp6Num(134, 4, 4, 0)},
		{name: "icmpv6.nd.ra.retrans_timer", typ: filter.Uint, bits: 32, desc: "Router advertisement: milliseconds between neighbor solicitations", example: "icmpv6.nd.ra.retrans_timer > 0", get: icmp6Num(134, 8, 4, 0)},
		{name: "icmpv6.nd.ns.target_address", typ: filter.IPv6, desc: "Neighbor solicitation: the address whose link-layer address is asked", example: "icmpv6.nd.ns.target_address == 2001:db8::1", get: icmp6Addr(135, 4)},
		{name: "icmpv6.nd.na.flag", typ: filter.Uint, bits: 32, hex: 8, desc: "Neighbor advertisement: the flags word (R 0x80000000, S 0x40000000, O 0x20000000)", example: "icmpv6.nd.na.flag == 0x60000000", get: icmp6Num(136, 0, 4, 0)},
		{name: "icmpv6.nd.na.flag.r", typ: filter.Bool, named: true, desc: "Neighbor advertisement: the sender is a router", example: "icmpv6.nd.na.flag.r == 1", get: icmp6Num(136, 0, 4, 0x80000000)},
		{name: "icmpv6.nd.na.flag.s", typ: filter.Bool, named: true, desc: "Neighbor advertisement: solicited (it answers a neighbor solicitation)", example: "icmpv6.nd.na.flag.s == 0", get: icmp6Num(136, 0, 4, 0x40000000)},
		{name: "icmpv6.nd.na.flag.o", typ: filter.Bool, named: true, desc: "Neighbor advertisement: override the cached link-layer address", example: "icmpv6.nd.na.flag.o == 1", get: icmp6Num(136, 0, 4, 0x20000000)},
		{name: "icmpv6.nd.na.flag.rsv", typ: filter.Uint, bits: 32, desc: "Neighbor advertisement: the reserved flag bits", example: "icmpv6.nd.na.flag.rsv != 0", get: icmp6Num(136, 0, 4, 0x1fffffff)},
		{name: "icmpv6.nd.na.target_address", typ: filter.IPv6, desc: "Neighbor advertisement: the address advertised", example: "icmpv6.nd.na.target_address == 2001:db8::1", get: icmp6Addr(136, 4)},
		{name: "icmpv6.nd.rd.target_address", typ: filter.IPv6, desc: "Redirect: the better first hop", example: "icmpv6.nd.rd.target_address == fe80::1", get: icmp6Addr(137, 4)},
		{name: "icmpv6.rd.na.destination_address", typ: filter.IPv6, desc: "Redirect: the destination redirected (Wireshark's name)", example: "icmpv6.rd.na.destination_address == 2001:db8::80", get: icmp6Addr(137, 20)},

		{name: "icmpv6.opt", typ: filter.None, desc: "A neighbor discovery option (one occurrence each)", example: "icmpv6.opt", get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value { return append(dst, filter.Value{}) })},
		{name: "icmpv6.opt.type", typ: filter.Uint, bits: 8, named: true, desc: "Option type: 1 source and 2 target link-layer address, 3 prefix information, 4 redirected header, 5 MTU, 14 nonce, 24 route information, 25 RDNSS, 31 DNSSL", example: "icmpv6.opt.type == 1",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value { return u(dst, uint64(o[0])) })},
		{name: "icmpv6.opt.length", typ: filter.Uint, bits: 8, desc: "Option length, in units of 8 bytes", example: "icmpv6.opt.length > 1",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value { return u(dst, uint64(o[1])) })},
		{name: "icmpv6.opt.reserved", typ: filter.None, desc: "An option's reserved bytes (prefix information, redirected header, MTU, advertisement interval, home agent, RDNSS, DNSSL)", example: "icmpv6.opt.reserved",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
				switch o[0] {
				case 3, 4, 5, 7, 8, 25, 31:
					dst = append(dst, filter.Value{})
				}
				return dst
			})},
		{name: "icmpv6.opt.padding", typ: filter.None, desc: "The zero bytes ending a DNSSL option", example: "icmpv6.opt.padding",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
				if o[0] == 31 && dnsslPadded(o) {
					dst = append(dst, filter.Value{})
				}
				return dst
			})},
		{name: "icmpv6.opt.linkaddr", typ: filter.Bytes, colon: true, desc: "A source or target link-layer address option's address", example: "icmpv6.opt.linkaddr == 02:00:00:00:00:01", get: icmp6LinkAddr(0)},
		{name: "icmpv6.opt.src_linkaddr", typ: filter.Bytes, colon: true, desc: "Source link-layer address option: the sender's MAC address", example: "icmpv6.opt.src_linkaddr == 02:00:00:00:00:01", get: icmp6LinkAddr(1)},
		{name: "icmpv6.opt.target_linkaddr", typ: filter.Bytes, colon: true, desc: "Target link-layer address option: the target's MAC address", example: "icmpv6.opt.target_linkaddr == 02:00:00:00:00:01", get: icmp6LinkAddr(2)},
		{name: "icmpv6.opt.prefix.length", typ: filter.Uint, bits: 8, desc: "Prefix information or route information: the prefix length", example: "icmpv6.opt.prefix.length == 64",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
				if (o[0] == 3 || o[0] == 24) && len(o) > 2 {
					dst = u(dst, uint64(o[2]))
				}
				return dst
			})},
		{name: "icmpv6.opt.prefix.flag", typ: filter.Uint, bits: 8, hex: 2, desc: "Prefix information: the flags byte (L 0x80, A 0x40, R 0x20)", example: "icmpv6.opt.prefix.flag == 0xc0", get: icmp6OptNum(3, 3, 1, 0)},
		{name: "icmpv6.opt.prefix.flag.l", typ: filter.Bool, named: true, desc: "Prefix information: on-link", example: "icmpv6.opt.prefix.flag.l == 1", get: icmp6OptNum(3, 3, 1, 0x80)},
		{name: "icmpv6.opt.prefix.flag.a", typ: filter.Bool, named: true, desc: "Prefix information: autonomous address configuration (SLAAC)", example: "icmpv6.opt.prefix.flag.a == 1", get: icmp6OptNum(3, 3, 1, 0x40)},
		{name: "icmpv6.opt.prefix.flag.r", typ: filter.Bool, named: true, desc: "Prefix information: the prefix is the router's address", example: "icmpv6.opt.prefix.flag.r == 1", get: icmp6OptNum(3, 3, 1, 0x20)},
		{name: "icmpv6.opt.prefix.flag.reserved", typ: filter.Uint, bits: 8, desc: "Prefix information: the reserved flag bits", example: "icmpv6.opt.prefix.flag.reserved != 0", get: icmp6OptNum(3, 3, 1, 0x1f)},
		{name: "icmpv6.opt.prefix.valid_lifetime", typ: filter.Uint, bits: 32, named: true, desc: "Prefix information: seconds the prefix is valid (0xffffffff: forever)", example: "icmpv6.opt.prefix.valid_lifetime > 0", get: icmp6OptNum(3, 4, 4, 0)},
		{name: "icmpv6.opt.prefix.preferred_lifetime", typ: filter.Uint, bits: 32, named: true, desc: "Prefix information: seconds addresses from the prefix stay preferred", example: "icmpv6.opt.prefix.preferred_lifetime > 0", get: icmp6OptNum(3, 8, 4, 0)},
		{name: "icmpv6.opt.prefix", typ: filter.IPv6, desc: "Prefix information or route information: the prefix", example: "icmpv6.opt.prefix == 2001:db8::",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
				switch {
				case o[0] == 3 && len(o) >= 32:
					dst = append(dst, filter.Value{B: o[16:32]})
				case o[0] == 24 && o[1] == 2 && len(o) >= 16:
					dst = append(dst, filter.Value{B: append(append(make([]byte, 0, 16), o[8:16]...), make([]byte, 8)...)})
				case o[0] == 24 && o[1] == 3 && len(o) >= 24:
					dst = append(dst, filter.Value{B: o[8:24]})
				}
				return dst
			})},
		{name: "icmpv6.opt.mtu", typ: filter.Uint, bits: 32, desc: "MTU option: the link's MTU", example: "icmpv6.opt.mtu == 1500", get: icmp6OptNum(5, 4, 4, 0)},
		{name: "icmpv6.opt.nonce", typ: filter.Bytes, desc: "Nonce option (duplicate address detection): the random bytes", example: "icmpv6.opt.nonce",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
				if o[0] == 14 && len(o) > 2 {
					dst = append(dst, filter.Value{B: o[2:]})
				}
				return dst
			})},
		{name: "icmpv6.opt.route_info.flag", typ: filter.Uint, bits: 8, hex: 2, desc: "Route information: the flags byte (preference 0x18)", example: "icmpv6.opt.route_info.flag == 0x08", get: icmp6OptNum(24, 3, 1, 0)},
		{name: "icmpv6.opt.route_info.flag.route_preference", typ: filter.Uint, bits: 8, named: true, desc: "Route information: the route's preference (0 medium, 1 high, 3 low)", example: "icmpv6.opt.route_info.flag.route_preference == 1", get: icmp6OptNum(24, 3, 1, 0x18)},
		{name: "icmpv6.opt.route_info.flag.reserved", typ: filter.Uint, bits: 8, desc: "Route information: the reserved flag bits", example: "icmpv6.opt.route_info.flag.reserved != 0", get: icmp6OptNum(24, 3, 1, 0xe7)},
		{name: "icmpv6.opt.route_lifetime", typ: filter.Uint, bits: 32, named: true, desc: "Route information: seconds the route is valid", example: "icmpv6.opt.route_lifetime > 0", get: icmp6OptNum(24, 4, 4, 0)},
		{name: "icmpv6.opt.advertisement_interval", typ: filter.Uint, bits: 32, desc: "Advertisement interval option: the most milliseconds between unsolicited router advertisements", example: "icmpv6.opt.advertisement_interval > 0", get: icmp6OptNum(7, 4, 4, 0)},
		{name: "icmpv6.opt.home_agent_preference", typ: filter.Uint, bits: 16, desc: "Home agent information option: the home agent's preference", example: "icmpv6.opt.home_agent_preference > 0", get: icmp6OptNum(8, 4, 2, 0)},
		{name: "icmpv6.opt.home_agent_lifetime", typ: filter.Uint, bits: 16, desc: "Home agent information option: its lifetime, in seconds", example: "icmpv6.opt.home_agent_lifetime > 0", get: icmp6OptNum(8, 6, 2, 0)},
		{name: "icmpv6.opt.rdnss.lifetime", typ: filter.Uint, bits: 32, named: true, desc: "Recursive DNS server option: seconds the servers may be used", example: "icmpv6.opt.rdnss.lifetime > 0", get: icmp6OptNum(25, 4, 4, 0)},
		{name: "icmpv6.opt.rdnss", typ: filter.IPv6, desc: "Recursive DNS server option: each server's address", example: "icmpv6.opt.rdnss == 2001:db8::53",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
				if o[0] == 25 {
					for off := 8; off+16 <= len(o); off += 16 {
						dst = append(dst, filter.Value{B: o[off : off+16]})
					}
				}
				return dst
			})},
		{name: "icmpv6.opt.dnssl.lifetime", typ: filter.Uint, bits: 32, named: true, desc: "DNS search list option: seconds the names may be used", example: "icmpv6.opt.dnssl.lifetime > 0", get: icmp6OptNum(31, 4, 4, 0)},
		{name: "icmpv6.opt.dnssl", typ: filter.String, desc: "DNS search list option: each domain name", example: `icmpv6.opt.dnssl == "example.com"`,
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
				if o[0] == 31 {
					dnsslNames(o, func(name []byte) { dst = append(dst, filter.Value{B: name}) })
				}
				return dst
			})},
		{name: "icmpv6.opt.pref64.scaled_lifetime", typ: filter.Uint, bits: 16, desc: "PREF64 option: the NAT64 prefix's lifetime, in units of 8 seconds", example: "icmpv6.opt.pref64.scaled_lifetime > 0", get: icmp6OptNum(38, 2, 2, 0xfff8)},
		{name: "icmpv6.opt.pref64.plc", typ: filter.Uint, bits: 16, hex: 4, named: true, desc: "PREF64 option: the prefix length code (0 /96, 1 /64, 2 /56, 3 /48, 4 /40, 5 /32)", example: "icmpv6.opt.pref64.plc == 0", get: icmp6OptNum(38, 2, 2, 0x7)},
		{name: "icmpv6.opt.pref64.prefix", typ: filter.IPv6, desc: "PREF64 option: the NAT64 prefix (when the length code is valid)", example: "icmpv6.opt.pref64.prefix == 64:ff9b::",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
				if o[0] == 38 && len(o) >= 16 && o[3]&7 <= 5 {
					dst = append(dst, filter.Value{B: append(append(make([]byte, 0, 16), o[4:16]...), 0, 0, 0, 0)})
				}
				return dst
			})},
		{name: "icmpv6.opt.redirected_packet", typ: filter.None, desc: "Redirected header option: the start of the packet redirected (decoded as an error's quote)", example: "icmpv6.opt.redirected_packet",
			get: icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
				if o[0] == 4 && len(o) > 8 {
					dst = append(dst, filter.Value{})
				}
				return dst
			})},

		{name: "icmpv6.mld.maximum_response_delay", typ: filter.Uint, bits: 16, desc: "MLDv1 query, report or done: the maximum response delay, in milliseconds", example: "icmpv6.mld.maximum_response_delay == 10000",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.icmp6Any(); p.mldVersion() == 1 && len(b) >= 2 {
					dst = u(dst, uint64(be16(b)))
				}
				return dst
			}},
		{name: "icmpv6.mld.maximum_response_code", typ: filter.Uint, bits: 16, desc: "MLDv2 query: the maximum response code", example: "icmpv6.mld.maximum_response_code == 10000", get: mldQuery(0, 2)},
		{name: "icmpv6.mld.multicast_address", typ: filter.IPv6, desc: "MLD query (:: for a general one), v1 report or done: the multicast address", example: "icmpv6.mld.multicast_address == ff02::fb",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if p.mldVersion() > 0 {
					dst = igmpBytes(dst, p.icmp6Any(), 4, 16)
				}
				return dst
			}},
		{name: "icmpv6.mld.flag", typ: filter.Uint, bits: 8, hex: 2, desc: "MLDv2 query: the flags byte (S 0x08, QRV 0x07)", example: "icmpv6.mld.flag == 0x02", get: mldQuery(20, 1)},
		{name: "icmpv6.mld.flag.s", typ: filter.Bool, desc: "MLDv2 query: suppress router-side processing", example: "icmpv6.mld.flag.s == 1", get: mldQueryBits(0x08)},
		{name: "icmpv6.mld.flag.qrv", typ: filter.Uint, bits: 8, desc: "MLDv2 query: the querier's robustness variable", example: "icmpv6.mld.flag.qrv == 2", get: mldQueryBits(0x07)},
		{name: "icmpv6.mld.flag.reserved", typ: filter.Uint, bits: 8, desc: "MLDv2 query: the reserved flag bits", example: "icmpv6.mld.flag.reserved != 0", get: mldQueryBits(0xf0)},
		{name: "icmpv6.mld.qqi", typ: filter.Uint, bits: 8, desc: "MLDv2 query: the querier's query interval code", example: "icmpv6.mld.qqi == 125", get: mldQuery(21, 1)},
		{name: "icmpv6.mld.nb_sources", typ: filter.Uint, bits: 16, desc: "MLDv2 query: the number of source addresses", example: "icmpv6.mld.nb_sources > 0", get: mldQuery(22, 2)},
		{name: "icmpv6.mld.source_address", typ: filter.IPv6, desc: "MLDv2 query: each source address", example: "icmpv6.mld.source_address == 2001:db8::1",
			get: func(p *Packet, dst []filter.Value) []filter.Value {
				if b := p.icmp6Any(); p.mldVersion() == 2 && len(b) >= 24 {
					for i, off := 0, 24; i < int(be16(b[22:])) && off+16 <= len(b); i, off = i+1, off+16 {
						dst = append(dst, filter.Value{B: b[off : off+16]})
					}
				}
				return dst
			}},
		{name: "icmpv6.mldr.nb_mcast_records", typ: filter.Uint, bits: 16, desc: "MLDv2 report: the number of multicast address records", example: "icmpv6.mldr.nb_mcast_records > 1", get: icmp6Num(143, 2, 2, 0)},
		{name: "icmpv6.mldr.mar", typ: filter.None, desc: "MLDv2 report: a multicast address record (one occurrence each)", example: "icmpv6.mldr.mar",
			get: mldRecords(func(dst []filter.Value, r []byte, _ int) []filter.Value { return append(dst, filter.Value{}) })},
		{name: "icmpv6.mldr.mar.record_type", typ: filter.Uint, bits: 8, named: true, desc: "MLDv2 record type: 1 include, 2 exclude, 3 changed to include, 4 changed to exclude, 5 allow new sources, 6 block old sources", example: "icmpv6.mldr.mar.record_type == 4",
			get: mldRecords(func(dst []filter.Value, r []byte, _ int) []filter.Value { return u(dst, uint64(r[0])) })},
		{name: "icmpv6.mldr.mar.aux_data_len", typ: filter.Uint, bits: 8, desc: "MLDv2 record: auxiliary data length, in 32-bit words", example: "icmpv6.mldr.mar.aux_data_len > 0",
			get: mldRecords(func(dst []filter.Value, r []byte, _ int) []filter.Value { return u(dst, uint64(r[1])) })},
		{name: "icmpv6.mldr.mar.nb_sources", typ: filter.Uint, bits: 16, desc: "MLDv2 record: the number of sources", example: "icmpv6.mldr.mar.nb_sources > 0",
			get: mldRecords(func(dst []filter.Value, r []byte, _ int) []filter.Value { return u(dst, uint64(be16(r[2:]))) })},
		{name: "icmpv6.mldr.mar.multicast_address", typ: filter.IPv6, desc: "MLDv2 record: the multicast address", example: "icmpv6.mldr.mar.multicast_address == ff02::fb",
			get: mldRecords(func(dst []filter.Value, r []byte, _ int) []filter.Value { return append(dst, filter.Value{B: r[4:20]}) })},
		{name: "icmpv6.mldr.mar.source_address", typ: filter.IPv6, desc: "MLDv2 record: each source address", example: "icmpv6.mldr.mar.source_address == 2001:db8::1",
			get: mldRecords(func(dst []filter.Value, r []byte, n int) []filter.Value {
				for i := 0; i < n; i++ {
					dst = append(dst, filter.Value{B: r[20+16*i : 36+16*i]})
				}
				return dst
			})},
		{name: "icmpv6.mldr.mar.auxiliary_data", typ: filter.Bytes, desc: "MLDv2 record: the auxiliary data", example: "icmpv6.mldr.mar.auxiliary_data",
			get: mldRecords(func(dst []filter.Value, r []byte, n int) []filter.Value {
				if adl := 4 * int(r[1]); adl > 0 && 20+16*n+adl <= len(r) {
					dst = append(dst, filter.Value{B: r[20+16*n : 20+16*n+adl]})
				}
				return dst
			})},
	},
	info:  func(p *Packet) (string, string) { return "ICMPv6", p.icmp6Info() },
	chain: func(p *Packet, b []byte) []byte { return p.chainQuote(appendProto(b, "icmpv6")) },
}

// icmp6TypeNames are Wireshark's names of the ICMPv6 types, as its Info
// column shows them.
var icmp6TypeNames = map[uint8]string{1: "Destination Unreachable", 2: "Packet Too Big", 3: "Time Exceeded", 4: "Parameter Problem",
	100: "Private experimentation", 101: "Private experimentation", 127: "Reserved for expansion of ICMPv6 error messages",
	128: "Echo (ping) request", 129: "Echo (ping) reply", 130: "Multicast Listener Query", 131: "Multicast Listener Report", 132: "Multicast Listener Done",
	133: "Router Solicitation", 134: "Router Advertisement", 135: "Neighbor Solicitation", 136: "Neighbor Advertisement", 137: "Redirect",
	138: "Router Renumbering", 139: "Node Information Query", 140: "Node Information Reply", 141: "Inverse Neighbor Discovery Solicitation",
	142: "Inverse Neighbor Discovery Advertisement", 143: "Multicast Listener Report Message v2", 144: "Home Agent Address Discovery Request",
	145: "Home Agent Address Discovery Reply", 146: "Mobile Prefix Solicitation", 147: "Mobile Prefix Advertisement", 148: "Certification Path Solicitation",
	149: "Certification Path Advertisement", 150: "Experimental Mobility", 151: "Multicast Router Advertisement", 152: "Multicast Router Solicitation",
	153: "Multicast Router Termination", 154: "FMIPv6", 155: "RPL Control", 156: "Locator Update", 157: "Duplicate Address Request",
	158: "Duplicate Address Confirmation", 159: "MPL Control Message", 160: "Extended Echo request", 161: "Extended Echo reply",
	200: "Private experimentation", 201: "Private experimentation", 255: "Reserved for expansion of ICMPv6 informational messages"}

// icmp6CodeNames are Wireshark's names of the codes of the types whose Info
// column names the code, after the type: "Time Exceeded (hop limit exceeded
// in transit)", "Unknown (5)" for a code it does not name (destination
// unreachable's says "Unknown").
var icmp6CodeNames = map[uint8]map[uint8]string{
	1: {0: "no route to destination", 1: "Administratively prohibited", 2: "Beyond scope of source address", 3: "Address unreachable", 4: "Port unreachable",
		5: "Source address failed ingress/egress policy", 6: "Reject route to destination", 7: "Error in Source Routing Header"},
	3: {0: "hop limit exceeded in transit", 1: "fragment reassembly time exceeded"},
	4: {0: "erroneous header field encountered", 1: "unrecognized Next Header type encountered", 2: "unrecognized IPv6 option encountered",
		3: "IPv6 First Fragment has incomplete IPv6 Header Chain"},
	138: {0: "Command", 1: "Result", 255: "Sequence number reset"},
	139: {0: "Query subject = IPv6 addresses", 1: "Query subject = DNS name or empty", 2: "Query subject = IPv4 addresses"},
	140: {0: "Successful", 1: "Refused", 2: "Unknown query type"},
	155: {0: "DODAG Information Solicitation", 1: "DODAG Information Object", 2: "Destination Advertisement Object", 3: "Destination Advertisement Object Acknowledgment",
		4: "P2P Discovery Reply Object", 5: "P2P Discovery Reply Object Acknowledgement", 0x80: "Secure DODAG Information Solicitation",
		0x81: "Secure DODAG Information Object", 0x82: "Secure Destination Advertisement Object", 0x83: "Secure Destination Advertisement Object Acknowledgment", 0x84: "P2P Secure Discovery Reply Object", 0x85: "P2P Secure Discovery Reply Object Acknowledgement",
		0x8a: "Consistency Check"},
	160: {0: "No error"},
	161: {0: "No error", 1: "Malformed Query", 2: "No Such Interface", 3: "No Such Table Entry", 4: "Multiple Interfaces Satisfy Query"},
}

// icmp6Dissected reports whether Wireshark has a dissector for an ICMPv6
// type (those it has not show their bytes as icmpv6.data).
func icmp6Dissected(t uint8) bool { return t >= 1 && t <= 4 || t >= 128 && t <= 161 }

func (p *Packet) icmp6Info() string {
	c := &p.icmp
	name, ok := icmp6TypeNames[c.typ]
	if !ok {
		name = "Unknown (" + strconv.Itoa(int(c.typ)) + ")"
	}
	b := p.icmp6Any()
	if codes := icmp6CodeNames[c.typ]; codes != nil {
		code, ok := codes[c.code]
		switch {
		case ok:
		case c.typ == 1:
			code = "Unknown"
		default:
			code = "Unknown (" + strconv.Itoa(int(c.code)) + ")"
		}
		name += " (" + code + ")"
	}
	switch c.typ {
	case 128, 129:
		if c.echo {
			name += " id=0x" + string(appendHex(nil, uint64(c.id), 4)) + ", seq=" + strconv.Itoa(int(c.seq)) + ", hop limit=" + strconv.Itoa(int(p.ip6.hlim))
			if c.typ == 129 && c.related > 0 {
				name += " (request in " + strconv.Itoa(c.related) + ")"
			}
		}
	case 135:
		if len(b) >= 20 {
			name += " for " + fmtIPv6(b[4:20])
		}
	case 136:
		if len(b) >= 20 {
			var flags []byte
			for i, f := range [...]string{"rtr, ", "sol, ", "ovr, "} {
				if b[0]&(0x80>>i) != 0 {
					flags = append(flags, f...)
				}
			}
			if len(flags) == 0 {
				flags = []byte("none, ")
			}
			name += " " + fmtIPv6(b[4:20]) + " (" + string(flags[:len(flags)-2]) + ")"
		}
	}
	// Wireshark adds each link-layer address option's address, and stops at
	// an option the frame ends in.
	cut := false
	p.icmp6Options(func(o []byte) {
		switch {
		case len(o) > 2 && len(o) < 8*int(o[1]):
			cut = true
		case (o[0] == 1 || o[0] == 2) && o[1] == 1:
			name += [...]string{" from ", " is at "}[o[0]-1] + string(appendMACBytes(nil, o[2:8]))
		}
	})
	if cut && p.Len <= len(p.Data) {
		name += "[Malformed Packet]"
	}
	return name
}

var echoID = icmpEcho(false)

func appendMACBytes(b, mac []byte) []byte {
	for i, c := range mac {
		if i > 0 {
			b = append(b, ':')
		}
		b = appendHex(b, uint64(c), 2)
	}
	return b
}

func (d *Decoder) fillICMPv6(p *Packet) {
	p.has |= pICMPv6
	x := &d.icmp6
	c := &p.icmp
	c.typ, c.code, c.checksum = x.TypeCode.Type(), x.TypeCode.Code(), x.Checksum
	c.msg = icmpMessage(x.Contents, x.Payload)
	// The checksum's pseudo-header: the addresses of the IPv6 header that
	// carries the message (the final destination when a routing header
	// names it), its length and next header 58.
	ip := &d.ip6
	n := len(ip.Payload) // gopacket decodes hop-by-hop options with the fixed header
	if ip.HopByHop != nil {
		n += ip.HopByHop.ActualLength
	}
	// A message is cut short when the capture's snapshot length cut the
	// frame (bytes fewer than its length on the wire) before the end the
	// IPv6 header gives; a frame that simply ends early is verified as
	// captured, as Wireshark does.
	c.whole = ip.Length == 0 || n >= int(ip.Length) || p.Len <= len(p.Data)
	c.quoted = d.quoted
	dst := ip.DstIP
	if d.routeDst != nil {
		dst = d.routeDst
	}
	if len(ip.SrcIP) == 16 && len(dst) == 16 {
		for i := 0; i < 16; i += 2 {
			c.pseudo += uint32(be16(ip.SrcIP[i:])) + uint32(be16(dst[i:]))
		}
	}
	pl := x.Payload
	switch c.typ {
	case 128, 129:
		if len(pl) >= 4 {
			c.echo, c.id, c.seq = true, be16(pl), be16(pl[2:])
			if len(pl) > 4 {
				p.has |= pData
				p.data = pl[4:]
			}
		}
	case 137:
		// The redirected header option quotes the packet redirected, which
		// Wireshark dissects as an error's quote.
		quoted := false
		p.icmp6Options(func(o []byte) {
			if o[0] == 4 && len(o) > 8 && !quoted {
				quoted = true
				d.decodeQuote(p, o[8:])
			}
		})
	}
	if icmpError(c.typ, true) && len(pl) > 4 {
		d.decodeQuote(p, pl[4:])
	}
}

// icmpMessage is the message gopacket split into its header and payload,
// whole again (the two are one array).
func icmpMessage(hdr, payload []byte) []byte {
	if n := len(hdr) + len(payload); cap(hdr) >= n {
		return hdr[:n]
	}
	return append(append([]byte(nil), hdr...), payload...)
}

// icmp6Checksum is icmpv6.checksum.status.
func (p *Packet) icmp6Checksum() int { return p.icmpChecksum(true) }

// icmpChecksum returns icmp.checksum.status (v6 false) or
// icmpv6.checksum.status: the Internet checksum over the message (and for
// ICMPv6 the pseudo-header) is 1 when it sums to zero, 0 when not, and 2
// (unverified) for a message cut short or quoted in an error.
func (p *Packet) icmpChecksum(v6 bool) int {
	c := &p.icmp
	if c.quoted || !c.whole {
		return 2
	}
	m := c.msg
	n := len(m)
	var sum uint32
	if v6 {
		sum = c.pseudo + uint32(n>>16) + uint32(n&0xffff) + 58
	}
	if onesSum(sum, m) == 0xffff {
		return 1
	}
	return 0
}

// onesSum adds b's 16-bit words (a last odd byte as the high one) to sum in
// ones' complement, folded: the Internet checksum's sum, 0xffff when a
// message with its checksum is intact.
func onesSum(sum uint32, b []byte) uint16 {
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(be16(b[i:]))
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum>>16 != 0 {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

// icmp6Any returns the message after its type, code and checksum.
func (p *Packet) icmp6Any() []byte {
	if len(p.icmp.msg) < 4 {
		return nil
	}
	return p.icmp.msg[4:]
}

// icmp6Num reads the n-byte number at off after the checksum of a message of
// type typ; a mask keeps those bits, shifted down as Wireshark shows them.
func icmp6Num(typ uint8, off, n int, mask uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b := p.icmp6Any(); p.icmp.typ == typ && off+n <= len(b) {
			dst = u(dst, masked(b[off:off+n], mask))
		}
		return dst
	}
}

// masked is the big-endian number b, its bits under mask shifted down (all
// of it for mask 0).
func masked(b []byte, mask uint64) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	if mask != 0 {
		v = v & mask >> bits.TrailingZeros64(mask)
	}
	return v
}

// icmp6Addr reads the IPv6 address at off after the checksum of a message of
// type typ.
func icmp6Addr(typ uint8, off int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if p.icmp.typ == typ {
			dst = igmpBytes(dst, p.icmp6Any(), off, 16)
		}
		return dst
	}
}

// icmp6Options calls fn with each neighbor discovery option of p's message,
// from its type byte: a whole one, or the rest of the message when it is cut
// short, or just its type and length when the length is zero (the last one:
// Wireshark stops there).
func (p *Packet) icmp6Options(fn func(o []byte)) {
	var start int
	switch p.icmp.typ {
	case 133:
		start = 4
	case 134:
		start = 12
	case 135, 136:
		start = 20
	case 137:
		start = 36
	default:
		return
	}
	b := p.icmp6Any()
	if start > len(b) {
		return
	}
	for b = b[start:]; len(b) >= 2; {
		n := 8 * int(b[1])
		switch {
		case n == 0:
			fn(b[:2])
			return
		case n > len(b):
			fn(b)
			return
		}
		fn(b[:n])
		b = b[n:]
	}
}

func icmp6Opts(v func(dst []filter.Value, o []byte) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		p.icmp6Options(func(o []byte) { dst = v(dst, o) })
		return dst
	}
}

// icmp6OptNum reads the n-byte number at off of each option of type typ.
func icmp6OptNum(typ uint8, off, n int, mask uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
		if o[0] == typ && off+n <= len(o) {
			dst = u(dst, masked(o[off:off+n], mask))
		}
		return dst
	})
}

// icmp6LinkAddr reads the MAC address of a source (typ 1) or target (2)
// link-layer address option, or of either (0).
func icmp6LinkAddr(typ uint8) func(p *Packet, dst []filter.Value) []filter.Value {
	return icmp6Opts(func(dst []filter.Value, o []byte) []filter.Value {
		if (o[0] == 1 || o[0] == 2) && (typ == 0 || o[0] == typ) && o[1] == 1 && len(o) >= 8 {
			dst = append(dst, filter.Value{B: o[2:8]})
		}
		return dst
	})
}

// dnsslNames calls fn with each domain name of a DNSSL option (labels, no
// compression) and reports whether zero bytes pad it.
func dnsslNames(o []byte, fn func(name []byte)) (padded bool) {
	for off := 8; off < len(o); {
		if o[off] == 0 {
			return true
		}
		var name []byte
		for off < len(o) {
			l := int(o[off])
			off++
			if l == 0 {
				break
			}
			if l >= 0xc0 || off+l > len(o) {
				return false
			}
			if name != nil {
				name = append(name, '.')
			}
			name = append(name, o[off:off+l]...)
			off += l
		}
		if fn != nil {
			fn(name)
		}
	}
	return false
}

func dnsslPadded(o []byte) bool { return dnsslNames(o, nil) }

// mldVersion is the MLD version of p's message: 131 and 132 are v1, a query
// (130) is v2 when it is 28 bytes or more; 0 for other types.
func (p *Packet) mldVersion() int {
	switch p.icmp.typ {
	case 131, 132:
		return 1
	case 130:
		if len(p.icmp.msg) >= 28 {
			return 2
		}
		return 1
	}
	return 0
}

func mldQuery(off, n int) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b := p.icmp6Any(); p.mldVersion() == 2 && off+n <= len(b) {
			dst = u(dst, masked(b[off:off+n], 0))
		}
		return dst
	}
}

func mldQueryBits(mask uint64) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		if b := p.icmp6Any(); p.mldVersion() == 2 && len(b) > 20 {
			dst = u(dst, masked(b[20:21], mask))
		}
		return dst
	}
}

// mldRecords calls v with each whole multicast address record of an MLDv2
// report (from its first byte to the end of the message) and its number of
// sources; it stops at a record cut short.
func mldRecords(v func(dst []filter.Value, rec []byte, sources int) []filter.Value) func(p *Packet, dst []filter.Value) []filter.Value {
	return func(p *Packet, dst []filter.Value) []filter.Value {
		b := p.icmp6Any()
		if p.icmp.typ != 143 || len(b) < 4 {
			return dst
		}
		off := 4
		for n := int(be16(b[2:])); n > 0 && off+20 <= len(b); n-- {
			r := b[off:]
			sources := int(be16(r[2:]))
			dst = v(dst, r, min(sources, (len(r)-20)/16))
			off += 20 + 16*sources + 4*int(r[1])
		}
		return dst
	}
}
