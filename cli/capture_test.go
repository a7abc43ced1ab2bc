package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/wirelab-dev/wirelab/capture"
)

// captNeedRoot skips a test that needs root, or fails it when CI is set.
func captNeedRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("live capture tests need root in CI")
		}
		t.Skip("live capture needs root")
	}
}

// captInNetns runs fn on a thread of its own in a new network namespace with lo
// up; sockets and captures fn opens belong to that namespace.
func captInNetns(t *testing.T, fn func() error) {
	t.Helper()
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if err := syscall.Unshare(syscall.CLONE_NEWNET); err != nil {
			errc <- err
			return
		}
		fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
		if err != nil {
			errc <- err
			return
		}
		defer syscall.Close(fd)
		var ifr [40]byte
		copy(ifr[:], "lo")
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCGIFFLAGS, uintptr(unsafe.Pointer(&ifr))); e != 0 {
			errc <- e
			return
		}
		*(*uint16)(unsafe.Pointer(&ifr[16])) |= syscall.IFF_UP
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCSIFFLAGS, uintptr(unsafe.Pointer(&ifr))); e != 0 {
			errc <- e
			return
		}
		errc <- fn()
	}()
	if err := <-errc; err != nil {
		if errors.Is(err, syscall.EPERM) && os.Getenv("CI") == "" {
			t.Skipf("no network namespace: %v", err)
		}
		t.Fatal(err)
	}
}

// captRun runs `wirelab capture args...` inside a fresh namespace while UDP
// datagrams flow to two ports on 127.0.0.1 until the command returns. It returns
// the exit code, the output, and the port the filter tests select.
func captRun(t *testing.T, args func(port int) []string) (code int, stdout, stderr string, port int) {
	t.Helper()
	captInNetns(t, func() error {
		want, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer want.Close()
		other, err := net.ListenPacket("udp4", "127.0.0.1:0")
		if err != nil {
			return err
		}
		defer other.Close()
		port = want.LocalAddr().(*net.UDPAddr).Port
		stopc := make(chan struct{})
		sent := make(chan struct{})
		go func() {
			// A steady flow: the command captures whatever comes after it opened
			// the interface, so no readiness signal is needed.
			defer close(sent)
			tick := time.NewTicker(200 * time.Microsecond) // a flow, not a flood
			defer tick.Stop()
			for i := 0; ; i++ {
				select {
				case <-stopc:
					return
				case <-tick.C:
				}
				msg := []byte(fmt.Sprintf("datagram %d", i))
				other.WriteTo(msg, want.LocalAddr())
				want.WriteTo(msg, other.LocalAddr())
				// Read both back so the receive buffers never fill; a deadline,
				// as loopback may drop a datagram under load (a full backlog),
				// and a blocked read would hang the test instead.
				buf := make([]byte, 64)
				want.SetReadDeadline(time.Now().Add(time.Second))
				want.ReadFrom(buf)
				other.SetReadDeadline(time.Now().Add(time.Second))
				other.ReadFrom(buf)
			}
		}()
		var out, errb bytes.Buffer
		code = Run(append([]string{"capture"}, args(port)...), &out, &errb)
		close(stopc)
		<-sent
		stdout, stderr = out.String(), errb.String()
		return nil
	})
	return code, stdout, stderr, port
}

// captSummary is the last line of a capture. The kernel may drop packets when
// the machine is busy, so the count of drops is not checked.
var captSummary = regexp.MustCompile(`^\d+ packets captured, \d+ dropped by kernel\n$`)

func TestCaptureWritesPcapng(t *testing.T) {
	captNeedRoot(t)
	file := filepath.Join(t.TempDir(), "out.pcapng")
	code, stdout, stderr, port := captRun(t, func(port int) []string {
		return []string{"-i", "lo", "-f", fmt.Sprintf("udp dst port %d", port), "-c", "5", "-w", file}
	})
	if code != ExitOK || stdout != "" || !captSummary.MatchString(stderr) || !strings.HasPrefix(stderr, "5 packets captured, ") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	pkts, err := capture.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkts) != 5 {
		t.Fatalf("file holds %d packets, want 5", len(pkts))
	}
	for _, p := range pkts {
		if got := strings.Join(p.Strings("udp.dstport"), ","); got != fmt.Sprint(port) {
			t.Errorf("packet %d: udp.dstport %q, want %d (the filter)", p.Number, got, port)
		}
	}
}

func TestCapturePrintsLines(t *testing.T) {
	captNeedRoot(t)
	code, stdout, stderr, port := captRun(t, func(port int) []string {
		return []string{"-i", "lo", "-f", fmt.Sprintf("udp and dst port %d", port), "-c", "3"}
	})
	if code != ExitOK || !captSummary.MatchString(stderr) || !strings.HasPrefix(stderr, "3 packets captured, ") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), stdout)
	}
	for i, l := range lines {
		if !strings.HasPrefix(strings.TrimLeft(l, " "), fmt.Sprint(i+1)+" ") || !strings.Contains(l, "127.0.0.1 → 127.0.0.1") ||
			!strings.Contains(l, "UDP") || !strings.Contains(l, fmt.Sprintf("→ %d", port)) {
			t.Errorf("line %d = %q", i+1, l)
		}
	}
}

func TestCaptureDuration(t *testing.T) {
	captNeedRoot(t)
	file := filepath.Join(t.TempDir(), "quiet.pcapng")
	code, _, stderr, _ := captRun(t, func(port int) []string {
		return []string{"-i", "lo", "-f", "tcp", "--duration", "200ms", "-w", file}
	})
	if code != ExitOK || !captSummary.MatchString(stderr) || !strings.HasPrefix(stderr, "0 packets captured, ") {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	src, err := capture.OpenFile(file) // a valid, empty capture
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := src.Next(); err != io.EOF {
		t.Errorf("Next = %v, want io.EOF", err)
	}
}

func TestCaptureUsage(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"capture"}, "error: -i INTERFACE is required"},
		{[]string{"capture", "-i", "lo", "-c", "-1"}, "error: -c -1: the count must be positive"},
		{[]string{"capture", "-i", "lo", "-f", "port 80 and"}, "error: bad capture filter"},
		{[]string{"capture", "-i", "lo", "extra"}, `error: wirelab capture takes no arguments, got "extra"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Run(tt.args, &out, &errb)
			if code != ExitError || !strings.HasPrefix(errb.String(), tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), ExitError, tt.want)
			}
		})
	}
}

func TestCaptureNoSuchInterface(t *testing.T) {
	captNeedRoot(t)
	var out, errb bytes.Buffer
	code := Run([]string{"capture", "-i", "nosuch0"}, &out, &errb)
	if code != ExitError || errb.String() != "error: live capture on \"nosuch0\": no such interface\n" {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}
