package service

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/testcorpus"
)

// FuzzReplayCapture: a replay service's capture is the lab author's file, but
// no file may crash the worker.
func FuzzReplayCapture(f *testing.F) {
	// Seeds: real recorded conversations (a missing one fails: a fuzzer
	// starting from nothing never gets past the magic number).
	for _, p := range []string{
		filepath.Join("..", "..", "runner", "testdata", "run", "replay", "recorded.pcapng"),
		filepath.Join("..", "..", "labs", "replay-server", "http-client.pcapng"),
		testcorpus.Path(f, "captures/http-get.pcap"),
	} {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, 0)
		f.Add(b, 1)
		f.Add(b[:len(b)/2], 0)
	}
	f.Add([]byte{}, 1)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, stream int) {
		p := filepath.Join(dir, "c.pcapng")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		conv, err := loadConversation(p, stream)
		if err == nil && len(conv.turns) == 0 {
			t.Fatal("a conversation without turns loaded")
		}
	})
}

// FuzzReadLine: a banner service reads whatever a client sends, line by line,
// never keeping more than maxLine bytes of one line.
func FuzzReadLine(f *testing.F) {
	f.Add("USER anonymous\r\nPASS x\r\n")
	f.Add(strings.Repeat("a", 70000) + "\n")
	f.Add("no newline")
	f.Fuzz(func(t *testing.T, in string) {
		r := bufio.NewReaderSize(strings.NewReader(in), 4096)
		for i := 0; i < len(in)+1; i++ {
			line, err := readLine(r)
			if len(line) > maxLine {
				t.Fatalf("line of %d bytes", len(line))
			}
			if strings.ContainsAny(line, "\n") {
				t.Fatalf("line %q holds a newline", line)
			}
			if err != nil {
				return
			}
		}
		t.Fatal("readLine did not reach the end")
	})
}
