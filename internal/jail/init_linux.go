package jail

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"
)

// initConfig is what the parent tells the init, as JSON on fd 3.
type initConfig struct {
	Root     string            `json:"root"` // an empty folder to mount the jail's root on
	Argv     []string          `json:"argv"`
	Env      []string          `json:"env"`
	Dir      string            `json:"dir"`
	Writable bool              `json:"writable"`
	ReadOnly []Bind            `json:"read_only"`
	Files    map[string][]byte `json:"files"`
	UID      int               `json:"uid"`
	GID      int               `json:"gid"`
	Ambient  bool              `json:"ambient"`
	TTY      bool              `json:"tty"`
	Rlimits  []rlimit          `json:"rlimits"`
	// NprocAddOwn: the init is the program's user too, so its own threads
	// count against RLIMIT_NPROC and are added to it.
	NprocAddOwn bool `json:"nproc_add_own"`
}

type rlimit struct {
	Res int    `json:"res"`
	Max uint64 `json:"max"`
}

// signalMessage is a line the parent sends the init after its
// configuration: a signal for the program's processes.
type signalMessage struct {
	Signal int `json:"signal"`
}

// helperConfig is what the init tells the exec helper, as JSON on fd 3.
type helperConfig struct {
	Argv    []string `json:"argv"`
	Env     []string `json:"env"`
	Rlimits []rlimit `json:"rlimits"`
}

const (
	rlimitCore  = syscall.RLIMIT_CORE
	rlimitNproc = 6

	prSetDumpable    = 4
	prCapbsetDrop    = 24
	prSetNoNewPrivs  = 38
	sysMountSetattr  = 442
	atRecursive      = 0x8000
	mountAttrRdonly  = 0x1
	mountAttrNosuid  = 0x2
	mountAttrNodev   = 0x4
	mountAttrNoexec  = 0x8
	submissionFolder = "/submission"
)

// Main is the jail's init or its exec helper, as IsJail says; it returns the
// process's exit code.
func Main() int {
	switch os.Getenv(jailEnv) {
	case "init":
		return initMain()
	case "exec":
		return execMain()
	}
	fmt.Fprintf(os.Stderr, "wirelab %s: this process is started by the jail, not by hand\n", Arg)
	return 2
}

func initMain() int {
	cfgFile := os.NewFile(3, "config")
	stat := os.NewFile(4, "status")
	stdin, stdout, stderr := os.NewFile(5, "stdin"), os.NewFile(6, "stdout"), os.NewFile(7, "stderr")
	if cfgFile == nil || stat == nil || stdin == nil || stdout == nil || stderr == nil {
		fmt.Fprintf(os.Stderr, "wirelab %s: started without its descriptors\n", Arg)
		return 2
	}
	var mu sync.Mutex
	enc := json.NewEncoder(stat)
	send := func(m message) {
		mu.Lock()
		defer mu.Unlock()
		enc.Encode(m)
	}
	var cfg initConfig
	dec := json.NewDecoder(cfgFile)
	if err := dec.Decode(&cfg); err != nil {
		send(message{Error: "reading the configuration: " + err.Error()})
		return 2
	}
	// The lifeline: the parent holds the other end for the jail's life;
	// when it closes (the parent ended, or died), so does the jail. Until
	// then it carries the signals the parent passes on (Proc.Signal).
	go func() {
		for {
			var m signalMessage
			if err := dec.Decode(&m); err != nil {
				os.Exit(3)
			}
			if m.Signal > 0 {
				// Every process of the jail but the init, as a terminal
				// signals its foreground process group.
				syscall.Kill(-1, syscall.Signal(m.Signal))
			}
		}
	}()
	// Nothing in the jail may look into the init (its descriptors, its
	// memory).
	prctl(prSetDumpable, 0)
	// As PID 1 the init gets only the signals it handles; a terminal's
	// Ctrl-C is the program's, not the init's.
	signal.Notify(make(chan os.Signal, 1), syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT,
		syscall.SIGTSTP, syscall.SIGTTIN, syscall.SIGTTOU, syscall.SIGPIPE, syscall.SIGUSR1, syscall.SIGUSR2)
	if err := setup(&cfg); err != nil {
		send(message{Error: err.Error()})
		return 2
	}
	pid, errR, err := startProgram(&cfg, stdin, stdout, stderr)
	if err != nil {
		send(message{Error: "starting the program: " + err.Error()})
		return 2
	}
	stdin.Close()
	stdout.Close()
	stderr.Close()
	execErr := make(chan string, 1)
	go func() {
		b, _ := io.ReadAll(io.LimitReader(errR, 4096))
		errR.Close()
		execErr <- string(b)
	}()
	send(message{Started: true})
	st := &exitStatus{Code: -1}
	for {
		var ws syscall.WaitStatus
		got, err := syscall.Wait4(-1, &ws, 0, nil)
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			break
		}
		if got != pid {
			continue // an orphan, reaped
		}
		if ws.Signaled() {
			st.Signal = int(ws.Signal())
		} else {
			st.Code = ws.ExitStatus()
		}
		break
	}
	if msg := <-execErr; msg != "" {
		st.ExecError = msg
	}
	send(message{Exit: st})
	stat.Close()
	// Returning ends the init; the kernel kills the rest of the namespace.
	return 0
}

