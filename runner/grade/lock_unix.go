//go:build unix

package grade

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// lockFile is held by the batch writing a class folder: two batches writing
// one folder would delete each other's runs in progress (each clears the
// staging folder it starts with).
const lockFile = ".lock"

// lockOut takes the class folder's lock, or says which process holds it. The
// lock is an flock, so a batch killed with kill -9 leaves nothing to clean up.
func lockOut(dir string) (unlock func(), err error) {
	p := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(p)
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			who := "another process"
			if pid, perr := strconv.Atoi(strings.TrimSpace(string(b))); perr == nil {
				who = fmt.Sprintf("process %d", pid)
			}
			return nil, fmt.Errorf("another wirelab grade (%s) is writing to %q: wait for it to finish, or use another --out", who, dir)
		}
		return nil, fmt.Errorf("locking %q: %w", dir, err)
	}
	f.Truncate(0)
	f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return func() { f.Close() }, nil
}
