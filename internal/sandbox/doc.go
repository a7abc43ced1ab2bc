// Package sandbox runs a lab's submission in a worker process: the wirelab binary
// re-executed inside a private network namespace, with a wall-clock deadline, a
// memory cap, an output cap and a limit on open files and sockets.
//
// The parent side (Run) starts the worker, hands it a Config over a pipe, and
// enforces the deadline and the memory cap with SIGKILL, which it can always
// deliver, even when the script is stuck inside a Go built-in. The worker side
// (WorkerMain) brings up the namespace's loopback with the lab's addresses, starts
// the lab's services, captures every packet on the namespace's loopback into
// capture.pcapng as the packets arrive, runs the script, and writes output.txt and
// events.jsonl. Artifacts are files, so a killed worker still leaves behind
// everything it captured up to the kill.
//
// A program that spawns workers calls WorkerMain early when IsWorker reports that
// it is one: the wirelab binary through its hidden `__worker` command, test
// binaries from TestMain.
package sandbox
