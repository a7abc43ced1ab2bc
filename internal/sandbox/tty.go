package sandbox

import (
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
	"unsafe"

	"github.com/wirelab-dev/wirelab/internal/jail"
)

// execTTY is the terminal side of `wirelab exec` at a terminal. The command
// cannot have exec's own terminal as its controlling terminal (that belongs
// to the person's shell session), so exec makes a pseudo-terminal, hands the
// command its slave end and copies between the two with its own terminal in
// raw mode: Ctrl-C, Ctrl-Z and line editing are then the command's
// terminal's business, as under ssh -t or docker exec -t.
type execTTY struct {
	in, out       *os.File // the caller's terminal, and where the command's terminal output goes
	master, slave *os.File
	fds           []*os.File // what the command gets as stdin, stdout, stderr
	saved         *syscall.Termios
	copied        chan struct{}
	winch         chan os.Signal
	closed        sync.Once
}

func newExecTTY(stdin, stdout, stderr *os.File) (*execTTY, error) {
	master, slave, err := jail.OpenPTY()
	if err != nil {
		return nil, err
	}
	t := &execTTY{in: stdin, master: master, slave: slave, copied: make(chan struct{})}
	t.fds = []*os.File{slave, stdout, stderr}
	switch {
	case isTerminal(stdout):
		t.out = stdout
		t.fds[1] = slave
		if isTerminal(stderr) {
			t.fds[2] = slave
		}
	case isTerminal(stderr):
		t.out = stderr
		t.fds[2] = slave
	}
	t.resize()
	return t, nil
}

// sent drops exec's copy of the slave once the worker holds its own: the
// master then reads end of file when the command's side is all closed.
func (t *execTTY) sent() {
	t.slave.Close()
}

// start puts the caller's terminal in raw mode and starts copying.
func (t *execTTY) start() {
	if tio, err := getTermios(t.in); err == nil {
		t.saved = tio
		raw := *tio
		makeRaw(&raw)
		setTermios(t.in, &raw)
	}
	t.winch = make(chan os.Signal, 1)
	signal.Notify(t.winch, syscall.SIGWINCH)
	go func() {
		for range t.winch {
			t.resize()
		}
	}()
	go copyPlain(t.master, t.in) // ends with the process: a read of the terminal cannot be interrupted
	go func() {
		defer close(t.copied)
		out := io.Writer(io.Discard)
		if t.out != nil {
			out = t.out
		}
		copyPlain(out, t.master)
	}()
}

// drain waits for the command's last output: until every holder of the
// slave is gone, or a moment more when a background job keeps it open.
func (t *execTTY) drain() {
	t.master.SetReadDeadline(time.Now().Add(time.Second))
	select {
	case <-t.copied:
	case <-time.After(2 * time.Second): // a backstop should the deadline not hold
	}
}

// copyPlain copies with read and write, nothing else: io.Copy between two
// files tries copy_file_range and splice first, which a terminal has no use
// for.
func copyPlain(w io.Writer, r io.Reader) {
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// close gives the caller's terminal its settings back.
func (t *execTTY) close() {
	t.closed.Do(func() {
		if t.winch != nil {
			signal.Stop(t.winch)
		}
		if t.saved != nil {
			setTermios(t.in, t.saved)
		}
		t.master.Close()
		t.slave.Close()
	})
}

// resize gives the command's terminal the caller's size.
func (t *execTTY) resize() {
	var ws [4]uint16
	if ioctl(t.in, syscall.TIOCGWINSZ, unsafe.Pointer(&ws)) == nil {
		ioctl(t.master, syscall.TIOCSWINSZ, unsafe.Pointer(&ws))
	}
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool {
	_, err := getTermios(f)
	return err == nil
}

func getTermios(f *os.File) (*syscall.Termios, error) {
	var t syscall.Termios
	if err := ioctl(f, syscall.TCGETS, unsafe.Pointer(&t)); err != nil {
		return nil, err
	}
	return &t, nil
}

func setTermios(f *os.File, t *syscall.Termios) error {
	return ioctl(f, syscall.TCSETS, unsafe.Pointer(t))
}

// makeRaw is cfmakeraw(3): bytes pass through untouched, no echo, no signals
// from keys.
func makeRaw(t *syscall.Termios) {
	t.Iflag &^= syscall.IGNBRK | syscall.BRKINT | syscall.PARMRK | syscall.ISTRIP | syscall.INLCR | syscall.IGNCR | syscall.ICRNL | syscall.IXON
	t.Oflag &^= syscall.OPOST
	t.Lflag &^= syscall.ECHO | syscall.ECHONL | syscall.ICANON | syscall.ISIG | syscall.IEXTEN
	t.Cflag &^= syscall.CSIZE | syscall.PARENB
	t.Cflag |= syscall.CS8
	t.Cc[syscall.VMIN] = 1
	t.Cc[syscall.VTIME] = 0
}

// ioctl runs an ioctl on f without taking it out of the runtime's poller.
func ioctl(f *os.File, req uintptr, arg unsafe.Pointer) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var errno syscall.Errno
	cerr := rc.Control(func(fd uintptr) {
		_, _, errno = syscall.Syscall(syscall.SYS_IOCTL, fd, req, uintptr(arg))
	})
	if cerr != nil {
		return cerr
	}
	if errno != 0 {
		return errno
	}
	return nil
}
