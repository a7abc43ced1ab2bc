package runner

import (
	"fmt"
	"net"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// A capture filter drops frames before any check sees them, so a check
// whose filter needs a protocol the capture filter never keeps is decided
// before the submission runs: a none check passes, a packet check or a
// sequence step can never be met. `wirelab check` warns about both
// (lint.go); the keeper below answers whether the lab's capture filter keeps
// any frame of a protocol.
//
// It tries the frames the lab's network could carry: between the lab's
// hosts (loopback without hosts) and the addresses the filter names, to and
// from the ports of the lab's services, the filter and the protocol, to
// unicast, broadcast and multicast addresses, at lengths from a bare header
// to 64 KiB. A capture filter that reads bytes (tcp[13], ether[0]), tags
// (vlan, mpls) or MAC addresses depends on more than these vary, so then
// the keeper answers "kept" for every protocol: it warns only when sure.

// keeper answers which protocols a capture filter keeps.
type keeper struct {
	f        *filter.Filter
	opaque   bool // the filter reads what the frames tried do not vary
	v4, v6   []netip.Addr
	ports    []uint16
	memo     map[string]bool
	scratch  gopacket.SerializeBuffer
	wireLens []int
}

// opaqueCapture matches capture filters the keeper cannot reason about.
var opaqueCapture = regexp.MustCompile(`\[|\b(vlan|mpls|pppoe|geneve|ether|link|gateway|protochain)\b`)

// lengthTests matches the capture filter tests that read a frame's length.
var lengthTests = regexp.MustCompile(`\b(len|less|greater)\b`)

// captureNumbers and captureAddrs are the port-like numbers and the IPv4
// and IPv6 addresses (or network prefixes) a capture filter names.
var (
	captureNumbers = regexp.MustCompile(`\b\d{1,5}\b`)
	captureAddrs   = regexp.MustCompile(`\b\d{1,3}(\.\d{1,3}){1,3}\b|[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F:.]*`)
)

// newKeeper returns the keeper of the lab's capture filter, or nil when the
// lab captures everything.
func newKeeper(lab *Lab) *keeper {
	f := lab.captureMatch
	if f == nil {
		return nil
	}
	text := lab.Capture.Filter
	k := &keeper{f: f, opaque: opaqueCapture.MatchString(text), memo: map[string]bool{},
		scratch: gopacket.NewSerializeBuffer(), wireLens: []int{0}}
	if lengthTests.MatchString(text) {
		k.wireLens = []int{0, 100, 1500, 9000, 65535}
	}
	addr := map[netip.Addr]bool{}
	add := func(a netip.Addr) {
		a = a.Unmap()
		if !a.IsValid() || addr[a] {
			return
		}
		addr[a] = true
		if a.Is4() {
			k.v4 = append(k.v4, a)
		} else {
			k.v6 = append(k.v6, a)
		}
	}
	for _, h := range lab.Hosts {
		for _, a := range h.All() {
			add(a)
		}
	}
	for _, m := range captureAddrs.FindAllString(text, -1) {
		if a, err := netip.ParseAddr(m); err == nil {
			add(a)
			add(a.Next())
			continue
		}
		// an abbreviated network: net 10.1 is 10.1.0.0/16
		parts := strings.Split(m, ".")
		for len(parts) < 4 {
			parts = append(parts, "0")
		}
		if a, err := netip.ParseAddr(strings.Join(parts, ".")); err == nil {
			add(a)
			add(a.Next())
		}
	}
	for _, a := range []string{"127.0.0.1", "10.0.0.1", "10.0.0.2", "255.255.255.255", "224.0.0.251", "::1", "fd00::1", "fd00::2", "ff02::1"} {
		add(netip.MustParseAddr(a))
	}
	port := map[uint16]bool{}
	addPort := func(p uint16) {
		if !port[p] {
			port[p] = true
			k.ports = append(k.ports, p)
		}
	}
	for _, m := range captureNumbers.FindAllString(text, -1) {
		if n, err := strconv.Atoi(m); err == nil && n > 0 && n < 65536 {
			addPort(uint16(n))
			if n < 65535 {
				addPort(uint16(n + 1))
			}
		}
	}
	for _, s := range lab.Services {
		for _, ep := range []string{s.Listen, s.Connect} {
			if i := strings.LastIndexByte(ep, ':'); i >= 0 {
				if n, err := strconv.Atoi(ep[i+1:]); err == nil && n > 0 && n < 65536 {
					addPort(uint16(n))
				}
			}
		}
	}
	for _, p := range []uint16{53, 80, 40000} {
		addPort(p)
	}
	return k
}

// keeps reports whether the capture filter keeps some frame carrying the
// protocol named proto (a display filter's protocol: tcp, udp, dns, arp).
// A protocol the keeper does not model (data, vlan, dhcp options ...) is
// kept.
func (k *keeper) keeps(proto string) bool {
	if k == nil || k.opaque {
		return true
	}
	if v, ok := k.memo[proto]; ok {
		return v
	}
	var v bool
	switch proto {
	case "eth", "frame":
		v = k.anyIP(true, true) || k.arp()
	case "ip":
		v = k.anyIP(true, false)
	case "ipv6":
		v = k.anyIP(false, true)
	case "tcp":
		v = k.transport(layers.IPProtocolTCP, nil)
	case "udp":
		v = k.transport(layers.IPProtocolUDP, nil)
	case "icmp":
		v = k.icmp(true)
	case "icmpv6":
		v = k.icmp(false)
	case "arp":
		v = k.arp()
	default:
		rec, ok := capture.Recognise(proto)
		switch {
		case !ok:
			v = true
		case rec.AnyPort:
			v = k.transport(layers.IPProtocolTCP, nil) || k.transport(layers.IPProtocolUDP, nil)
		default:
			v = (len(rec.TCPPorts) > 0 && k.transport(layers.IPProtocolTCP, rec.TCPPorts)) ||
				(len(rec.UDPPorts) > 0 && k.transport(layers.IPProtocolUDP, rec.UDPPorts))
		}
	}
	k.memo[proto] = v
	return v
}

// anyIP reports whether some TCP, UDP or ICMP frame over IPv4 (v4) or IPv6
// (v6) is kept.
func (k *keeper) anyIP(v4, v6 bool) bool {
	return (v4 && (k.transport4(layers.IPProtocolTCP, nil) || k.transport4(layers.IPProtocolUDP, nil) || k.icmp(true))) ||
		(v6 && (k.transport6(layers.IPProtocolTCP, nil) || k.transport6(layers.IPProtocolUDP, nil) || k.icmp(false)))
}

// transport reports whether a TCP or UDP frame is kept, over either IP
// version; with need, one of its ports must be one of need.
func (k *keeper) transport(proto layers.IPProtocol, need []uint16) bool {
	return k.transport4(proto, need) || k.transport6(proto, need)
}

func (k *keeper) transport4(proto layers.IPProtocol, need []uint16) bool {
	return k.pairs(k.v4, func(src, dst netip.Addr) bool {
		return k.ports2(need, func(sp, dp uint16) bool { return k.try(src, dst, proto, sp, dp) })
	})
}

func (k *keeper) transport6(proto layers.IPProtocol, need []uint16) bool {
	return k.pairs(k.v6, func(src, dst netip.Addr) bool {
		return k.ports2(need, func(sp, dp uint16) bool { return k.try(src, dst, proto, sp, dp) })
	})
}

// icmp reports whether an ICMP (v4) or ICMPv6 frame is kept.
func (k *keeper) icmp(v4 bool) bool {
	hosts, proto := k.v6, layers.IPProtocolICMPv6
	if v4 {
		hosts, proto = k.v4, layers.IPProtocolICMPv4
	}
	return k.pairs(hosts, func(src, dst netip.Addr) bool { return k.try(src, dst, proto, 0, 0) })
}

// arp reports whether an ARP frame between two of the addresses is kept.
func (k *keeper) arp() bool {
	return k.pairs(k.v4, func(src, dst netip.Addr) bool {
		for _, bcast := range []bool{true, false} {
			dstMAC := net.HardwareAddr{2, 0, 0, 0, 0, 2}
			if bcast {
				dstMAC = layers.EthernetBroadcast
			}
			eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: dstMAC, EthernetType: layers.EthernetTypeARP}
			a := &layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
				Operation: layers.ARPRequest, SourceHwAddress: eth.SrcMAC, SourceProtAddress: src.AsSlice(),
				DstHwAddress: make([]byte, 6), DstProtAddress: dst.AsSlice()}
			if k.match(eth, a) {
				return true
			}
		}
		return false
	})
}

