//go:build !linux

package service

import "net"

func newDrainListener(ln *net.TCPListener) net.Listener { return ln }
