package lualib

import (
	"context"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

// A lab's Lua checks grade what a run left behind; they have no business on
// a network. A state with Env.Offline set has none: socket, scan and banner
// are stand-ins whose every use raises Offline, and so is capture.start (a
// live capture would watch the grading machine's loopback); capture.open
// still reads the lab's files.

// goOffline replaces the network modules of an offline state.
func (s *State) goOffline() {
	L := s.L
	g := L.G.Global
	loaded, _ := L.G.Registry.RawGetString("wirelab.loaded").(*lua.LTable)
	for _, name := range []string{"socket", "scan", "banner"} {
		t := s.unavailableTable(name, s.env.Offline)
		g.RawSetString(name, t)
		if loaded != nil {
			loaded.RawSetString(name, t)
		}
	}
	if loaded != nil {
		for alias, name := range aliases {
			loaded.RawSetString(alias, loaded.RawGetString(name))
		}
	}
	if c, ok := g.RawGetString("capture").(*lua.LTable); ok {
		c.RawSetString("start", s.unavailable("capture.start", s.env.Offline))
	}
}

// PacketStream returns a Lua function packets([display_filter]) like
// PacketsFunc's, over a capture read anew by every call: open gives a fresh
// source of its frames, each call decodes it from the first frame (so
// tcp.stream and relative sequence numbers are the file's), keeps the
// packets keep matches (all when keep is nil: a lab's capture filter applied
// to a recorded capture) and hands out those the display filter matches.
// Memory stays that of one packet, whatever the capture's size. A damaged
// capture ends the iteration at the damage; a cancelled context raises.
func (s *State) PacketStream(open func() (capture.Source, error), keep *filter.Filter) *lua.LFunction {
	m := s.capture
	return s.L.NewFunction(func(L *lua.LState) int {
		var f *filter.Filter
		if v, ok := L.Get(1).(lua.LString); !ok || v != "" {
			f = m.displayFilter(L, 1, "packets", false, true)
		}
		src, err := open()
		if err != nil {
			L.RaiseError("reading the capture: %v", err)
		}
		it := &fileIter{src: src, dec: capture.NewDecoder(), f: f}
		it.untrack = s.track(it)
		var k *filter.Filter
		if keep != nil {
			k = keep.Clone()
		}
		finish := func() {
			it.Close()
			it.untrack()
		}
		L.Push(L.NewFunction(func(L *lua.LState) int {
			for !it.done {
				if err := ctxOf(L).Err(); err != nil {
					finish()
					L.RaiseError("reading the capture: %v", context.Cause(ctxOf(L)))
				}
				fr, err := it.src.Next()
				if err != nil {
					// io.EOF, or damage: graded on the packets before it,
					// as Evaluate grades them.
					break
				}
				p := it.dec.Decode(fr)
				if (k == nil || k.Match(p)) && (it.f == nil || it.f.Match(p)) {
					pushPacket(L, p)
					return 1
				}
			}
			finish()
			return 0
		}))
		return 1
	})
}
