//go:build !linux

package netlab

import "errors"

// NS is a network namespace; there are none on this system.
type NS struct{ name string }

// Lab is a built network; none can be built on this system.
type Lab struct{}

var errNoNamespaces = errors.New("lab networks need Linux network namespaces")

// Build fails: network namespaces need Linux.
func Build(spec Spec) (*Lab, error)                                { return nil, errNoNamespaces }
func (n *NS) Name() string                                         { return n.name }
func (n *NS) Do(f func() error) error                              { return errNoNamespaces }
func (n *NS) Socket(d, t, p int) (int, error)                      { return -1, errNoNamespaces }
func (n *NS) Fd() int                                              { return -1 }
func (l *Lab) Host(name string) *NS                                { return nil }
func (l *Lab) Switch() *NS                                         { return nil }
func (l *Lab) Ports(host string) []Port                            { return nil }
func (l *Lab) Close()                                              {}
func (l *Lab) WireStats(point string) (out, in WireStats, ok bool) { return }
