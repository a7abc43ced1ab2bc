package service

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"
)

func validateLua(spec Spec) []error {
	var errs []error
	if spec.Script == "" {
		if spec.Connect != "" {
			errs = append(errs, errors.New("a lua client service needs a script defining run(target)"))
		} else {
			errs = append(errs, errors.New("a lua service needs a script defining handle(conn)"))
		}
	}
	switch spec.Protocol {
	case "", "tcp", "udp":
	default:
		errs = append(errs, fmt.Errorf("protocol %q is not supported; use \"tcp\" or \"udp\"", spec.Protocol))
	}
	return errs
}

func luaScript(spec Spec, env *Env) string {
	script := spec.Script
	if !filepath.IsAbs(script) {
		script = filepath.Join(env.LabDir, script)
	}
	return script
}

func startLua(ctx context.Context, spec Spec, env *Env, ap netip.AddrPort) (Service, error) {
	if env.Lua == nil {
		return nil, errors.New("lua services are not available here")
	}
	return env.Lua(ctx, spec, luaScript(spec, env), ap)
}
