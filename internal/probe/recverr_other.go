//go:build !linux

package probe

import "syscall"

// recvErr does nothing where IP_RECVERR does not exist.
func recvErr(network, address string, c syscall.RawConn) error { return nil }
