#!/bin/sh
# Records the loss captures: real TCP connections between network namespaces
# this script makes (nothing else is reachable from them), where nftables drops
# some segments. Needs root, ip, nft, tcpdump and python3. Run from this
# directory: sh make.sh; the tests compare wirelab with tshark on the result.
# The drops are random: each run records different captures.
#
# Loopback captures (one namespace): a drop after the capture point shows both
# copies of a segment (retransmission, spurious retransmission, duplicate
# ACKs). A drop before it is no loss at all on loopback: the sender's own
# stack refuses the segment and sends it again at once.
#
# Routed captures (client - router - server): the router forwards and drops,
# and the capture is its interface toward the server, so client data dropped
# by the router is a gap (previous segment not captured, ACKed unseen segment)
# and server data it drops was captured (retransmission).
set -e
# ONLY="a b" records only the named captures.
only() { [ -z "$ONLY" ] || case " $ONLY " in *" $1 "*) ;; *) return 1 ;; esac; }
loop() {
	only $1 || return 0
	name=$1 sysctls=$2 rules=$3
	unshare -n sh -c "
		ip link set lo up
		ip link set lo mtu 1500
		$sysctls
		nft add table inet loss
		nft add chain inet loss in '{ type filter hook input priority 0; }'
		$rules
		tcpdump -q -i lo -s 96 -U -w $name.pcap tcp port 8000 2>/dev/null &
		sleep 1
		python3 peers.py $name
		sleep 1
		kill \$!
		wait
	"
}
routed() {
	only $1 || return 0
	name=$1 rules=$2 p=wlloss$$
	ip netns add $p-c
	ip netns add $p-r
	ip netns add $p-s
	trap "ip netns del $p-c; ip netns del $p-r; ip netns del $p-s" EXIT
	ip -n $p-r link add c type veth peer name eth0 netns $p-c
	ip -n $p-r link add s type veth peer name eth0 netns $p-s
	ip -n $p-c addr add 10.77.1.2/24 dev eth0
	ip -n $p-r addr add 10.77.1.1/24 dev c
	ip -n $p-r addr add 10.77.2.1/24 dev s
	ip -n $p-s addr add 10.77.2.2/24 dev eth0
	for n in c r s; do ip -n $p-$n link set lo up; done
	ip -n $p-c link set eth0 up
	ip -n $p-s link set eth0 up
	ip -n $p-r link set c up
	ip -n $p-r link set s up
	ip -n $p-c route add default via 10.77.1.1
	ip -n $p-s route add default via 10.77.2.1
	ip netns exec $p-r sysctl -qw net.ipv4.ip_forward=1
	for n in c s; do ip netns exec $p-$n ethtool -K eth0 tso off gso off gro off 2>/dev/null || true; done
	ip netns exec $p-r nft add table inet loss
	ip netns exec $p-r nft add chain inet loss forw "{ type filter hook forward priority 0; }"
	for r in "$rules"; do ip netns exec $p-r sh -c "$r"; done
	ip netns exec $p-r tcpdump -q -i s -s 96 -U -w $name.pcap tcp port 8000 2>/dev/null &
	dump=$!
	sleep 1
	ip netns exec $p-s python3 peers.py $name 10.77.2.2 server &
	srv=$!
	ip netns exec $p-c python3 peers.py $name 10.77.2.2 client
	wait $srv
	sleep 1
	kill $dump
	wait $dump || true
	ip netns del $p-c; ip netns del $p-r; ip netns del $p-s
	trap - EXIT
}
# Data segments dropped after the capture point.
loop loss "" "nft add rule inet loss in tcp dport 8000 numgen random mod 40 0 drop"
# The same without SACK and timestamps: runs of duplicate ACKs.
loop loss-nosack "sysctl -qw net.ipv4.tcp_sack=0 net.ipv4.tcp_timestamps=0" "nft add rule inet loss in tcp dport 8000 numgen random mod 30 0 drop"
# Small writes, each the tail of what is in flight: losses end in timeouts.
loop rto "" "nft add rule inet loss in tcp dport 8000 numgen random mod 4 0 drop; nft add rule inet loss in tcp sport 8000 numgen random mod 5 0 drop"
loop zerowin "" ""
loop keepalive "" "nft add rule inet loss in tcp sport 8000 tcp flags == ack numgen random mod 3 0 drop"
# Gaps: the router drops client data and server ACKs.
routed gap "nft add rule inet loss forw tcp dport 8000 numgen random mod 30 0 drop; nft add rule inet loss forw tcp sport 8000 numgen random mod 30 0 drop"
routed rto-gap "nft add rule inet loss forw tcp dport 8000 numgen random mod 5 0 drop"
# A capture that starts mid-connection: ACKed unseen segments.
if only midstream; then editcap -r gap.pcap midstream.pcap 60-400; fi
