package service

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
)

func validateReplay(spec Spec) []error {
	var errs []error
	if spec.Capture == "" {
		errs = append(errs, errors.New("a replay service needs a capture (pcap or pcapng in the lab's folder)"))
	}
	if spec.Stream < 0 {
		errs = append(errs, fmt.Errorf("stream %d is negative; tcp.stream numbers start at 0", spec.Stream))
	}
	return errs
}

func startReplay(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	return nil, errors.New("replay services are not implemented yet")
}