// pairs calls try for every ordered pair of hosts (a host to itself too:
// loopback) until it returns true.
func (k *keeper) pairs(hosts []netip.Addr, try func(src, dst netip.Addr) bool) bool {
	for _, s := range hosts {
		for _, d := range hosts {
			if try(s, d) {
				return true
			}
		}
	}
	return false
}

// ports2 calls try for port pairs until it returns true: every pair of the
// candidate ports; with need, an application protocol's, one side from need
// and the other the same port or a client's (1024 and up: 53 to 80 is not
// DNS anyone sends).
func (k *keeper) ports2(need []uint16, try func(sp, dp uint16) bool) bool {
	if need == nil {
		for _, a := range k.ports {
			for _, b := range k.ports {
				if try(a, b) {
					return true
				}
			}
		}
		return false
	}
	for _, a := range need {
		if try(a, a) {
			return true
		}
		for _, b := range k.ports {
			if b >= 1024 && (try(a, b) || try(b, a)) {
				return true
			}
		}
	}
	return false
}

// try builds one frame from src to dst and reports whether it is kept, at
// any of the wire lengths tried.
func (k *keeper) try(src, dst netip.Addr, proto layers.IPProtocol, sp, dp uint16) bool {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}}
	var ip gopacket.NetworkLayer
	var ls []gopacket.SerializableLayer
	if src.Is4() {
		eth.EthernetType = layers.EthernetTypeIPv4
		ip4 := &layers.IPv4{Version: 4, TTL: 64, Protocol: proto, SrcIP: src.AsSlice(), DstIP: dst.AsSlice()}
		ip, ls = ip4, []gopacket.SerializableLayer{eth, ip4}
	} else {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip6 := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: proto, SrcIP: src.AsSlice(), DstIP: dst.AsSlice()}
		ip, ls = ip6, []gopacket.SerializableLayer{eth, ip6}
	}
	if dst.IsMulticast() || dst == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		eth.DstMAC = layers.EthernetBroadcast
		if dst.IsMulticast() {
			eth.DstMAC = net.HardwareAddr{1, 0, 0x5e, 0, 0, 0xfb}
			if dst.Is6() {
				eth.DstMAC = net.HardwareAddr{0x33, 0x33, 0, 0, 0, 1}
			}
		}
	}
	switch proto {
	case layers.IPProtocolTCP:
		t := &layers.TCP{SrcPort: layers.TCPPort(sp), DstPort: layers.TCPPort(dp), SYN: true, Window: 65535}
		t.SetNetworkLayerForChecksum(ip)
		ls = append(ls, t)
	case layers.IPProtocolUDP:
		u := &layers.UDP{SrcPort: layers.UDPPort(sp), DstPort: layers.UDPPort(dp)}
		u.SetNetworkLayerForChecksum(ip)
		ls = append(ls, u)
	case layers.IPProtocolICMPv4:
		ls = append(ls, &layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(layers.ICMPv4TypeEchoRequest, 0)})
	case layers.IPProtocolICMPv6:
		c := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(layers.ICMPv6TypeEchoRequest, 0)}
		c.SetNetworkLayerForChecksum(ip)
		ls = append(ls, c, gopacket.Payload([]byte{0, 1, 0, 1}))
	}
	return k.match(ls...)
}

