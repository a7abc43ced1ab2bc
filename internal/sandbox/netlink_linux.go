package sandbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"unsafe"
)

// The namespace's network is configured with rtnetlink through the syscall
// package: no dependency on the ip binary, nothing to install.

const (
	ifaFlags  = 8    // IFA_FLAGS
	ifaFNoDAD = 0x02 // IFA_F_NODAD
)

type nlConn struct {
	fd  int
	seq uint32
}

func openNetlink() (*nlConn, error) {
	fd, err := syscall.Socket(syscall.AF_NETLINK, syscall.SOCK_RAW|syscall.SOCK_CLOEXEC, syscall.NETLINK_ROUTE)
	if err != nil {
		return nil, fmt.Errorf("netlink socket: %w", err)
	}
	if err := syscall.Bind(fd, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("netlink bind: %w", err)
	}
	return &nlConn{fd: fd}, nil
}

func (c *nlConn) Close() { syscall.Close(c.fd) }

func attr(typ uint16, data []byte) []byte {
	n := 4 + len(data)
	b := make([]byte, (n+3)&^3)
	binary.NativeEndian.PutUint16(b[0:2], uint16(n))
	binary.NativeEndian.PutUint16(b[2:4], typ)
	copy(b[4:], data)
	return b
}

// request sends one message and waits for its acknowledgement.
func (c *nlConn) request(typ, flags uint16, body []byte) error {
	c.seq++
	n := syscall.NLMSG_HDRLEN + len(body)
	msg := make([]byte, n)
	binary.NativeEndian.PutUint32(msg[0:4], uint32(n))
	binary.NativeEndian.PutUint16(msg[4:6], typ)
	binary.NativeEndian.PutUint16(msg[6:8], flags|syscall.NLM_F_REQUEST|syscall.NLM_F_ACK)
	binary.NativeEndian.PutUint32(msg[8:12], c.seq)
	copy(msg[syscall.NLMSG_HDRLEN:], body)
	if err := syscall.Sendto(c.fd, msg, 0, &syscall.SockaddrNetlink{Family: syscall.AF_NETLINK}); err != nil {
		return err
	}
	buf := make([]byte, 8192)
	for {
		rn, _, err := syscall.Recvfrom(c.fd, buf, 0)
		if err != nil {
			return err
		}
		msgs, err := syscall.ParseNetlinkMessage(buf[:rn])
		if err != nil {
			return err
		}
		for _, m := range msgs {
			if m.Header.Seq != c.seq || m.Header.Type != syscall.NLMSG_ERROR {
				continue
			}
			if len(m.Data) < 4 {
				return errors.New("short netlink ack")
			}
			if e := int32(binary.NativeEndian.Uint32(m.Data[0:4])); e != 0 {
				return syscall.Errno(-e)
			}
			return nil
		}
	}
}

// linkUp sets IFF_UP on the interface.
func (c *nlConn) linkUp(index int) error {
	var ifi syscall.IfInfomsg
	ifi.Family = syscall.AF_UNSPEC
	ifi.Index = int32(index)
	ifi.Flags = syscall.IFF_UP
	ifi.Change = syscall.IFF_UP
	b := (*[syscall.SizeofIfInfomsg]byte)(unsafe.Pointer(&ifi))[:]
	return c.request(syscall.RTM_NEWLINK, 0, b)
}

// addAddr adds a host address (/32 or /128) to the interface.
func (c *nlConn) addAddr(index int, a netip.Addr) error {
	var ifa syscall.IfAddrmsg
	ifa.Index = uint32(index)
	ifa.Flags = ifaFNoDAD
	if a.Is4() {
		ifa.Family = syscall.AF_INET
		ifa.Prefixlen = 32
	} else {
		ifa.Family = syscall.AF_INET6
		ifa.Prefixlen = 128
	}
	body := append([]byte(nil), (*[syscall.SizeofIfAddrmsg]byte)(unsafe.Pointer(&ifa))[:]...)
	raw := a.AsSlice()
	body = append(body, attr(syscall.IFA_LOCAL, raw)...)
	body = append(body, attr(syscall.IFA_ADDRESS, raw)...)
	var fl [4]byte
	binary.NativeEndian.PutUint32(fl[:], ifaFNoDAD)
	body = append(body, attr(ifaFlags, fl[:])...)
	return c.request(syscall.RTM_NEWADDR, syscall.NLM_F_CREATE|syscall.NLM_F_EXCL, body)
}

// setupNetwork brings the namespace's loopback up and puts every lab address on
// it. Loopback rather than a dummy interface: traffic between two lab hosts then
// stays on the one interface the capture watches, the kernel answers for every
// address on it, and a fresh namespace has no other interface and no route, so
// anything else is unreachable.
func setupNetwork(addrs []netip.Addr) error {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		return fmt.Errorf("no loopback interface in the namespace: %w", err)
	}
	c, err := openNetlink()
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.linkUp(lo.Index); err != nil {
		return fmt.Errorf("bringing lo up: %w", err)
	}
	for _, a := range addrs {
		a = a.Unmap()
		if a.IsLoopback() {
			continue // ::1 and 127.0.0.0/8 come with lo
		}
		if err := c.addAddr(lo.Index, a); err != nil && !errors.Is(err, syscall.EEXIST) {
			return fmt.Errorf("adding %s to lo: %w", a, err)
		}
	}
	return nil
}
