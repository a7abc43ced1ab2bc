package lualib

import (
	"sort"
	"syscall"
	"time"
	"unsafe"

	lua "github.com/yuin/gopher-lua"
)

func uintptrOf(p *byte) uintptr { return uintptr(unsafe.Pointer(p)) }

type pollFd struct {
	fd      int32
	events  int16
	revents int16
}

const (
	pollIn  = 0x1
	pollOut = 0x4
	pollErr = 0x8
	pollHup = 0x10
)

// pollSlice bounds one ppoll, so a select notices the run's context ending.
const pollSlice = 50 * time.Millisecond

func ppoll(fds []pollFd, d time.Duration) (int, error) {
	ts := syscall.NsecToTimespec(int64(d))
	var p unsafe.Pointer
	if len(fds) > 0 {
		p = unsafe.Pointer(&fds[0])
	}
	n, _, e := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(p), uintptr(len(fds)),
		uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}

type selEntry struct {
	v  lua.LValue
	k  *sock
	pi int // index into the pollfd array, -1 when already ready (dirty)
}

// collect reads the sockets of a select argument table (array part, like C's
// collect_fd); entries that are not open wirelab sockets are skipped.
func collect(L *lua.LState, n int, fname string) []selEntry {
	v := L.Get(n)
	if v == lua.LNil {
		return nil
	}
	t, ok := v.(*lua.LTable)
	if !ok {
		argErr(L, n, fname, false, "table expected, got "+typeName(L, n))
	}
	var out []selEntry
	seen := map[*sock]bool{}
	for i := 1; ; i++ {
		e := t.RawGetInt(i)
		if e == lua.LNil {
			break
		}
		ud, ok := e.(*lua.LUserData)
		if !ok {
			continue
		}
		k, ok := ud.Value.(*sock)
		if !ok || k.d == nil || seen[k] {
			continue // C's fd_set holds a socket once
		}
		seen[k] = true
		out = append(out, selEntry{v: e, k: k})
		if len(out) > selectSetSize {
			argErr(L, n, fname, false, "descriptor too large for set size")
		}
	}
	return out
}

// selectSetSize is how many sockets one select table may hold: C LuaSocket
// refuses a descriptor past FD_SETSIZE (1024), which a process with its three
// standard files reaches at 1021 sockets. wirelab's descriptors are numbered
// differently, so the count stands in for the number.
const selectSetSize = 1024 - 3

// appendReady lists ready sockets as C LuaSocket does: the ones with buffered
// data first, in the table's order, then the rest by descriptor.
func appendReady(t *lua.LTable, dirty, ready []selEntry) {
	sort.SliceStable(ready, func(i, j int) bool { return ready[i].k.fd() < ready[j].k.fd() })
	for _, e := range append(dirty, ready...) {
		n := t.Len() + 1
		t.RawSetInt(n, e.v)
		t.RawSet(e.v, lua.LNumber(n))
	}
}

// socketSelect is socket.select(recvt, sendt[, timeout]): tables of the ready
// sockets, each listed as t[i] = sock and t[sock] = i; when none is ready in
// time, two empty tables and "timeout".
func socketSelect(L *lua.LState) int {
	recvs := collect(L, 1, "select")
	sends := collect(L, 2, "select")
	t := sockOptNumber(L, 3, "select", false, -1)
	var deadline time.Time
	if t >= 0 {
		deadline = time.Now().Add(secs(t))
	}
	rt, wt := L.NewTable(), L.NewTable()
	var fds []pollFd
	dirty := false
	for i := range recvs {
		if recvs[i].k.dirty() {
			dirty = true
		}
		recvs[i].pi = len(fds)
		fds = append(fds, pollFd{fd: int32(recvs[i].k.fd()), events: pollIn})
	}
	for i := range sends {
		sends[i].pi = len(fds)
		fds = append(fds, pollFd{fd: int32(sends[i].k.fd()), events: pollOut})
	}
	for {
		wait := pollSlice
		if dirty {
			wait = 0
		} else if !deadline.IsZero() {
			wait = min(wait, max(0, time.Until(deadline)))
		}
		for i := range fds {
			fds[i].revents = 0
		}
		n, err := ppoll(fds, wait)
		if err != nil && err != syscall.EINTR {
			L.Push(rt)
			L.Push(wt)
			L.Push(lua.LString(strerror(err)))
			return 3
		}
		if n > 0 || dirty {
			var dirtyR, readyR, readyW []selEntry
			for _, e := range recvs {
				switch {
				case e.k.dirty():
					dirtyR = append(dirtyR, e)
				case fds[e.pi].revents&(pollIn|pollErr|pollHup) != 0:
					readyR = append(readyR, e)
				}
			}
			for _, e := range sends {
				if fds[e.pi].revents&(pollOut|pollErr|pollHup) != 0 {
					readyW = append(readyW, e)
				}
			}
			appendReady(rt, dirtyR, readyR)
			appendReady(wt, nil, readyW)
			if len(dirtyR)+len(readyR)+len(readyW) > 0 {
				L.Push(rt)
				L.Push(wt)
				return 2
			}
		}
		stopIfDone(L)
		if !deadline.IsZero() && !time.Now().Before(deadline) {
			L.Push(rt)
			L.Push(wt)
			L.Push(lua.LString("timeout"))
			return 3
		}
	}
}