// match serialises the layers and reports whether the filter keeps the
// frame at one of the wire lengths tried.
func (k *keeper) match(ls ...gopacket.SerializableLayer) bool {
	if err := gopacket.SerializeLayers(k.scratch, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		return true // a frame that cannot be built says nothing: assume kept
	}
	data := k.scratch.Bytes()
	for _, n := range k.wireLens {
		if n < len(data) {
			n = len(data)
		}
		if k.f.MatchFrame(data, int(layers.LinkTypeEthernet), n) {
			return true
		}
	}
	return false
}

// dropped returns the first protocol the display filter expr cannot match
// without and the capture filter never keeps, or "".
func (k *keeper) dropped(expr string) string {
	if k == nil || k.opaque {
		return ""
	}
	f, err := capture.Compile(expr)
	if err != nil {
		return "" // the loader reported it
	}
	for _, fld := range f.Required() {
		proto, _, _ := strings.Cut(fld.Name, ".")
		if !k.keeps(proto) {
			return proto
		}
	}
	return ""
}

// droppedWarning is the warning about a check (or its step) whose filter
// needs proto, which the capture filter never keeps: what follows for the
// check, and the way out.
func droppedWarning(lab *Lab, c *Check, where, proto, follows string) string {
	title, ok := capture.Title(proto)
	if !ok {
		title = proto
	}
	return fmt.Sprintf("check %q: %sthe capture filter %q keeps no %s packet, so %s (widen capture.filter, or change the check)", c.Name, where, lab.Capture.Filter, title, follows)
}
