//go:build !linux

package service

import "net"

// acceptQueued is Linux's; elsewhere a listener's queue is left to Close.
func acceptQueued(ln *net.TCPListener) []net.Conn { return nil }