// startProgram starts the exec helper as the program's user, with the
// capabilities it keeps and no way to gain others, and hands it the
// program's command and rlimits.
func startProgram(cfg *initConfig, stdin, stdout, stderr *os.File) (int, *os.File, error) {
	// Capabilities' bounding set and no_new_privs are per thread: set them
	// on the thread that forks.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	last := 40
	if b, err := os.ReadFile("/proc/sys/kernel/cap_last_cap"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
			last = n
		}
	}
	for c := 0; c <= last; c++ {
		if c == capNetRaw || c == capNetBindService {
			continue
		}
		if err := prctl(prCapbsetDrop, uintptr(c)); err != nil && err != syscall.EINVAL {
			return 0, nil, fmt.Errorf("dropping capability %d: %w", c, err)
		}
	}
	if err := prctl(prSetNoNewPrivs, 1); err != nil {
		return 0, nil, fmt.Errorf("setting no_new_privs: %w", err)
	}
	specR, specW, err := os.Pipe()
	if err != nil {
		return 0, nil, err
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		return 0, nil, err
	}
	sys := &syscall.SysProcAttr{}
	if cfg.UID != os.Getuid() || cfg.GID != os.Getgid() {
		sys.Credential = &syscall.Credential{Uid: uint32(cfg.UID), Gid: uint32(cfg.GID), Groups: []uint32{}}
	}
	if cfg.Ambient {
		sys.AmbientCaps = keptCaps
	}
	if cfg.TTY && !controlsSession(stdin) {
		// A terminal no session has (the pseudo-terminal `wirelab exec`
		// makes for a command): the program leads a session of its own
		// with it as its controlling terminal, for job control and Ctrl-C.
		sys.Setsid, sys.Setctty, sys.Ctty = true, true, 0
	}
	hc := helperConfig{Argv: cfg.Argv, Env: cfg.Env}
	for _, r := range cfg.Rlimits {
		if r.Res == rlimitNproc && cfg.NprocAddOwn {
			r.Max += uint64(ownThreads()) + 4
		}
		hc.Rlimits = append(hc.Rlimits, r)
	}
	pid, err := syscall.ForkExec("/proc/self/exe", []string{"wirelab", Arg}, &syscall.ProcAttr{
		Dir:   submissionFolder,
		Env:   []string{jailEnv + "=exec"},
		Files: []uintptr{stdin.Fd(), stdout.Fd(), stderr.Fd(), specR.Fd(), errW.Fd()},
		Sys:   sys,
	})
	specR.Close()
	errW.Close()
	if err != nil {
		specW.Close()
		errR.Close()
		return 0, nil, err
	}
	json.NewEncoder(specW).Encode(&hc)
	specW.Close()
	return pid, errR, nil
}

// controlsSession reports whether the terminal f is a session's
// controlling terminal.
func controlsSession(f *os.File) bool {
	var sid int32
	_, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), syscall.TIOCGSID, uintptr(unsafe.Pointer(&sid)))
	return errno == 0
}

func ownThreads() int {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return 16
	}
	return len(ents)
}

