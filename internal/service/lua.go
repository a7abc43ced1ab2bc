package service

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"path/filepath"

	"go.yaml.in/yaml/v3"
)

// luaKind is a server written in Lua (handle(conn) on listen) or, with
// connect, a lab-side client of the submission's server (run(target)).
var luaKind = Kind{
	Name: "lua",
	Options: []Option{
		{Key: "script", Decode: decodeScript, set: func(s Spec) bool { return s.Script != "" }},
		{Key: "protocol", Decode: decodeProtocol, set: func(s Spec) bool { return s.Protocol != "" }},
	},
	Client:   true,
	Finish:   finishLua,
	validate: validateLua,
	start:    startLua,
}

func decodeScript(d *Decoder, n *yaml.Node, what string, sp *Spec) {
	if p, ok := d.LabPath(n, what+" script"); ok {
		sp.Script = p
		name, _ := d.Str(n, what+" script")
		d.LuaScript(n, what+" script", name, p)
	}
}

func decodeProtocol(d *Decoder, n *yaml.Node, what string, sp *Spec) {
	if s, ok := d.Str(n, what+" protocol"); ok {
		if s != "tcp" && s != "udp" {
			d.Errorf(n, "%s: protocol %q must be tcp or udp", what, s)
		}
		sp.Protocol = s
	}
}

// finishLua asks for the script a lua service runs.
func finishLua(d *Decoder, n *yaml.Node, what string, sp *Spec, has func(string) bool) {
	switch {
	case has("script"):
	case has("connect"):
		d.Errorf(n, "%s: a lua client service needs `script: FILE` (a file defining run(target))", what)
	default:
		d.Errorf(n, "%s: a lua service needs `script: FILE` (a file defining handle(conn))", what)
	}
}

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
