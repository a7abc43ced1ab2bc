package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"syscall"

	lua "github.com/yuin/gopher-lua"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
	"github.com/wirelab-dev/wirelab/lualib"
	"github.com/wirelab-dev/wirelab/runner/result"
)

// checkMode is workerEnv's value for a check worker.
const checkMode = "checks"

// checkSetup is the first thing a check worker reads.
type checkSetup struct {
	CheckEnv
	HasCapture bool `json:"has_capture"`
}

// checkWorkerMain is the check worker: it reads its CheckEnv and then one
// CheckCall after another from fd 3, answers each with a CheckReply on fd 4,
// and reads the capture from fd 5. It ends when fd 3 closes.
func checkWorkerMain() int {
	in, out := os.NewFile(3, "calls"), os.NewFile(4, "replies")
	dec := json.NewDecoder(in)
	var setup checkSetup
	if err := dec.Decode(&setup); err != nil {
		fmt.Fprintf(os.Stderr, "wirelab check worker: reading the setup: %v\n", err)
		return 2
	}
	last := 4
	if setup.HasCapture {
		last = 5
	}
	closeStrayFiles(last)
	mem := setup.Memory
	if mem <= 0 {
		mem = defaultCheckMemory
	}
	debug.SetMemoryLimit(mem * 3 / 4)
	setRlimit(syscall.RLIMIT_DATA, uint64(mem)+512<<20)
	w := &checkWorker{setup: &setup, mem: mem, hosts: map[string]netip.Addr{}}
	for _, h := range setup.Hosts {
		w.hosts[h.Name] = h.Addr
	}
	if setup.HasCapture {
		w.capture = os.NewFile(5, "capture")
	}
	if setup.CaptureFilter != "" {
		f, err := capture.CompileCapture(setup.CaptureFilter)
		if err != nil {
			fmt.Fprintf(os.Stderr, "wirelab check worker: the lab's capture filter: %v\n", err)
			return 2
		}
		w.keep = f
	}
	enc := json.NewEncoder(out)
	if err := enc.Encode(checkHello{Ready: true}); err != nil {
		return 2
	}
	for {
		var call CheckCall
		if err := dec.Decode(&call); err != nil {
			if err == io.EOF {
				return 0
			}
			fmt.Fprintf(os.Stderr, "wirelab check worker: reading a call: %v\n", err)
			return 2
		}
		rep := w.run(call)
		if len(rep.Message) > maxMessage {
			rep.Message = strings.ToValidUTF8(rep.Message[:maxMessage], "") + " [...]"
		}
		if err := enc.Encode(&rep); err != nil {
			return 2
		}
	}
}

// checkStateHook, when set (by a test binary, which is its own worker), is
// called with each check's state before the check runs.
var checkStateHook func(*lualib.State)

// checkWorker is the check worker's state across calls.
type checkWorker struct {
	setup   *checkSetup
	mem     int64
	hosts   map[string]netip.Addr
	capture *os.File       // nil: no capture
	keep    *filter.Filter // the lab's capture filter, nil for none
}

// run calls FUNC(ctx) from FILE in a fresh offline state under the check's
// limit (CPU time: watchCPU), and turns what it returned into a reply.
func (w *checkWorker) run(call CheckCall) (rep CheckReply) {
	runCtx, stop := context.WithCancelCause(context.Background())
	defer stop(nil)
	defer watchCPU(w.setup.Timeout, func() { stop(context.DeadlineExceeded) })()
	defer watchHeap(w.mem/2, func() { stop(errMemoryLimit) })()
	fail := func(format string, args ...any) CheckReply {
		r := CheckReply{Status: result.CheckError, Message: fmt.Sprintf(format, args...)}
		switch cause := context.Cause(runCtx); {
		case errors.Is(cause, errMemoryLimit):
			r.Message = fmt.Sprintf("%s used more than %s of memory and was stopped", call.Name, mib(w.mem/2))
			debug.FreeOSMemory()
		case cause != nil:
			r.Message = fmt.Sprintf("%s took longer than %s and was stopped", call.Name, w.setup.Timeout)
		}
		return r
	}
	defer func() {
		if r := recover(); r != nil {
			rep = fail("%s: internal error: %v", call.Name, r)
		}
	}()
	st, err := lualib.NewState(&lualib.Env{Ctx: runCtx, Dirs: []string{w.setup.LabDir}, Args: w.setup.Args,
		LabDir: w.setup.LabDir, Hosts: w.hosts, Offline: checkOffline})
	if err != nil {
		return fail("cannot start Lua: %v", err)
	}
	defer st.Close()
	if checkStateHook != nil {
		checkStateHook(st)
	}
	file := filepath.Base(call.File)
	if err := st.DoFile(call.File); err != nil {
		return fail("loading %s: %v", file, err)
	}
	L := st.L
	fn, ok := L.GetGlobal(call.Func).(*lua.LFunction)
	if !ok {
		return fail("%s defines no function %s", file, call.Func)
	}
	L.Push(fn)
	L.Push(w.context(st))
	if err := L.PCall(1, 3, nil); err != nil {
		var ae *lua.ApiError
		msg := err.Error()
		if errors.As(err, &ae) && ae.Object != nil {
			msg = ae.Object.String()
		}
		return fail("%s failed: %s", call.Name, msg)
	}
	rok, rmsg, rpts := L.Get(-3), L.Get(-2), L.Get(-1)
	L.Pop(3)
	if runCtx.Err() != nil {
		return fail("%s was stopped", call.Name)
	}
	if rok.Type() != lua.LTBool {
		return fail("%s returned %s, want ok (true or false), message[, points]", call.Name, rok.Type())
	}
	rep = CheckReply{Status: result.CheckFail}
	if rmsg != lua.LNil {
		rep.Message = lua.LVAsString(rmsg)
	}
	if lua.LVAsBool(rok) {
		rep.Status, rep.Points = result.CheckPass, call.Points
	}
	if n, isNum := rpts.(lua.LNumber); isNum {
		p := float64(n)
		if math.IsNaN(p) || p < 0 {
			p = 0
		}
		rep.Points = math.Min(p, call.Points)
	}
	return rep
}

// context builds the table a check receives: packets(filter) over the
// capture, read anew by each call (see lualib.PacketStream), output, events
// and args.
func (w *checkWorker) context(st *lualib.State) *lua.LTable {
	L := st.L
	t := L.NewTable()
	if w.capture != nil {
		size := int64(math.MaxInt64)
		if fi, err := w.capture.Stat(); err == nil {
			size = fi.Size()
		}
		open := func() (capture.Source, error) {
			return capture.NewReader(io.NewSectionReader(w.capture, 0, size))
		}
		L.SetField(t, "packets", st.PacketStream(open, w.keep))
	} else {
		L.SetField(t, "packets", st.PacketsFunc(nil))
	}
	L.SetField(t, "output", lua.LString(w.setup.Output))
	events := L.CreateTable(len(w.setup.Events), 0)
	for _, e := range w.setup.Events {
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