// execMain is the exec helper: the program's process, still the wirelab
// binary for a moment. It sets the program's rlimits (which would bind the
// init too if the init set them) and executes the program; a program that
// cannot be executed is reported on fd 4 (closed on a successful exec).
func execMain() int {
	specF := os.NewFile(3, "spec")
	errF := os.NewFile(4, "exec-error")
	if specF == nil || errF == nil {
		return 127
	}
	var hc helperConfig
	if err := json.NewDecoder(specF).Decode(&hc); err != nil {
		fmt.Fprintf(errF, "the jail could not read the command: %v", err)
		return 127
	}
	specF.Close()
	syscall.CloseOnExec(4)
	path := hc.Argv[0]
	if !strings.Contains(path, "/") {
		found := ""
		for _, kv := range hc.Env {
			if v, ok := strings.CutPrefix(kv, "PATH="); ok {
				for _, d := range filepath.SplitList(v) {
					c := filepath.Join(d, path)
					if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
						found = c
						break
					}
				}
			}
		}
		if found == "" {
			fmt.Fprintf(errF, "cannot run %q: no such command in the jail (its PATH is /usr/local/bin:/usr/bin:/bin)", path)
			return 127
		}
		path = found
	}
	// The program is the one the machine's OOM killer picks first.
	os.WriteFile("/proc/self/oom_score_adj", []byte("1000"), 0)
	// Once RLIMIT_AS is set this Go process may map nothing more: its address
	// space is already larger than a submission's limit, so a heap growth
	// (syscall.Exec's own argv copies, a GC) would be the runtime's fatal
	// "out of memory" instead of the program. Everything execve needs is
	// built first, the GC is off, and execve is called directly.
	argv0, err := syscall.BytePtrFromString(path)
	if err != nil {
		fmt.Fprintf(errF, "cannot run %q: %v", hc.Argv[0], err)
		return 127
	}
	argv, err := syscall.SlicePtrFromStrings(hc.Argv)
	if err != nil {
		fmt.Fprintf(errF, "cannot run %q: %v", hc.Argv[0], err)
		return 127
	}
	envv, err := syscall.SlicePtrFromStrings(hc.Env)
	if err != nil {
		fmt.Fprintf(errF, "cannot run %q: %v", hc.Argv[0], err)
		return 127
	}
	debug.SetGCPercent(-1)
	for _, r := range hc.Rlimits {
		var cur syscall.Rlimit
		n := r.Max
		if syscall.Getrlimit(r.Res, &cur) == nil && cur.Max < n {
			n = cur.Max
		}
		syscall.Setrlimit(r.Res, &syscall.Rlimit{Cur: n, Max: n})
	}
	_, _, errno := syscall.RawSyscall(syscall.SYS_EXECVE, uintptr(unsafe.Pointer(argv0)),
		uintptr(unsafe.Pointer(&argv[0])), uintptr(unsafe.Pointer(&envv[0])))
	err = errno
	what := "cannot run %q: %v"
	if errors.Is(err, syscall.ENOENT) {
		what = "cannot run %q: %v (no such file in the jail)"
	}
	fmt.Fprintf(errF, what, hc.Argv[0], err)
	if errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.ENOEXEC) {
		return 126
	}
	return 127
}

func prctl(op, arg uintptr) error {
	if _, _, e := syscall.RawSyscall6(syscall.SYS_PRCTL, op, arg, 0, 0, 0, 0); e != 0 {
		return e
	}
	return nil
}

