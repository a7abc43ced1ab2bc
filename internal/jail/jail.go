// Package jail runs a program's process tree isolated from the machine: in its
// own mount, PID, IPC and UTS namespaces (and a user namespace when the caller
// may not make them directly), seeing a read-only system, a private copy of its
// folder at /submission and a private /tmp, with a wall-clock deadline and
// limits on memory, processes, open files and output. It shares the network
// namespace of the OS thread that calls Start: a caller locked in a lab host's
// namespace starts the program in that host.
//
// The jail's first process is the wirelab binary re-executed as an init (the
// hidden `__jail` command; test binaries call Main from TestMain when IsJail
// reports it). The init builds the jail's file system, starts the program and
// reaps as PID 1; when the program exits the init exits, and the kernel kills
// whatever else is left in the PID namespace (daemons, setsid'd children,
// processes ignoring SIGTERM). The parent side (Start, Wait) enforces the
// deadline and the limits, and kills the init, and with it the whole tree,
// when one is exceeded.
//
// See docs/security.md for what a program can and cannot do, and which limits
// need cgroups.
package jail

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/wirelab-dev/wirelab/runner/result"
)

// Spec is a program to run in a jail.
type Spec struct {
	// Argv is the command; Argv[0] is looked up in the jail's PATH
	// (/usr/local/bin:/usr/bin:/bin) unless it contains a slash.
	Argv []string
	// Env are extra KEY=VALUE; the jail sets PATH, HOME=/tmp, LANG=C.UTF-8.
	Env []string
	// Dir is a host folder: a private writable copy of it is the working
	// directory, /submission. "" gives an empty /submission.
	Dir string
	// Writable makes /submission the host folder Dir itself, not a copy:
	// what the program writes there stays (a build's products, for the run
	// that follows). Run as root, the jail gives Dir's files to the
	// program's user (nobody). Use it on a folder of the caller's own.
	Writable bool
	// ReadOnly are extra read-only host folders (e.g. a lab's helper modules).
	ReadOnly []Bind
	// Files are written into the jail, read-only, e.g. "/etc/hosts" (the
	// lab's host names). A file over a system file replaces it.
	Files map[string][]byte
	// Stdin is the program's standard input; nil: empty.
	Stdin *os.File
	// Stdout and Stderr receive the program's output; nil: discarded. The
	// Output limit counts both together.
	Stdout, Stderr io.Writer
	// Limits bound the run.
	Limits Limits
	// TTY says Stdin is a terminal, and Stdout and Stderr that are files
	// are handed over as they are (the Output limit does not count them).
	// A terminal no session controls (the pseudo-terminal `wirelab exec`
	// makes) becomes the controlling terminal of a session the program
	// leads, so Ctrl-C and job control act on the program alone; one that
	// is a session's already stays so: the program is then in the caller's
	// session and process group.
	TTY bool
}

// Bind is a host folder visible read-only in the jail.
type Bind struct {
	Host string // the host folder
	Jail string // where it appears, an absolute path outside the system folders
}

// Limits bound a run. Timeout 0 is no deadline; the other zero fields take the
// defaults below.
type Limits struct {
	Timeout   time.Duration
	Memory    int64 // bytes: the tree's memory, socket buffers included where a cgroup can be had
	Processes int   // tasks (processes and threads) of the tree at once
	Files     int   // open files and sockets of each process
	Output    int64 // bytes of Stdout and Stderr together
}

// Default limits.
const (
	DefaultMemory    = 256 << 20
	defaultProcesses = 64
	DefaultFiles     = 256
	DefaultOutput    = 1 << 20
	// tmpSize bounds /tmp (and /dev/shm): a tmpfs in memory.
	tmpSize = 64 << 20
	// maxCopy bounds the copy of Spec.Dir.
	maxCopy = 256 << 20
	// setupTimeout bounds the time from Start to the program's start.
	setupTimeout = 60 * time.Second
)

// WithDefaults returns l with every zero limit but Timeout set to its default.
func (l Limits) WithDefaults() Limits {
	if l.Memory <= 0 {
		l.Memory = DefaultMemory
	}
	if l.Processes <= 0 {
		l.Processes = defaultProcesses
	}
	if l.Files <= 0 {
		l.Files = DefaultFiles
	}
	if l.Output <= 0 {
		l.Output = DefaultOutput
	}
	return l
}

// Result is how a jailed program ended.
type Result struct {
	// Reason: ok, error (a non-zero exit), crash (killed by a signal),
	// timeout, memory, processes, output or sockets.
	Reason result.ExitReason
	Code   int    // exit status, or -1 when killed by a signal
	Signal string // the signal that killed the program, "SIGSEGV"; "" if none
	// Message is a sentence a student understands; "" for ok.
	Message string
	// Enforced says how each limit was enforced here, e.g. "memory: cgroup
	// v1 memory.limit_in_bytes and memory.kmem.tcp.limit_in_bytes",
	// "processes: RLIMIT_NPROC (no cgroup)".
	Enforced []string
	// Duration is the program's run time.
	Duration time.Duration
}

// SetupError is a jail that could not be set up: the machine (or the
// caller's Spec) is at fault, not the program.
type SetupError struct{ Msg string }

func (e *SetupError) Error() string { return e.Msg }

// Environment variable that makes the wirelab binary the jail's init or its
// exec helper.
const jailEnv = "WIRELAB_JAIL"

// Arg is the hidden command the wirelab binary runs Main for.
const Arg = "__jail"

// IsJail reports whether this process was started by Start as a jail's init
// or exec helper: the program then calls Main and exits with its code.
func IsJail() bool { return os.Getenv(jailEnv) != "" }

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
