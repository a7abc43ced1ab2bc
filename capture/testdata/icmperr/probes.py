# The client of make.sh: each probe draws one ICMP or ICMPv6 error.
import socket, time

S4, S6 = "10.77.6.2", "fd77:6::2"


def udp(dst, port, ttl, payload, v6=False, df=False):
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
    if v6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, ttl)
    else:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    if df:
        # IP_PMTUDISC_PROBE: DF set, the local MTU guess ignored.
        s.setsockopt(socket.IPPROTO_IP if not v6 else socket.IPPROTO_IPV6, 10 if not v6 else 23, 3)
    s.sendto(payload, (dst, port))
    time.sleep(0.2)
    s.close()


def ping(dst, ttl):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
    s.sendto(b"\x08\x00\x00\x00\x00\x07\x00\x01" + b"wirelab ping", (dst, 0))
    time.sleep(0.2)
    s.close()


def syn(dst, port, v6=False):
    s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1)
    try:
        s.connect((dst, port))
    except OSError:
        pass
    s.close()


# A UDP traceroute: TTL 1 expires at the router, TTL 2 reaches the server's closed port.
for ttl in (1, 2):
    udp(S4, 33434 + ttl, ttl, b"traceroute probe")
ping(S4, 1)
syn(S4, 8000)
udp("10.77.9.9", 33500, 64, b"no route")
udp(S4, 9999, 64, b"x" * 1400, df=True)
udp(S6, 33434, 1, b"traceroute6 probe", v6=True)
udp(S6, 33435, 64, b"traceroute6 probe", v6=True)
syn(S6, 8001, v6=True)
udp(S6, 9999, 64, b"y" * 1400, v6=True)
for port in range(8002, 8006):
    syn(S4, port)
for port in range(8011, 8015):
    syn(S6, port, v6=True)
