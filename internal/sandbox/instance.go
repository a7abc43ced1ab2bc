package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// A lab that is up has a name (the lab's id, or `--name`) and three entries
// in the user's runtime folder: NAME.json, its state (the pid of the process
// that keeps it up, the lab, its folder, since when), held with flock by
// that process, so a second one of the same name is refused and a killed
// one's leftovers are known for what they are; NAME.sock, the control
// socket `wirelab exec` connects to; and the folder NAME/, the lab's
// services log.

// runtimeDir is the folder of this user's labs that are up:
// $XDG_RUNTIME_DIR/wirelab, else /tmp/wirelab-UID. It is made mode 0700 and
// must be this user's: the sockets in it start commands inside the labs.
func runtimeDir() (string, error) {
	dir := ""
	if x := os.Getenv("XDG_RUNTIME_DIR"); x != "" && filepath.IsAbs(x) {
		if st, err := os.Stat(x); err == nil && st.IsDir() {
			dir = filepath.Join(x, "wirelab")
		}
	}
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "wirelab-"+strconv.Itoa(os.Getuid()))
	}
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, os.ErrExist) {
		return "", fmt.Errorf("the runtime folder: %w", err)
	}
	st, err := os.Lstat(dir)
	if err != nil {
		return "", fmt.Errorf("the runtime folder: %w", err)
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !st.IsDir() || !ok || int(sys.Uid) != os.Getuid() {
		return "", fmt.Errorf("the runtime folder %s is not a folder of this user's (uid %d): remove it, or set XDG_RUNTIME_DIR to a folder of yours", dir, os.Getuid())
	}
	if st.Mode().Perm() != 0o700 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return "", fmt.Errorf("the runtime folder: %w", err)
		}
	}
	return dir, nil
}

var instanceName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// CheckInstanceName refuses a name that cannot name a lab that is up.
func CheckInstanceName(name string) error {
	if !instanceName.MatchString(name) {
		return fmt.Errorf("%q cannot name a lab that is up: use letters, digits, '.', '_' and '-' (at most 64, starting with a letter or digit)", name)
	}
	return nil
}

// InstanceSocket is the control socket of the lab that is up as name.
func InstanceSocket(name string) (string, error) {
	if err := CheckInstanceName(name); err != nil {
		return "", err
	}
	dir, err := runtimeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, name+".sock"), nil
}

// State is what a lab that is up says of itself in NAME.json.
type State struct {
	Name    string    `json:"name"`
	PID     int       `json:"pid"`     // the `wirelab up` (or run --keep) keeping it
	Lab     string    `json:"lab"`     // the lab's id
	Path    string    `json:"path"`    // the lab's folder
	Started time.Time `json:"started"` // when it was claimed
}

func (st *State) String() string {
	return fmt.Sprintf("pid %d, up since %s", st.PID, st.Started.Local().Format("15:04:05"))
}

// ReadState reads the state of the lab up as name, and whether the process
// that wrote it still holds it: a state nobody holds is a leftover of a
// `wirelab up` that was killed (SIGKILL, a crash) before it could clear it.
// A name with no state gives an error satisfying errors.Is(err,
// fs.ErrNotExist).
func ReadState(name string) (st *State, held bool, err error) {
	if err := CheckInstanceName(name); err != nil {
		return nil, false, err
	}
	dir, err := runtimeDir()
	if err != nil {
		return nil, false, err
	}
	f, err := os.Open(filepath.Join(dir, name+".json"))
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	held = syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB) != nil
	st = &State{Name: name}
	if err := json.NewDecoder(f).Decode(st); err != nil && held {
		// Being written: the holder is up, what it says is not known yet.
		return &State{Name: name}, true, nil
	}
	return st, held, nil
}

// ClearStale removes what a killed `wirelab up` left for name (its state,
// socket and services log) and reports whether there was such a leftover;
// a name that is held is left alone.
func ClearStale(name string) bool {
	if CheckInstanceName(name) != nil {
		return false
	}
	dir, err := runtimeDir()
	if err != nil {
		return false
	}
	path := filepath.Join(dir, name+".json")
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return false
	}
	os.Remove(filepath.Join(dir, name+".sock"))
	os.RemoveAll(filepath.Join(dir, name))
	os.Remove(path)
	return true
}

// Instances lists the states of the labs that are up, by name.
func Instances() []State {
	dir, err := runtimeDir()
	if err != nil {
		return nil
	}
	ents, _ := os.ReadDir(dir)
	var out []State
	for _, e := range ents {
		name, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok {
			continue
		}
		if st, held, err := ReadState(name); err == nil && held {
			out = append(out, *st)
		}
	}
	return out
}

// Instance is a claimed name: the lock, the control socket listening and
// the folder for the lab's services log.
type Instance struct {
	Name    string
	Socket  string
	State   string   // NAME.json
	Dir     string   // the services log's folder
	Control *os.File // the listening socket, for the worker
	lock    *os.File
	ln      *net.UnixListener
}

// BusyError is a name another `wirelab up` holds.
type BusyError struct {
	Name string
	Info string // "pid 123, up since 08:01:02", what the holder wrote
}

func (e *BusyError) Error() string {
	s := fmt.Sprintf("a lab is already up as %q", e.Name)
	if e.Info != "" {
		s += " (" + e.Info + ")"
	}
	return s
}

// Claim takes name for the lab at path (its id lab) that is about to be up:
// it refuses a name held by a running `wirelab up` (a *BusyError), clears
// what a killed one left, writes the state and listens on the control
// socket (mode 0600).
func Claim(name, lab, path string) (*Instance, error) {
	if err := CheckInstanceName(name); err != nil {
		return nil, err
	}
	dir, err := runtimeDir()
	if err != nil {
		return nil, err
	}
	in := &Instance{Name: name, Socket: filepath.Join(dir, name+".sock"), Dir: filepath.Join(dir, name)}
	statePath := filepath.Join(dir, name+".json")
	in.State = statePath
	lock, err := os.OpenFile(statePath, os.O_RDWR|os.O_CREATE|syscall.O_CLOEXEC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		lock.Close()
		busy := &BusyError{Name: name}
		if st, _, err := ReadState(name); err == nil && st.PID != 0 {
			busy.Info = st.String()
		}
		return nil, busy
	}
	in.lock = lock
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	lock.Truncate(0)
	json.NewEncoder(lock).Encode(&State{Name: name, PID: os.Getpid(), Lab: lab, Path: path, Started: time.Now().UTC()})
	os.Remove(in.Socket) // a killed up's: nobody holds the lock
	os.RemoveAll(in.Dir)
	if err := os.Mkdir(in.Dir, 0o700); err != nil {
		in.Release()
		return nil, err
	}
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: in.Socket, Net: "unix"})
	if err != nil {
		in.Release()
		return nil, fmt.Errorf("the control socket: %w", err)
	}
	os.Chmod(in.Socket, 0o600) // the folder is 0700 already
	ln.SetUnlinkOnClose(false) // Release removes it, after the worker is gone
	in.ln = ln
	if in.Control, err = ln.File(); err != nil {
		in.Release()
		return nil, err
	}
	return in, nil
}

// Release removes the instance's socket, folder and lock, and frees the name.
func (in *Instance) Release() {
	if in.Control != nil {
		in.Control.Close()
	}
	if in.ln != nil {
		in.ln.Close()
	}
	os.Remove(in.Socket)
	os.RemoveAll(in.Dir)
	if in.lock != nil {
		os.Remove(in.lock.Name())
		in.lock.Close()
	}
}
