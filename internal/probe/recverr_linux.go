//go:build linux

package probe

import "syscall"

// recvErr is a net.Dialer Control that sets IP_RECVERR (IPV6_RECVERR): the
// kernel then reports every ICMP error to the connected UDP socket, where by
// default it reports only port, protocol and administrative unreachables
// (not host or network unreachable).
func recvErr(network, address string, c syscall.RawConn) error {
	var serr error
	err := c.Control(func(fd uintptr) {
		if network == "udp6" {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IPV6, syscall.IPV6_RECVERR, 1)
		} else {
			serr = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_IP, syscall.IP_RECVERR, 1)
		}
	})
	if err != nil {
		return err
	}
	return serr
}
