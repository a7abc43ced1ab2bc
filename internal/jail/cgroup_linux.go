package jail

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// cgroups are the jail's own control groups: one for memory and one for
// processes (the same directory under cgroup v2), made below this process's
// own, so the machine's limits on the caller still hold. A controller that
// cannot be had leaves its directory "" and the limit to an rlimit.
type cgroups struct {
	v2      string // the cgroup v2 directory, or ""
	mem     string // cgroup v1 memory directory, or ""
	pids    string // cgroup v1 pids directory, or ""
	memOn   bool   // memory is limited by a cgroup
	pidsOn  bool   // processes are limited by a cgroup
	tcp     bool   // socket buffers are limited (v1 memory.kmem.tcp, or v2 where sockets are charged)
	limit   int64  // the memory limit as the kernel keeps it (in whole pages)
	why     string // why a cgroup could not be had, for Enforced
	created []string
}

var cgroupSeq atomic.Int64

// cgroupRoot is where the cgroup file systems are mounted; tests may not
// change it, it is a variable for documentation's sake.
var cgroupRoot = "/sys/fs/cgroup"

// ownCgroups reads /proc/self/cgroup: v1 controller name -> path, and the
// v2 path under "".
func ownCgroups() map[string]string {
	out := map[string]string{}
	b, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return out
	}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		if f[1] == "" {
			out[""] = f[2]
			continue
		}
		for _, c := range strings.Split(f[1], ",") {
			out[c] = f[2]
		}
	}
	return out
}

// makeCgroups makes the jail's cgroups and sets their limits. It never
// fails: what it cannot make is left to rlimits and said in why.
func makeCgroups(lim Limits) *cgroups {
	cg := &cgroups{}
	own := ownCgroups()
	name := fmt.Sprintf("wirelab-jail-%d-%d", os.Getpid(), cgroupSeq.Add(1))
	var whys []string

	// cgroup v2: the whole machine's (/sys/fs/cgroup) or a hybrid's
	// (/sys/fs/cgroup/unified), when this process's cgroup hands memory and
	// pids down to its children (a delegated subtree).
	if p, ok := own[""]; ok {
		for _, mnt := range []string{cgroupRoot, filepath.Join(cgroupRoot, "unified")} {
			parent := filepath.Join(mnt, p)
			ctl, err := os.ReadFile(filepath.Join(parent, "cgroup.subtree_control"))
			if err != nil {
				continue
			}
			has := strings.Fields(string(ctl))
			mem, pids := contains(has, "memory"), contains(has, "pids")
			if !mem && !pids {
				if b, err := os.ReadFile(filepath.Join(mnt, "cgroup.controllers")); err == nil && contains(strings.Fields(string(b)), "memory") {
					whys = append(whys, fmt.Sprintf("cgroup v2 %s does not delegate memory and pids to its children", parent))
				}
				break
			}
			sweepStale(parent)
			dir := filepath.Join(parent, name)
			if err := os.Mkdir(dir, 0o755); err != nil {
				whys = append(whys, fmt.Sprintf("cannot make a cgroup in %s: %v", parent, errors.Unwrap(err)))
				break
			}
			cg.v2 = dir
			cg.created = append(cg.created, dir)
			if mem && writeFile(dir, "memory.max", lim.Memory) == nil {
				cg.limit = number(filepath.Join(dir, "memory.max"))
				writeFile(dir, "memory.swap.max", 0)
				cg.memOn, cg.tcp = true, true
			}
			if pids && writeFile(dir, "pids.max", int64(lim.Processes)) == nil {
				cg.pidsOn = true
			}
			break
		}
	}
	// cgroup v1: the memory and pids hierarchies. v1Group makes the jail's
	// group in controller's hierarchy, below this process's own; "" where
	// there is none, or it could not be made (said in whys).
	v1Group := func(controller string) string {
		p, ok := own[controller]
		if !ok {
			return ""
		}
		parent := filepath.Join(cgroupRoot, controller, p)
		sweepStale(parent)
		dir := filepath.Join(parent, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			whys = append(whys, fmt.Sprintf("cannot make a cgroup in %s: %v", parent, errors.Unwrap(err)))
			return ""
		}
		cg.created = append(cg.created, dir)
		return dir
	}
	if !cg.memOn {
		if dir := v1Group("memory"); dir != "" {
			cg.mem = dir
			if writeFile(dir, "memory.limit_in_bytes", lim.Memory) == nil {
				cg.memOn = true
				writeFile(dir, "memory.memsw.limit_in_bytes", lim.Memory) // no swapping past the limit
				// TCP buffers are accounted in v1 only once they have a
				// limit of their own.
				cg.tcp = writeFile(dir, "memory.kmem.tcp.limit_in_bytes", lim.Memory) == nil
				cg.limit = number(filepath.Join(dir, "memory.kmem.tcp.limit_in_bytes"))
			}
		}
	}
	if !cg.pidsOn {
		if dir := v1Group("pids"); dir != "" {
			cg.pids = dir
			cg.pidsOn = writeFile(dir, "pids.max", int64(lim.Processes)) == nil
		}
	}
	if len(whys) == 0 && (!cg.memOn || !cg.pidsOn) {
		whys = append(whys, "no memory or pids cgroup controller is available to this process")
	}
	cg.why = strings.Join(whys, "; ")
	return cg
}

