package runner

import (
	"path/filepath"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/internal/sandbox"
	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// KindLua: FILE:FUNCTION, a check written in Lua that may give part of its
// points.
const KindLua = "lua"

var luaKind = checkKind{
	name: KindLua,
	decode: func(d *decoder, c *Check, e yamlx.Entry, what string) {
		if s, ok := d.Str(e.V, what+" lua"); ok {
			// FILE:FUNCTION; the last colon splits, so a file name may hold one.
			i := strings.LastIndex(s, ":")
			file, fn := "", ""
			if i >= 0 {
				file, fn = s[:i], s[i+1:]
			}
			if file == "" || !luaName.MatchString(fn) {
				d.Errorf(e.V, "%s: lua %q must be FILE:FUNCTION, like checks.lua:status_code", what, s)
				return
			}
			c.LuaFunc = fn
			tmp := *yamlx.Resolve(e.V)
			tmp.Value = file
			if p, ok := d.labPath(&tmp, what+" lua file"); ok {
				c.LuaFile = p
				if chunk, ok := d.luaCompiles(e.V, what+" lua file", file, p); ok {
					found, defined, dynamic := luaDefines(chunk.stmts, fn)
					if !found && !dynamic {
						list := "it defines no global function"
						if len(defined) > 0 {
							list = "it defines: " + strings.Join(defined, ", ")
						}
						d.Errorf(e.V, "%s: %s defines no function %q (%s)", what, file, fn, list)
					}
				}
			}
		}
	},
	eval:      (*evaluation).luaCheck,
	ownPoints: true,
}

// luaCheck calls an instructor's FUNCTION(ctx) from FILE. ctx has
// packets(filter), output, events and args; the function returns ok,
// message[, points]. Anything going wrong inside is the check's error status.
//
// A lab's Lua is untrusted code: the call runs in the evaluation's check
// worker (sandbox.Checker), a process of its own with no network, a memory
// cap and the check's deadline, killed with SIGKILL when it overstays (a Go
// built-in such as a backtracking string.find does not notice a deadline).
// One worker serves every Lua check of the evaluation.
func (ev *evaluation) luaCheck(c *Check, cr *result.CheckResult) {
	if ev.lua == nil {
		ev.lua = sandbox.NewChecker(ev.checkEnv())
	}
	rep := ev.lua.Run(ev.ctx, sandbox.CheckCall{File: c.LuaFile, Func: c.LuaFunc, Name: c.luaName() + ":" + c.LuaFunc, Points: c.Points})
	cr.Status, cr.Message, cr.Points = rep.Status, rep.Message, rep.Points
	if ev.ctx.Err() != nil {
		cr.Status, cr.Message = result.CheckError, "evaluation was cancelled: "+ev.ctx.Err().Error()
	}
}

// luaTimeout and luaGrace bound a lua check: the time it may run, and how
// long past that it may take to notice before its worker is killed.
// Variables so tests can shorten them.
var (
	luaTimeout = DefaultLuaTimeout
	luaGrace   = time.Second
)

// checkEnv is what the evaluation's Lua checks see.
func (ev *evaluation) checkEnv() sandbox.CheckEnv {
	return sandbox.CheckEnv{
		LabDir:        ev.lab.Dir,
		Args:          ev.lab.Submission.Args,
		Hosts:         ev.lab.Hosts,
		Capture:       ev.res.Artifacts.Capture,
		CaptureFilter: ev.lab.Capture.Filter,
		Output:        ev.output,
		Events:        ev.events,
		Timeout:       luaTimeout,
		Grace:         luaGrace,
	}
}

// closeLua ends the evaluation's check worker, if it started one.
func (ev *evaluation) closeLua() {
	if ev.lua != nil {
		ev.lua.Close()
	}
}

func (c *Check) luaName() string {
	return filepath.Base(c.LuaFile)
}
