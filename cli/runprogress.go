package cli

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// runProgress shows, on a terminal, that a run is under way while it waits
// for the submission or its deadline: "running http-client: 3s of 10s",
// updated every second and wiped when the run ends (stop). Elsewhere (a
// pipe, a file, CI) it prints nothing: a log wants the result, not a clock.
func runProgress(w io.Writer, lab string, deadline time.Duration) (stop func()) {
	if !isTerminal(w) {
		return func() {}
	}
	return tickProgress(w, lab, deadline, time.Second)
}

// tickProgress writes the progress line every interval until stop, which
// wipes it and returns once nothing more will be written.
func tickProgress(w io.Writer, lab string, deadline, interval time.Duration) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	start := time.Now()
	go func() {
		defer close(finished)
		t := time.NewTicker(interval)
		defer t.Stop()
		last := 0
		for {
			select {
			case <-done:
				if last > 0 {
					fmt.Fprint(w, "\r"+strings.Repeat(" ", last)+"\r")
				}
				return
			case <-t.C:
				line := fmt.Sprintf("running %s: %s of %s", visible(lab), time.Since(start).Truncate(time.Second), deadline)
				fmt.Fprint(w, "\r"+line+strings.Repeat(" ", max(0, last-len(line))))
				last = max(last, len(line))
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}