// setup builds the jail's file system on cfg.Root and makes it the root.
func setup(cfg *initConfig) error {
	// Nothing mounted here may reach the machine's mount namespace.
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making the mounts private: %w", err)
	}
	r := cfg.Root
	if err := syscall.Mount("tmpfs", r, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, "mode=0755,size=16m"); err != nil {
		return fmt.Errorf("mounting the jail's root: %w", err)
	}
	for _, d := range []string{"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc"} {
		fi, err := os.Lstat(d)
		switch {
		case err != nil:
			continue
		case fi.Mode()&fs.ModeSymlink != 0:
			t, err := os.Readlink(d)
			if err != nil {
				return err
			}
			if err := os.Symlink(t, r+d); err != nil {
				return err
			}
		case fi.IsDir():
			if err := bindRO(d, r+d, true); err != nil {
				return err
			}
		}
	}
	if err := setupProc(r); err != nil {
		return err
	}
	if err := setupDev(r, cfg.TTY); err != nil {
		return err
	}
	if err := os.Mkdir(r+"/tmp", 0o1777); err != nil {
		return err
	}
	if err := syscall.Mount("tmpfs", r+"/tmp", "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, fmt.Sprintf("mode=1777,size=%d", tmpSize)); err != nil {
		return fmt.Errorf("mounting /tmp: %w", err)
	}
	if err := setupSubmission(cfg, r+submissionFolder); err != nil {
		return err
	}
	for _, b := range cfg.ReadOnly {
		dst := filepath.Join(r, filepath.Clean(b.Jail))
		if err := os.MkdirAll(dst, 0o755); err != nil {
			return fmt.Errorf("bind %q: %w", b.Jail, err)
		}
		if err := bindRO(b.Host, dst, true); err != nil {
			return err
		}
	}
	if err := placeFiles(r, cfg); err != nil {
		return err
	}
	// The root itself is read-only: writing is for /tmp and /submission.
	if err := syscall.Mount("", r, "", syscall.MS_REMOUNT|syscall.MS_RDONLY|syscall.MS_NOSUID|syscall.MS_NODEV, ""); err != nil {
		return fmt.Errorf("making the jail's root read-only: %w", err)
	}
	if err := os.Chdir(r); err != nil {
		return err
	}
	if err := syscall.PivotRoot(".", "."); err != nil {
		return fmt.Errorf("pivot_root: %w", err)
	}
	if err := syscall.Unmount(".", syscall.MNT_DETACH); err != nil {
		return fmt.Errorf("detaching the machine's root: %w", err)
	}
	if err := os.Chdir(submissionFolder); err != nil {
		return err
	}
	syscall.Sethostname([]byte("jail"))
	return nil
}

// bindRO binds src at dst (made as a folder or a file like src) read-only,
// without setuid and (unless dev) device files, with every mount below it.
func bindRO(src, dst string, nodev bool) error {
	fi, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("bind %q: %w", src, err)
	}
	if fi.IsDir() {
		err = os.MkdirAll(dst, 0o755)
	} else {
		var f *os.File
		if f, err = os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			f.Close()
		}
	}
	if err != nil {
		return fmt.Errorf("bind %q: %w", src, err)
	}
	if err := syscall.Mount(src, dst, "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		return fmt.Errorf("binding %q: %w", src, err)
	}
	return readOnly(dst, nodev)
}

// atFDCWD is AT_FDCWD, a variable: a negative constant has no uintptr.
var atFDCWD = -100

type mountAttr struct {
	set, clr, propagation, usernsFD uint64
}

// readOnly makes the mount at dst, and every mount below it, read-only
// (mount_setattr, Linux 5.12), or the top one where that is missing.
func readOnly(dst string, nodev bool) error {
	attr := mountAttr{set: mountAttrRdonly | mountAttrNosuid}
	if nodev {
		attr.set |= mountAttrNodev
	}
	p, err := syscall.BytePtrFromString(dst)
	if err != nil {
		return err
	}
	_, _, e := syscall.Syscall6(sysMountSetattr, uintptr(atFDCWD), uintptr(unsafe.Pointer(p)), atRecursive, uintptr(unsafe.Pointer(&attr)), unsafe.Sizeof(attr), 0)
	if e == 0 {
		return nil
	}
	// Remounting must keep the flags the mount has (a user namespace may
	// not clear them).
	var st syscall.Statfs_t
	if err := syscall.Statfs(dst, &st); err != nil {
		return err
	}
	flags := uintptr(syscall.MS_REMOUNT | syscall.MS_BIND | syscall.MS_RDONLY | syscall.MS_NOSUID)
	if nodev {
		flags |= syscall.MS_NODEV
	}
	for _, f := range []struct{ st, ms uintptr }{
		{0x4, syscall.MS_NODEV}, {0x8, syscall.MS_NOEXEC}, {0x400, syscall.MS_NOATIME},
		{0x800, syscall.MS_NODIRATIME}, {0x1000, syscall.MS_RELATIME},
	} {
		if uintptr(st.Flags)&f.st != 0 {
			flags |= f.ms
		}
	}
	if err := syscall.Mount("", dst, "", flags, ""); err != nil {
		return fmt.Errorf("making %q read-only: %w", dst, err)
	}
	return nil
}

