package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/wirelab-dev/wirelab/capture"
	"github.com/wirelab-dev/wirelab/capture/filter"
)

func init() { register(newCaptureCmd) }

type captureOpts struct {
	iface    string
	filter   string
	write    string
	count    int
	duration time.Duration
	snaplen  int
}

func newCaptureCmd() *cobra.Command {
	var o captureOpts
	cmd := &cobra.Command{
		Use:   "capture -i IFACE [-f CAPTURE_FILTER] [-w FILE.pcapng] [-c N] [--duration D]",
		Short: "Capture live packets on an interface, like tcpdump",
		Long: `capture records packets on a network interface (Linux, root or CAP_NET_RAW).
Without -w it prints one line per packet in tshark's layout; with -w it writes a
pcapng file Wireshark opens. It stops after -c packets, after --duration, or on
Ctrl-C, and then reports how many packets it captured and the kernel dropped.
On a loopback interface each packet appears once, as in tcpdump.

The capture filter uses tcpdump's syntax: 'tcp port 80', 'host 10.0.0.80 and not arp'.

Examples:
  wirelab capture -i lo -f 'tcp port 80'
  wirelab capture -i lo -w http.pcapng -c 100
  wirelab capture -i any --duration 10s -w all.pcapng`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCapture(o, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.iface, "interface", "i", "", "interface to capture on (\"lo\", \"eth0\", \"any\")")
	f.StringVarP(&o.filter, "filter", "f", "", "capture filter, tcpdump syntax")
	f.StringVarP(&o.write, "write", "w", "", "write packets to this pcapng file instead of printing them")
	f.IntVarP(&o.count, "count", "c", 0, "stop after this many packets (0: no limit)")
	f.DurationVar(&o.duration, "duration", 0, "stop after this long (for example 10s; 0: no limit)")
	f.IntVarP(&o.snaplen, "snaplen", "s", 0, fmt.Sprintf("bytes kept of each packet (0: %d)", capture.DefaultSnaplen))
	return cmd
}

func runCapture(o captureOpts, stdout, stderr io.Writer) error {
	if o.iface == "" {
		return usagef("-i INTERFACE is required (for example -i lo, or -i any for every interface)")
	}
	if o.count < 0 {
		return usagef("-c %d: the count must be positive", o.count)
	}
	if o.duration < 0 {
		return usagef("--duration %v: the duration must be positive", o.duration)
	}
	if o.snaplen < 0 || o.snaplen > capture.MaxRecordSize {
		return usagef("-s %d: the snapshot length must be between 0 and %d", o.snaplen, capture.MaxRecordSize)
	}
	var opt capture.LiveOptions
	opt.Snaplen = o.snaplen
	if o.filter != "" {
		flt, err := capture.CompileCapture(o.filter)
		if err != nil {
			var fe *filter.Error
			if errors.As(err, &fe) {
				fmt.Fprintf(stderr, "error: bad capture filter:\n%s\n", strings.TrimRight(fe.Caret(), "\n"))
				return exitCode(ExitError)
			}
			return usagef("bad capture filter %q: %v", o.filter, err)
		}
		opt.Filter = flt
	}

	live, err := capture.OpenLive(o.iface, opt)
	if err != nil {
		return err
	}
	defer live.Close()

	var out *os.File
	var w *capture.Writer
	var iface int
	if o.write != "" {
		out, err = os.Create(o.write)
		if err != nil {
			return err
		}
		defer out.Close()
		if w, err = capture.NewWriter(out); err == nil {
			iface, err = w.AddInterface(o.iface, live.LinkType(), o.snaplen)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", o.write, err)
		}
	}

	// Ctrl-C, SIGTERM or the duration stop the capture gracefully: what the
	// kernel already queued is still read, then Next returns io.EOF.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if o.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.duration)
		defer cancel()
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			live.Stop()
		case <-done:
		}
	}()

	bw := bufio.NewWriter(stdout)
	dec := capture.NewDecoder()
	var p capture.Packet
	n := 0
	lastFlush := time.Now()
	var runErr error
	for o.count == 0 || n < o.count {
		fr, err := live.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			runErr = err
			break
		}
		n++
		if w != nil {
			if err := w.WriteFrame(iface, fr); err != nil {
				runErr = fmt.Errorf("%s: %w", o.write, err)
				break
			}
		} else {
			dec.DecodeInto(fr, &p)
			bw.WriteString(p.Line())
			bw.WriteByte('\n')
		}
		// Someone watching the output or the file sees packets within a second.
		if time.Since(lastFlush) > time.Second {
			lastFlush = time.Now()
			bw.Flush()
			if w != nil {
				w.Flush()
			}
		}
	}
	live.Close()
	bw.Flush()
	if w != nil {
		if err := w.Flush(); err != nil && runErr == nil {
			runErr = fmt.Errorf("%s: %w", o.write, err)
		}
		if err := out.Close(); err != nil && runErr == nil {
			runErr = fmt.Errorf("%s: %w", o.write, err)
		}
	}
	_, dropped := live.Stats()
	fmt.Fprintf(stderr, "%d packets captured, %d dropped by kernel\n", n, dropped)
	return runErr
}
