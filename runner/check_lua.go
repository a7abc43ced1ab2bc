package runner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/netip"
	"path/filepath"
	"time"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/internal/yamlx"
	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/result"
	"strings"
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

// luaCheck calls an instructor's FUNCTION(ctx) from FILE in a sandboxed state
// with a time limit. ctx has packets(filter), output, events and args; the
// function returns ok, message[, points]. Anything going wrong inside is the
// check's error status.
//
// gopher-lua stops a running script when its context ends, but not a Go
// built-in that is still busy (a pathological string.find over a student's
// output): the call runs in its own goroutine, and when it overstays the limit
// by luaGrace the check is an error and evaluation goes on without it. When
// the evaluation itself is cancelled, it is abandoned at once.
func (ev *evaluation) luaCheck(c *Check, cr *result.CheckResult) {
	ctx, cancel := context.WithTimeout(ev.ctx, luaTimeout)
	defer cancel()
	done := make(chan result.CheckResult, 1)
	go func() {
		res := *cr
		defer func() {
			if r := recover(); r != nil {
				res.Status, res.Message = result.CheckError, fmt.Sprintf("%s:%s: internal error: %v", c.luaName(), c.LuaFunc, r)
			}
			done <- res
		}()
		ev.luaCall(ctx, c, &res)
	}()
	select {
	case res := <-done:
		*cr = res
	case <-time.After(luaTimeout + luaGrace):
		cr.Status = result.CheckError
		cr.Message = fmt.Sprintf("%s:%s took longer than %s and was abandoned", c.luaName(), c.LuaFunc, luaTimeout)
	case <-ev.ctx.Done():
		cr.Status, cr.Message = result.CheckError, "evaluation was cancelled: "+ev.ctx.Err().Error()
	}
}

// luaTimeout and luaGrace bound a lua check: the time it may run, and how
// long past that it may take to notice. Variables so tests can shorten them.
var (
	luaTimeout = DefaultLuaTimeout
	luaGrace   = time.Second
)

func (ev *evaluation) luaCall(ctx context.Context, c *Check, cr *result.CheckResult) {
	hosts := map[string]netip.Addr{}
	for _, h := range ev.lab.Hosts {
		hosts[h.Name] = h.Addr
	}
	st, err := lualib.NewState(&lualib.Env{Ctx: ctx, Dirs: []string{ev.lab.Dir}, Args: ev.lab.Submission.Args, LabDir: ev.lab.Dir, Hosts: hosts})
	if err != nil {
		cr.Status, cr.Message = result.CheckError, "cannot start Lua: "+err.Error()
		return
	}
	defer st.Close()
	fail := func(format string, args ...any) {
		cr.Status, cr.Message = result.CheckError, fmt.Sprintf(format, args...)
		if ctx.Err() != nil && ev.ctx.Err() == nil {
			cr.Message = fmt.Sprintf("%s:%s took longer than %s and was stopped", c.luaName(), c.LuaFunc, luaTimeout)
		}
	}
	if err := st.DoFile(c.LuaFile); err != nil {
		fail("loading %s: %v", c.luaName(), err)
		return
	}
	L := st.L
	fn, ok := L.GetGlobal(c.LuaFunc).(*lua.LFunction)
	if !ok {
		fail("%s defines no function %s", c.luaName(), c.LuaFunc)
		return
	}
	arg := ev.luaContext(st)
	L.Push(fn)
	L.Push(arg)
	if err := L.PCall(1, 3, nil); err != nil {
		var ae *lua.ApiError
		msg := err.Error()
		if errors.As(err, &ae) && ae.Object != nil {
			msg = ae.Object.String()
		}
		fail("%s:%s failed: %s", c.luaName(), c.LuaFunc, msg)
		return
	}
	rok, rmsg, rpts := L.Get(-3), L.Get(-2), L.Get(-1)
	L.Pop(3)
	if ctx.Err() != nil {
		fail("%s:%s was stopped", c.luaName(), c.LuaFunc)
		return
	}
	if rok.Type() != lua.LTBool {
		fail("%s:%s returned %s, want ok (true or false), message[, points]", c.luaName(), c.LuaFunc, rok.Type())
		return
	}
	if rmsg != lua.LNil {
		cr.Message = lua.LVAsString(rmsg)
	}
	passed := lua.LVAsBool(rok)
	cr.Status = result.CheckFail
	if passed {
		cr.Status = result.CheckPass
		cr.Points = c.Points
	}
	if n, isNum := rpts.(lua.LNumber); isNum {
		p := float64(n)
		if math.IsNaN(p) || p < 0 {
			p = 0
		}
		cr.Points = math.Min(p, c.Points)
	}
}

func (c *Check) luaName() string {
	return filepath.Base(c.LuaFile)
}

// luaContext builds the table a lua check receives. Its packets are the
// capture module's, the objects a script gets from capture.open.
func (ev *evaluation) luaContext(st *lualib.State) *lua.LTable {
	L := st.L
	t := L.NewTable()
	L.SetField(t, "packets", st.PacketsFunc(ev.pkts))
	L.SetField(t, "output", lua.LString(ev.output))
	events := L.CreateTable(len(ev.events), 0)
	for _, e := range ev.events {
		et := L.NewTable()
		L.SetField(et, "time", lua.LNumber(float64(e.Time.UnixNano())/1e9))
		L.SetField(et, "kind", lua.LString(e.Kind))
		L.SetField(et, "name", lua.LString(e.Name))
		L.SetField(et, "ok", lua.LBool(e.OK))
		L.SetField(et, "message", lua.LString(e.Message))
		events.Append(et)
	}
	L.SetField(t, "events", events)
	if lab, ok := L.GetGlobal("lab").(*lua.LTable); ok {
		L.SetField(t, "args", L.GetField(lab, "args"))
	} else {
		L.SetField(t, "args", L.NewTable())
	}
	return t
}