// setupProc mounts the jail's own /proc: it shows the jail's processes only.
// /proc/sys is read-only.
func setupProc(r string) error {
	if err := os.Mkdir(r+"/proc", 0o555); err != nil {
		return err
	}
	if err := syscall.Mount("proc", r+"/proc", "proc", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("mounting the jail's /proc: %w", err)
	}
	if err := syscall.Mount(r+"/proc/sys", r+"/proc/sys", "", syscall.MS_BIND|syscall.MS_REC, ""); err != nil {
		return fmt.Errorf("binding /proc/sys: %w", err)
	}
	return readOnly(r+"/proc/sys", true)
}

// setupDev makes a minimal /dev: the harmless devices bound from the
// machine's, a private devpts for terminals, and /dev/shm.
func setupDev(r string, tty bool) error {
	dev := r + "/dev"
	if err := os.Mkdir(dev, 0o755); err != nil {
		return err
	}
	if err := syscall.Mount("tmpfs", dev, "tmpfs", syscall.MS_NOSUID|syscall.MS_NOEXEC, fmt.Sprintf("mode=0755,size=%d", tmpSize)); err != nil {
		return fmt.Errorf("mounting /dev: %w", err)
	}
	for _, d := range []string{"null", "zero", "full", "random", "urandom", "tty"} {
		dst := dev + "/" + d
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY, 0o666)
		if err != nil {
			return err
		}
		f.Close()
		if err := syscall.Mount("/dev/"+d, dst, "", syscall.MS_BIND, ""); err != nil {
			return fmt.Errorf("binding /dev/%s: %w", d, err)
		}
	}
	for name, target := range map[string]string{"fd": "/proc/self/fd", "stdin": "/proc/self/fd/0",
		"stdout": "/proc/self/fd/1", "stderr": "/proc/self/fd/2", "ptmx": "pts/ptmx"} {
		if err := os.Symlink(target, dev+"/"+name); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dev+"/pts", 0o755); err != nil {
		return err
	}
	if err := syscall.Mount("devpts", dev+"/pts", "devpts", syscall.MS_NOSUID|syscall.MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620"); err != nil && tty {
		return fmt.Errorf("mounting /dev/pts: %w", err)
	}
	if err := os.Mkdir(dev+"/shm", 0o1777); err != nil {
		return err
	}
	if err := syscall.Mount("tmpfs", dev+"/shm", "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, fmt.Sprintf("mode=1777,size=%d", tmpSize)); err != nil {
		return fmt.Errorf("mounting /dev/shm: %w", err)
	}
	// /dev belongs to the jail's root, which in a user namespace is the
	// program's own user: read-only, it holds no files of the program's.
	if err := syscall.Mount("", dev, "", syscall.MS_REMOUNT|syscall.MS_RDONLY|syscall.MS_NOSUID|syscall.MS_NOEXEC, ""); err != nil {
		return fmt.Errorf("making /dev read-only: %w", err)
	}
	return nil
}

