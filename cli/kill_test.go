package cli

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/nftables"
)

// killLab is a lab with everything a run builds: two segments joined by a
// router, a firewall (nftables rules in www's namespace), an impaired link
// (a wire wirelab carries), a service, and a submission that talks until it
// is stopped.
const killLab = `lab: kill-me
title: Talk until killed
timeout: 120s
segments:
  office: 10.0.1.0/24
  dmz: 10.0.2.0/24
hosts:
  client: 10.0.1.10
  www: 10.0.2.80
routers:
  gw: [10.0.1.1, 10.0.2.1]
services:
  - {name: echo, kind: tcp-echo, listen: "www:7"}
firewalls:
  www:
    - {action: drop, proto: tcp, port: 23}
links:
  client: {out: {delay: 1ms}}
submission:
  file: solution.lua
  languages: [lua, python]
checks:
  - name: talked
    packet: ip.src == 10.0.1.10 && ip.dst == 10.0.2.80 && tcp.dstport == 7
`

const talkLua = `local socket = require("socket")
local c = assert(socket.connect("www", 7))
while true do c:send("x\n"); c:receive("*l"); socket.sleep(0.01) end
`

const talkPy = `import socket, time
c = socket.create_connection(("www", 7))
while True:
    c.sendall(b"x\n"); c.recv(100); time.sleep(0.01)
`

// machine is what a run could leave in the machine's own namespaces.
type machine struct {
	links, tables, netns []string
	mounts               map[string]bool
}

func machineNow(t *testing.T) machine {
	t.Helper()
	var m machine
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range ifs {
		m.links = append(m.links, i.Name)
	}
	c, err := nftables.New()
	if err != nil {
		t.Fatal(err)
	}
	tables, err := c.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, tb := range tables {
		m.tables = append(m.tables, fmt.Sprintf("%d %s", tb.Family, tb.Name))
	}
	ents, _ := os.ReadDir("/run/netns")
	for _, e := range ents {
		m.netns = append(m.netns, e.Name())
	}
	info, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	m.mounts = map[string]bool{}
	for _, line := range strings.Split(string(info), "\n") {
		if f := strings.Fields(line); len(f) > 4 {
			m.mounts[f[4]] = true
		}
	}
	slices.Sort(m.links)
	slices.Sort(m.tables)
	return m
}

// netNamespaces is every network namespace a thread of one of pids (all
// processes when nil) is in or a process holds a descriptor of, with the
// threads (PID/task/TID) and descriptors. Threads, not processes: a worker's
// main thread may sit in any of the lab's namespaces (a goroutine that
// entered one on it and ended locked leaves it there), so /proc/PID/ns/net
// names no particular host.
func netNamespaces(pids map[string]bool) map[string][]string {
	out := map[string][]string{}
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		if p.Name()[0] < '0' || p.Name()[0] > '9' || pids != nil && !pids[p.Name()] {
			continue
		}
		dir := "/proc/" + p.Name()
		tasks, _ := os.ReadDir(dir + "/task")
		for _, task := range tasks {
			td := dir + "/task/" + task.Name()
			if ns, err := os.Readlink(td + "/ns/net"); err == nil {
				out[ns] = append(out[ns], td)
			}
		}
		fds, _ := os.ReadDir(dir + "/fd")
		for _, fd := range fds {
			if l, err := os.Readlink(dir + "/fd/" + fd.Name()); err == nil && strings.HasPrefix(l, "net:[") {
				out[l] = append(out[l], dir+"/fd/"+fd.Name())
			}
		}
	}
	return out
}

// processes is every process, by pid, with its parent's pid and its start
// time (pid and start time name a process; a pid alone may be reused).
func processes() map[string][2]string {
	out := map[string][2]string{}
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		stat, err := os.ReadFile("/proc/" + p.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ... starttime (field 22)
		i := strings.LastIndexByte(string(stat), ')')
		f := strings.Fields(string(stat[i+1:]))
		if i < 0 || len(f) < 20 {
			continue
		}
		out[p.Name()] = [2]string{f[1], f[19]}
	}
	return out
}

