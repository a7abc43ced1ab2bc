package runner

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// loadSoon is Load with a deadline: a lab that hangs the loader fails the test
// instead of hanging it.
func loadSoon(t *testing.T, path string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { _, err := Load(path); done <- err }()
	select {
	case err := <-done:
		return err
	case <-time.After(5 * time.Second):
		t.Fatalf("Load(%s) still running after 5s", path)
		return nil
	}
}

// A FIFO (or any file that is not a regular file) as lab.yaml, as a route
// file, or as a Lua file fails at once with what it is; it hung check and run
// forever.
func TestLabFilesMustBeRegular(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "lab.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if err := loadSoon(t, dir); err == nil || !strings.Contains(err.Error(), "lab.yaml is a named pipe (FIFO), not a file") {
		t.Errorf("FIFO lab.yaml: %v", err)
	}

	dir = t.TempDir()
	os.WriteFile(filepath.Join(dir, "solution.lua"), []byte("print(1)\n"), 0o644)
	for _, f := range []string{"page.html", "checks.lua"} {
		if err := syscall.Mkfifo(filepath.Join(dir, f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, "lab.yaml"), []byte(`lab: fifo
hosts: {server: 10.0.0.80, client: 10.0.0.10}
services:
  - name: web
    kind: http
    listen: server:80
    routes:
      /: {file: page.html}
submission: {file: solution.lua}
checks:
  - name: asks
    lua: checks.lua:asks
`), 0o644)
	err := loadSoon(t, dir)
	for _, want := range []string{
		`lab.yaml:8:17: service "web" route "/" file "page.html" is a named pipe (FIFO), not a file`,
		`lab.yaml:12:10: check "asks" lua file "checks.lua" is a named pipe (FIFO), not a file`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("FIFO route and Lua files: %v\nwant %s", err, want)
		}
	}
}
