//go:build !linux

package sandbox

import (
	"errors"
	"syscall"
)

func sysProcAttr(iso Isolation) (*syscall.SysProcAttr, error) {
	if iso == IsolationNone {
		return &syscall.SysProcAttr{Setpgid: true}, nil
	}
	return nil, errors.New("network namespaces need Linux; on this system pass --isolation=none to run unisolated on the host's loopback")
}

func namespaceError(iso Isolation, err error) string {
	return "cannot start the worker: " + err.Error()
}
