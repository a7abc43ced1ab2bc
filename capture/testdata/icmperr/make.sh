#!/bin/sh
# Records icmperr.pcap: ICMP and ICMPv6 errors, each quoting the header of the
# packet that caused it, between network namespaces this script makes (nothing
# else is reachable from them): client 10.77.5.2 - router - server 10.77.6.2
# (fd77:5::2 - fd77:6::2), the link toward the server with an MTU of 1000.
# The capture is the router's interface toward the client. The client
# (probes.py) sends a UDP traceroute (time exceeded from the router, port
# unreachable from the server), a ping with TTL 1 (the quote is an ICMP echo),
# a TCP SYN the server rejects with admin-prohibited (the quote is a TCP
# header with its options), a UDP datagram to an network the router refuses
# (network unreachable), a 1400-byte datagram with DF (fragmentation needed), and the
# same over IPv6 (hop limit exceeded, port unreachable, packet too big), then a
# SYN for each other code nft's reject sends.
# Needs root, ip, nft, tcpdump and python3. Run from this directory: sh make.sh.
set -e
p=wlicmp$$
ip netns add $p-c
ip netns add $p-r
ip netns add $p-s
trap "ip netns del $p-c; ip netns del $p-r; ip netns del $p-s" EXIT
ip -n $p-r link add c address 02:00:00:00:05:01 type veth peer name eth0 address 02:00:00:00:05:02 netns $p-c
ip -n $p-r link add s address 02:00:00:00:06:01 type veth peer name eth0 address 02:00:00:00:06:02 netns $p-s
ip -n $p-c addr add 10.77.5.2/24 dev eth0
ip -n $p-r addr add 10.77.5.1/24 dev c
ip -n $p-r addr add 10.77.6.1/24 dev s
ip -n $p-s addr add 10.77.6.2/24 dev eth0
ip -n $p-c addr add fd77:5::2/64 dev eth0 nodad
ip -n $p-r addr add fd77:5::1/64 dev c nodad
ip -n $p-r addr add fd77:6::1/64 dev s nodad
ip -n $p-s addr add fd77:6::2/64 dev eth0 nodad
for n in c r s; do ip -n $p-$n link set lo up; done
ip -n $p-r link set s mtu 1280
ip -n $p-s link set eth0 mtu 1280
ip -n $p-c link set eth0 up
ip -n $p-s link set eth0 up
ip -n $p-r link set c up
ip -n $p-r link set s up
ip -n $p-c route add default via 10.77.5.1
ip -n $p-s route add default via 10.77.6.1
ip -n $p-c -6 route add default via fd77:5::1
ip -n $p-s -6 route add default via fd77:6::1
ip netns exec $p-r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
# Rate limits off: every probe gets its error.
ip netns exec $p-c sysctl -qw net.ipv4.ping_group_range="0 2147483647"
for n in r s; do ip netns exec $p-$n sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0; done
# The router answers for 10.77.9.0/24 with network unreachable (nft: ip_error's
# own rate limit would drop the first one).
ip -n $p-r route add 10.77.9.0/24 via 10.77.6.2
ip netns exec $p-r nft add table inet f
ip netns exec $p-r nft add chain inet f fw "{ type filter hook forward priority 0; }"
ip netns exec $p-r nft add rule inet f fw ip daddr 10.77.9.0/24 reject with icmp type net-unreachable
ip netns exec $p-s nft add table inet f
ip netns exec $p-s nft add chain inet f in "{ type filter hook input priority 0; }"
ip netns exec $p-s nft add rule inet f in tcp dport 8000 reject with icmp type admin-prohibited
ip netns exec $p-s nft add rule inet f in tcp dport 8001 reject with icmpv6 type admin-prohibited
# One SYN for each other code (probes.py: 8002-8005, 8011-8014).
port=8002
for c in host-unreachable prot-unreachable net-prohibited host-prohibited; do
	ip netns exec $p-s nft add rule inet f in tcp dport $port reject with icmp type $c
	port=$((port + 1))
done
port=8011
for c in no-route addr-unreachable policy-fail reject-route; do
	ip netns exec $p-s nft add rule inet f in tcp dport $port reject with icmpv6 type $c
	port=$((port + 1))
done
ip netns exec $p-r tcpdump -q -i c -U -w icmperr.pcap 'not (icmp6 and ip6[40] >= 133 and ip6[40] <= 137)' 2>/dev/null &
dump=$!
sleep 1
ip netns exec $p-c python3 probes.py
sleep 1
kill $dump
wait $dump || true