// descendants is root's descendants, by pid, with their start times.
func descendants(root int) map[string]string {
	all := processes()
	out := map[string]string{}
	for grew := true; grew; {
		grew = false
		for pid, pp := range all {
			if _, in := out[pid]; !in && (pp[0] == fmt.Sprint(root) || out[pp[0]] != "") {
				out[pid] = pp[1]
				grew = true
			}
		}
	}
	return out
}

// TestKillRunAndGrade: kill -9 of `wirelab run` and of `wirelab grade`, in
// the middle of a run, as root and as an ordinary user, leaves nothing in the
// machine's namespaces: no interface, nftables table, named namespace or
// mount appears, and once the killed command is gone no process is left in
// (or holds) any of the lab's network namespaces, so the kernel frees them
// with everything in them.
func TestKillRunAndGrade(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("reading the machine's nftables and every process's namespaces needs root")
	}
	for _, uid := range []int{0, 65534} {
		for _, cmd := range []string{"run", "grade"} {
			t.Run(fmt.Sprintf("%s as uid %d", cmd, uid), func(t *testing.T) {
				killMidRun(t, uid, cmd)
			})
		}
	}
}

func killMidRun(t *testing.T, uid int, what string) {
	b := newWirelabBin(t, uid)
	lab := filepath.Join(b.dir, "lab")
	class := filepath.Join(b.dir, "class")
	out := filepath.Join(b.dir, "out")
	for d, files := range map[string]map[string]string{
		lab:   {"lab.yaml": killLab, "solution.lua": talkLua},
		class: {"alice.lua": talkLua, "bob.py": talkPy},
		out:   {},
	} {
		os.Mkdir(d, 0o755)
		for name, text := range files {
			os.WriteFile(filepath.Join(d, name), []byte(text), 0o644)
		}
		os.Chown(d, uid, uid)
	}
	before := machineNow(t)
	own, _ := os.Readlink("/proc/self/ns/net")
	args := []string{"run", lab, "--out", filepath.Join(out, "run")}
	talkers := 1
	if what == "grade" {
		args = []string{"grade", lab, class, "--out", out, "--jobs", "2"}
		talkers = 2
	}
	cmd := b.command(args...)
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	ended := make(chan bool)
	go func() { cmd.Process.Wait(); close(ended) }()
	// Mid-run: the command's processes are in the lab's namespaces (all four:
	// client, www, gw and the switch), and the submissions are talking (a TCP
	// connection established to www's port 7 in a namespace of theirs). The
	// test holds a descriptor of each lab namespace it sees: the kernel
	// numbers namespaces from a pool it reuses, and without the hold a
	// namespace another test makes after the kill could take a lab
	// namespace's number.
	var ours map[string]string // pid: start time
	labNS := map[string]*os.File{}
	defer func() {
		for _, f := range labNS {
			f.Close()
		}
	}()
	for end := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		ours = descendants(cmd.Process.Pid)
		pids := map[string]bool{}
		for pid := range ours {
			pids[pid] = true
		}
		talking := 0
		for ns, where := range netNamespaces(pids) {
			if ns == own {
				continue
			}
			if labNS[ns] == nil {
				if f := openNS(ns, where); f != nil {
					labNS[ns] = f
				}
			}
			if slices.ContainsFunc(where, estab7) {
				talking++
			}
		}
		if talking >= talkers && len(labNS) >= 4 {
			break
		}
		select {
		case <-ended:
			t.Fatalf("wirelab %s ended before it was mid-run:\n%s", what, stderr.String())
		default:
		}
		if time.Now().After(end) { // a hang guard, not a timing
			t.Fatalf("wirelab %s was never mid-run: %d of %d submissions talking, %d lab namespaces seen (want at least 4: client, www, gw, the switch)\n%s", what, talking, talkers, len(labNS), stderr.String())
		}
	}
	mid := machineNow(t)
	cmd.Process.Signal(syscall.SIGKILL)
	<-ended
	// The kernel ends the killed command's workers (parent-death signal) and
	// their children, in the background: wait for it, bounded. Then no
	// process but this test may be in or hold one of the lab's namespaces:
	// not one the command started after the test's last look at its
	// descendants, nor one that left the command's tree.
	self := strconv.Itoa(os.Getpid())
	var left []string
	held := map[string][]string{}
	waited := false
	for end := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		left = left[:0]
		now := processes()
		for pid, start := range ours {
			if pp, alive := now[pid]; alive && pp[1] == start {
				left = append(left, pid)
			}
		}
		clear(held)
		for ns, where := range netNamespaces(nil) {
			where = slices.DeleteFunc(where, func(w string) bool { return strings.Split(w, "/")[2] == self })
			if labNS[ns] != nil && len(where) > 0 {
				held[ns] = where
			}
		}
		if len(left) == 0 && len(held) == 0 || time.Now().After(end) { // a hang guard, not a timing
			break
		}
		if len(left) == 0 && !waited {
			waited = true
			t.Logf("kill -9 of wirelab %s: its processes are gone, %d lab namespaces still held: waiting", what, len(held))
		}
	}
	if len(left) > 0 {
		out, _ := exec.Command("ps", "-o", "pid,ppid,args", "-p", strings.Join(left, ",")).CombinedOutput()
		t.Errorf("a minute after kill -9 of wirelab %s, its processes %v still run:\n%s", what, left, out)
	}
	for ns, where := range held {
		var holders []string
		for _, w := range where {
			holders = append(holders, strings.Split(w, "/")[2])
		}
		out, _ := exec.Command("ps", "-o", "pid,ppid,args", "-p", strings.Join(holders, ",")).CombinedOutput()
		t.Errorf("a minute after kill -9 of wirelab %s, lab namespace %s is held by %v:\n%s", what, ns, where, out)
	}
	after := machineNow(t)
	for when, m := range map[string]machine{"mid-run": mid, "after the kill": after} {
		if !slices.Equal(m.links, before.links) {
			t.Errorf("%s the machine's interfaces are %v, were %v", when, m.links, before.links)
		}
		if !slices.Equal(m.tables, before.tables) {
			t.Errorf("%s the machine's nftables tables are %v, were %v", when, m.tables, before.tables)
		}
		if !slices.Equal(m.netns, before.netns) {
			t.Errorf("%s /run/netns holds %v, held %v", when, m.netns, before.netns)
		}
		for mp := range m.mounts {
			if !before.mounts[mp] {
				t.Errorf("%s the machine has a new mount on %s", when, mp)
			}
		}
	}
}

// openNS opens namespace ns through one of the places that holds it (a
// thread's ns/net or a descriptor); nil if they are all gone.
func openNS(ns string, where []string) *os.File {
	for _, w := range where {
		if !strings.Contains(w, "/fd/") {
			w += "/ns/net"
		}
		f, err := os.Open(w)
		if err != nil {
			continue
		}
		if l, err := os.Readlink(fmt.Sprintf("/proc/self/fd/%d", f.Fd())); err == nil && l == ns {
			return f
		}
		f.Close()
	}
	return nil
}

// estab7 says whether a thread's network namespace has a TCP connection
// established to port 7 (the submission talking to www's echo service); a
// descriptor says nothing.
func estab7(where string) bool {
	if strings.Contains(where, "/fd/") {
		return false
	}
	for _, f := range []string{"tcp", "tcp6"} {
		data, err := os.ReadFile(where + "/net/" + f)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n")[1:] {
			fs := strings.Fields(line)
			// remote address:port 0007, state 01 (ESTABLISHED)
			if len(fs) > 3 && strings.HasSuffix(fs[2], ":0007") && fs[3] == "01" {
				return true
			}
		}
	}
	return false
}