// setupSubmission makes /submission: a private copy of cfg.Dir on a tmpfs of
// its own, or cfg.Dir itself when Writable; it belongs to the program's user.
func setupSubmission(cfg *initConfig, dst string) error {
	if err := os.Mkdir(dst, 0o755); err != nil {
		return err
	}
	if cfg.Writable && cfg.Dir != "" {
		if cfg.UID != os.Getuid() {
			if err := chownTree(cfg.Dir, cfg.UID, cfg.GID); err != nil {
				return err
			}
		}
		if err := syscall.Mount(cfg.Dir, dst, "", syscall.MS_BIND, ""); err != nil {
			return fmt.Errorf("binding the program's folder: %w", err)
		}
		return syscall.Mount("", dst, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_NOSUID|syscall.MS_NODEV, "")
	}
	var size int64
	if cfg.Dir != "" {
		err := filepath.WalkDir(cfg.Dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				fi, err := d.Info()
				if err != nil {
					return err
				}
				size += fi.Size() + 4096
			} else {
				size += 4096
			}
			if size > maxCopy {
				return fmt.Errorf("the program's folder %q holds more than %s", cfg.Dir, mib(maxCopy))
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	if err := syscall.Mount("tmpfs", dst, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV, fmt.Sprintf("mode=0755,size=%d", size+tmpSize)); err != nil {
		return fmt.Errorf("mounting /submission: %w", err)
	}
	if cfg.Dir != "" {
		if err := copyTree(cfg.Dir, dst); err != nil {
			return fmt.Errorf("copying the program's folder: %w", err)
		}
	}
	return chownTree(dst, cfg.UID, cfg.GID)
}

// CopyDir copies the folders, regular files and symbolic links of src into
// the existing folder dst, as the jail copies a program's folder: links are
// copied as links, never followed.
func CopyDir(src, dst string) error { return copyTree(src, dst) }

// copyTree copies the folders, regular files and symbolic links (as links,
// never followed) of src into dst.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil || rel == "." {
			return err
		}
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.Mkdir(to, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			t, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(t, to)
		case d.Type().IsRegular():
			fi, err := d.Info()
			if err != nil {
				return err
			}
			in, err := os.OpenFile(p, os.O_RDONLY|syscall.O_NOFOLLOW, 0)
			if err != nil {
				return err
			}
			defer in.Close()
			out, err := os.OpenFile(to, os.O_CREATE|os.O_EXCL|os.O_WRONLY, fi.Mode().Perm()|0o600)
			if err != nil {
				return err
			}
			_, err = io.Copy(out, in)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			return err
		}
		return nil // devices, sockets, fifos: not copied
	})
}

func chownTree(dir string, uid, gid int) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, uid, gid)
	})
}

// placeFiles writes cfg.Files: over an existing file (a system one, in a
// read-only folder) by binding a copy onto it; elsewhere as a new file.
func placeFiles(r string, cfg *initConfig) error {
	n := 0
	for p, data := range cfg.Files {
		dst := filepath.Join(r, filepath.Clean(p))
		if fi, err := os.Lstat(dst); err == nil && fi.Mode().IsRegular() {
			// The copy is written in /tmp, a file system that stays
			// writable: an unlinked file in use would keep the root from
			// becoming read-only.
			src := filepath.Join(r, "tmp", fmt.Sprintf(".wirelab-file-%d", n))
			n++
			if err := os.WriteFile(src, data, 0o644); err != nil {
				return err
			}
			if err := syscall.Mount(src, dst, "", syscall.MS_BIND, ""); err != nil {
				return fmt.Errorf("placing %q: %w", p, err)
			}
			if err := readOnly(dst, true); err != nil {
				return err
			}
			os.Remove(src)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return fmt.Errorf("placing %q: %w", p, err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			return fmt.Errorf("placing %q: %w", p, err)
		}
		os.Lchown(dst, cfg.UID, cfg.GID)
	}
	return nil
}

var signalNames = map[syscall.Signal]string{
	syscall.SIGHUP: "SIGHUP", syscall.SIGINT: "SIGINT", syscall.SIGQUIT: "SIGQUIT", syscall.SIGILL: "SIGILL",
	syscall.SIGTRAP: "SIGTRAP", syscall.SIGABRT: "SIGABRT", syscall.SIGBUS: "SIGBUS", syscall.SIGFPE: "SIGFPE",
	syscall.SIGKILL: "SIGKILL", syscall.SIGUSR1: "SIGUSR1", syscall.SIGSEGV: "SIGSEGV", syscall.SIGUSR2: "SIGUSR2",
	syscall.SIGPIPE: "SIGPIPE", syscall.SIGALRM: "SIGALRM", syscall.SIGTERM: "SIGTERM", syscall.SIGXCPU: "SIGXCPU",
	syscall.SIGXFSZ: "SIGXFSZ", syscall.SIGSYS: "SIGSYS",
}

func signalName(n int) string {
	if n == 0 {
		return ""
	}
	if s, ok := signalNames[syscall.Signal(n)]; ok {
		return s
	}
	return fmt.Sprintf("signal %d", n)
}
