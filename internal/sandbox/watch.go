package sandbox

import "time"

// watchEvery polls cond every 10 ms in a goroutine of its own and calls over
// once, the first time cond holds. stop ends the watch (it must be called).
func watchEvery(cond func() bool, over func()) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if cond() {
					over()
					return
				}
			}
		}
	}()
	return func() { close(done) }
}
