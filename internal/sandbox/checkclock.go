package sandbox

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
)

// A lab's Lua check is limited in CPU time, not wall time: it is offline, so
// it does nothing but compute, and on a loaded machine (a grading server
// running a class, CI on two cores) a check that needs 50 ms of CPU can take
// seconds of wall time; a wall-clock limit turned such a check into a
// lab-error (udp-server's answered_each, 6 packets, "took longer than 5s"
// at load 30). The wall clock only bounds a check that waits on nothing at
// all: checkWallFactor times its limit.
const checkWallFactor = 12

// clockTick is the kernel's USER_HZ, the unit of /proc/PID/stat's times: 100
// on every Linux ABI Go supports.
const clockTick = 10 * time.Millisecond

// procCPU is the CPU time (user and system) process pid has used, 0 if it
// cannot be read.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// pid (comm) state ppid ...: comm may hold anything but the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(string(f[11]), 10, 64) // field 14 of stat
	stime, _ := strconv.ParseInt(string(f[12]), 10, 64) // field 15
	return time.Duration(utime+stime) * clockTick
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// watchCPU calls over once this process has used limit of CPU time from now,
// or checkWallFactor times limit of wall time has passed.
func watchCPU(limit time.Duration, over func()) (stop func()) {
	start, cpu0 := time.Now(), selfCPU()
	return watchEvery(func() bool {
		return selfCPU()-cpu0 > limit || time.Since(start) > checkWallFactor*limit
	}, over)
}
