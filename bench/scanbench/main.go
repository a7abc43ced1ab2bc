// Command scanbench runs one TCP connect scan with probe.TCPScan and prints the
// open ports and the time it took, for bench/scan.sh to compare with nmap.
//
//	go run ./bench/scanbench [-ports 1-65535] [-concurrency N] [host]
//
// With -serve N it instead opens N TCP listeners on 127.0.0.1, prints their
// ports on one line and keeps them open until its standard input closes, so
// that both scanners of the benchmark find the same open ports.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/wirelab-dev/wirelab/internal/probe"
)

func main() {
	portList := flag.String("ports", "1-65535", "ports to scan")
	conc := flag.Int("concurrency", 0, "probes in flight (0 = default)")
	timeout := flag.Duration("timeout", 0, "per-probe timeout (0 = default)")
	serve := flag.Int("serve", 0, "open this many listeners and wait for stdin to close")
	flag.Parse()
	if *serve > 0 {
		listeners(*serve)
		return
	}
	host := "127.0.0.1"
	if flag.NArg() > 0 {
		host = flag.Arg(0)
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(2)
	}
	ports, err := probe.ParsePorts(*portList)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(2)
	}
	start := time.Now()
	res, err := probe.TCPScan(context.Background(), addr, ports, probe.Options{Concurrency: *conc, Timeout: *timeout})
	elapsed := time.Since(start)
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
	counts := map[string]int{}
	for _, r := range res {
		counts[r.State]++
		if r.State == probe.Open {
			fmt.Printf("%d/tcp open\n", r.Port)
		}
	}
	fmt.Printf("scanned %d ports in %.3fs: %d open, %d closed, %d filtered\n",
		len(res), elapsed.Seconds(), counts[probe.Open], counts[probe.Closed], counts[probe.Filtered])
}

// listeners opens n listeners, prints their ports and accepts (and closes)
// connections until stdin closes.
func listeners(n int) {
	var ports []string
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Fprintln(os.Stderr, "error:", err)
			os.Exit(1)
		}
		ports = append(ports, fmt.Sprint(ln.Addr().(*net.TCPAddr).Port))
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
	}
	fmt.Println(strings.Join(ports, " "))
	io.Copy(io.Discard, os.Stdin)
}
