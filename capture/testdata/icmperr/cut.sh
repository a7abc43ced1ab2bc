#!/bin/sh
# Records cut.pcap: ICMP and ICMPv6 errors whose quote ends inside the TCP or
# UDP header (cut.py sends them from raw sockets in a router namespace this
# script makes, toward a client namespace; nothing else is reachable), as
# routers that quote only the 8 bytes RFC 792 asks for send them. The capture
# is the router's interface. Needs root, ip, tcpdump and python3. Run from
# this directory: sh cut.sh.
set -e
p=wlcut$$
ip netns add $p-c
ip netns add $p-r
trap "ip netns del $p-c; ip netns del $p-r" EXIT
for n in c r; do ip netns exec $p-$n sysctl -qw net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0; done
ip -n $p-r link add c address 02:00:00:00:78:01 type veth peer name eth0 address 02:00:00:00:78:02 netns $p-c
ip -n $p-c addr add 10.78.0.2/24 dev eth0
ip -n $p-r addr add 10.78.0.1/24 dev c
ip -n $p-c addr add fd78::2/64 dev eth0 nodad
ip -n $p-r addr add fd78::1/64 dev c nodad
for n in c r; do ip -n $p-$n link set lo up; done
ip -n $p-c link set eth0 up
ip -n $p-r link set c up
ip -n $p-r neigh add 10.78.0.2 lladdr 02:00:00:00:78:02 dev c
ip -n $p-r neigh add fd78::2 lladdr 02:00:00:00:78:02 dev c
ip netns exec $p-r tcpdump -q -i c -U -w cut.pcap 'icmp or icmp6 or udp' 2>/dev/null &
dump=$!
sleep 1
ip netns exec $p-r python3 cut.py
sleep 1
kill $dump
wait $dump || true