// swept are the cgroup folders sweepStale has looked at in this process.
var swept sync.Map

// staleName is a jail cgroup's name: wirelab-jail-PID-N, PID the process
// that made it.
var staleName = regexp.MustCompile(`^wirelab-jail-([0-9]+)-[0-9]+$`)

// sweepStale removes, once per process and parent, the jail cgroups a
// killed process left in parent (SIGKILL gives Wait no chance to remove
// them): those whose maker is gone. The kernel removes only an empty
// cgroup with no children; one whose maker runs is kept, even while it is
// still empty (made, its init not in it yet).
func sweepStale(parent string) {
	if _, done := swept.LoadOrStore(parent, true); done {
		return
	}
	ents, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	for _, e := range ents {
		m := staleName.FindStringSubmatch(e.Name())
		if m == nil || !e.IsDir() {
			continue
		}
		pid, err := strconv.Atoi(m[1])
		if err != nil || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
			continue // its maker (or a process with its pid) is alive
		}
		os.Remove(filepath.Join(parent, e.Name()))
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func writeFile(dir, name string, v int64) error {
	return os.WriteFile(filepath.Join(dir, name), []byte(strconv.FormatInt(v, 10)), 0)
}

// add moves pid into every cgroup of the jail.
func (cg *cgroups) add(pid int) error {
	for _, d := range cg.created {
		if err := os.WriteFile(filepath.Join(d, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0); err != nil {
			return fmt.Errorf("moving the jail into %s: %w", d, err)
		}
	}
	return nil
}

// enforced describes the memory and processes limits as enforced.
func (cg *cgroups) enforced() (mem, procs string) {
	switch {
	case cg.v2 != "" && cg.memOn:
		mem = "memory: cgroup v2 memory.max (socket buffers included)"
	case cg.memOn && cg.tcp:
		mem = "memory: cgroup v1 memory.limit_in_bytes and memory.kmem.tcp.limit_in_bytes (socket buffers included)"
	case cg.memOn:
		mem = "memory: cgroup v1 memory.limit_in_bytes (socket buffers not limited)"
	default:
		mem = "memory: RLIMIT_AS per process and the tree's resident size (no cgroup: " + cg.why + "; socket buffers not limited)"
	}
	switch {
	case cg.v2 != "" && cg.pidsOn:
		procs = "processes: cgroup v2 pids.max"
	case cg.pidsOn:
		procs = "processes: cgroup v1 pids.max"
	default:
		procs = "processes: RLIMIT_NPROC (no cgroup: " + cg.why + ")"
	}
	return mem, procs
}

// memoryHit reports whether the memory cgroup refused memory: the OOM killer
// killed a process of the jail, or socket buffers hit their limit.
func (cg *cgroups) memoryHit() (hit bool, sockets bool) {
	// Socket buffers are charged even past the limit (the kernel forces
	// the charge and puts the sockets under pressure): they stall, nothing
	// is killed, so reaching the limit is the sign.
	near := cg.limit - 256<<10
	switch {
	case cg.v2 != "" && cg.memOn:
		if keyed(filepath.Join(cg.v2, "memory.events"), "oom_kill") > 0 {
			return true, false
		}
		if keyed(filepath.Join(cg.v2, "memory.events"), "max") > 0 && cg.limit > 0 &&
			keyed(filepath.Join(cg.v2, "memory.stat"), "sock") >= cg.limit/2 {
			return true, true
		}
	case cg.mem != "" && cg.memOn:
		if keyed(filepath.Join(cg.mem, "memory.oom_control"), "oom_kill") > 0 {
			return true, false
		}
		// failcnt does not count the forced charges: the peak does.
		if cg.tcp && cg.limit > 0 && number(filepath.Join(cg.mem, "memory.kmem.tcp.max_usage_in_bytes")) >= near {
			return true, true
		}
	}
	return false, false
}

// pidsHit reports whether a fork was refused at pids.max.
func (cg *cgroups) pidsHit() bool {
	switch {
	case cg.v2 != "" && cg.pidsOn:
		return keyed(filepath.Join(cg.v2, "pids.events"), "max") > 0
	case cg.pids != "" && cg.pidsOn:
		return keyed(filepath.Join(cg.pids, "pids.events"), "max") > 0
	}
	return false
}

// remove deletes the jail's cgroups; the tree is dead by then, but the
// kernel may take a moment to let go of the last task.
func (cg *cgroups) remove() error {
	var errs []error
	for i := len(cg.created) - 1; i >= 0; i-- {
		d := cg.created[i]
		var err error
		for try := 0; try < 200; try++ {
			if err = os.Remove(d); err == nil || errors.Is(err, os.ErrNotExist) {
				err = nil
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	cg.created = nil
	return errors.Join(errs...)
}

// keyed reads the value of key in a "key value" lines file, 0 if none.
func keyed(path, key string) int64 {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), " ")
		if ok && k == key {
			n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
			return n
		}
	}
	return 0
}

func number(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	return n
}
