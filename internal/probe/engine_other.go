//go:build !linux

package probe

import (
	"context"
	"net/netip"
)

// haveEngine reports whether engineScan exists on this platform.
const haveEngine = false

func engineScan(ctx context.Context, host netip.Addr, ports []int, opt Options, res []Result) error {
	return dialScan(ctx, host, ports, opt, res)
}
