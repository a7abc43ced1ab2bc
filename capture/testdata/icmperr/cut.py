# The router of cut.sh: ICMP and ICMPv6 errors that quote the IP header and
# only the first bytes of the TCP or UDP header after it, as RFC 792 asks (8
# bytes) and as routers that follow it send, sent from raw sockets; then a
# UDP datagram of a flow of its own.
import socket, struct, time

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF

def ip4(src, dst, proto, payload, ttl):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234, 0x4000, ttl, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + payload

def ip6(src, dst, nxt, payload, hlim):
    return struct.pack("!IHBB16s16s", 6 << 28, len(payload), nxt, hlim,
                       socket.inet_pton(socket.AF_INET6, src), socket.inet_pton(socket.AF_INET6, dst)) + payload

TCP = struct.pack("!HHIIBBHHH", 40001, 443, 1000001, 0, 0x50, 0x02, 64240, 0, 0)
UDP = struct.pack("!HHHH", 40002, 33434, 20, 0) + b"wirelab cut"

s4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
def err4(typ, code, quote):
    m = struct.pack("!BBHI", typ, code, 0, 0) + quote
    s4.sendto(m[:2] + struct.pack("!H", csum(m)) + m[4:], ("10.78.0.2", 0))
    time.sleep(0.05)

s6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
def err6(typ, code, quote):
    s6.sendto(struct.pack("!BBHI", typ, code, 0, 0) + quote, ("fd78::2", 0))  # the kernel sums it
    time.sleep(0.05)

# Time exceeded quoting 4, 6, 8 and 12 bytes of a TCP SYN; host unreachable 8.
for n in (4, 6, 8, 12):
    err4(11, 0, ip4("10.78.0.2", "10.78.9.9", 6, TCP, 1)[:20 + n])
err4(3, 1, ip4("10.78.0.2", "10.78.9.9", 6, TCP, 63)[:28])
# Port unreachable quoting 4 and 6 bytes of a UDP header, and all 8.
for n in (4, 6, 8):
    err4(3, 3, ip4("10.78.0.2", "10.78.9.9", 17, UDP, 63)[:20 + n])
# ICMPv6: hop limit exceeded quoting 8 bytes of TCP, port unreachable 4 of UDP.
err6(3, 0, ip6("fd78::2", "fd78:9::9", 6, TCP, 1)[:48])
err6(1, 4, ip6("fd78::2", "fd78:9::9", 17, UDP, 63)[:44])
# A flow of its own after them: its stream is the first.
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.sendto(b"after", ("10.78.0.2", 40003))
time.sleep(0.05)
