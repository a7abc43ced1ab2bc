// Command httpgen writes a synthetic pcap of HTTP/1.1 conversations for the
// packet-engine benchmark (bench/packets.sh): each conversation is a three-way
// handshake, a GET, its response (200 OK, or 404 Not Found for every fifth), the
// acknowledgements and the teardown — ten Ethernet/IPv4/TCP frames, addresses
// and ports varying from one conversation to the next.
//
// With -client and -server every conversation is between those two addresses
// (client ports vary), the shape of a lab's capture: bench/evaluate.sh grades
// such a file with a catalogue lab's checks.
//
// Usage: go run ./bench/httpgen -n 500000 -o http.pcap [-client 10.0.0.10 -server 10.0.0.80]
package main

import (
	"bufio"
	"encoding/binary"
	"flag"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

func main() {
	n := flag.Int("n", 500000, "number of packets to write (rounded up to whole conversations)")
	out := flag.String("o", "http.pcap", "output pcap file")
	client := flag.String("client", "", "the client's address in every conversation (default: one per conversation, 10.x.y.z)")
	server := flag.String("server", "192.0.2.80", "the server's address")
	flag.Parse()
	g := &gen{server: net.ParseIP(*server).To4()}
	if *client != "" {
		g.client = net.ParseIP(*client).To4()
		if g.client == nil {
			fmt.Fprintf(os.Stderr, "httpgen: -client %q is not an IPv4 address\n", *client)
			os.Exit(2)
		}
	}
	if g.server == nil {
		fmt.Fprintf(os.Stderr, "httpgen: -server %q is not an IPv4 address\n", *server)
		os.Exit(2)
	}
	if err := g.run(*n, *out); err != nil {
		fmt.Fprintf(os.Stderr, "httpgen: %v\n", err)
		os.Exit(1)
	}
}

type gen struct {
	client net.IP // nil: one address per conversation
	server net.IP
	w      *bufio.Writer
	buf    gopacket.SerializeBuffer
	ts     time.Time
	hdr    [16]byte
	wrote  int
}

func (g *gen) run(n int, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	g.w, g.buf, g.ts = bufio.NewWriterSize(f, 1<<20), gopacket.NewSerializeBuffer(), time.Unix(1700000000, 0)
	// Classic microsecond pcap, little-endian, Ethernet.
	var fh [24]byte
	binary.LittleEndian.PutUint32(fh[0:], 0xa1b2c3d4)
	binary.LittleEndian.PutUint16(fh[4:], 2)
	binary.LittleEndian.PutUint16(fh[6:], 4)
	binary.LittleEndian.PutUint32(fh[16:], 65535)
	binary.LittleEndian.PutUint32(fh[20:], 1)
	g.w.Write(fh[:])
	for c := 0; g.wrote < n; c++ {
		if err := g.conversation(c); err != nil {
			return err
		}
	}
	if err := g.w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func (g *gen) conversation(c int) error {
	client, server := net.IP{10, byte(c >> 16), byte(c >> 8), byte(c)}, g.server
	if g.client != nil {
		client = g.client
	}
	cport := layers.TCPPort(1024 + c%60000)
	cmac := net.HardwareAddr{2, 0, 0, byte(c >> 16), byte(c >> 8), byte(c)}
	smac := net.HardwareAddr{2, 0, 0, 0, 0, 80}
	uri := fmt.Sprintf("/page/%d.html", c%1000)
	req := "GET " + uri + " HTTP/1.1\r\nHost: www.example.com\r\nUser-Agent: httpgen/1.0\r\nAccept: */*\r\n\r\n"
	body := fmt.Sprintf("<html><body>page %d</body></html>\n", c%1000)
	status := "200 OK"
	if c%5 == 4 {
		status = "404 Not Found"
	}
	resp := "HTTP/1.1 " + status + "\r\nServer: httpgen\r\nContent-Type: text/html\r\nContent-Length: " +
		fmt.Sprint(len(body)) + "\r\n\r\n" + body
	cs, ss := uint32(c)*7919, uint32(c)*104729
	type seg struct {
		fromClient         bool
		syn, ack, psh, fin bool
		seq, ackn          uint32
		payload            string
	}
	rl, sl := uint32(len(req)), uint32(len(resp))
	segs := []seg{
		{true, true, false, false, false, cs, 0, ""},
		{false, true, true, false, false, ss, cs + 1, ""},
		{true, false, true, false, false, cs + 1, ss + 1, ""},
		{true, false, true, true, false, cs + 1, ss + 1, req},
		{false, false, true, false, false, ss + 1, cs + 1 + rl, ""},
		{false, false, true, true, false, ss + 1, cs + 1 + rl, resp},
		{true, false, true, false, false, cs + 1 + rl, ss + 1 + sl, ""},
		{true, false, true, false, true, cs + 1 + rl, ss + 1 + sl, ""},
		{false, false, true, false, true, ss + 1 + sl, cs + 2 + rl, ""},
		{true, false, true, false, false, cs + 2 + rl, ss + 2 + sl, ""},
	}
	for i, s := range segs {
		eth := &layers.Ethernet{SrcMAC: cmac, DstMAC: smac, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: client, DstIP: server,
			Flags: layers.IPv4DontFragment, Id: uint16(c*10 + i)}
		tcp := &layers.TCP{SrcPort: cport, DstPort: 80, Seq: s.seq, Ack: s.ackn, SYN: s.syn, ACK: s.ack,
			PSH: s.psh, FIN: s.fin, Window: 64240}
		if !s.fromClient {
			eth.SrcMAC, eth.DstMAC = smac, cmac
			ip.SrcIP, ip.DstIP = server, client
			ip.TTL = 63
			tcp.SrcPort, tcp.DstPort = 80, cport
		}
		tcp.SetNetworkLayerForChecksum(ip)
		if err := gopacket.SerializeLayers(g.buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			eth, ip, tcp, gopacket.Payload(s.payload)); err != nil {
			return err
		}
		data := g.buf.Bytes()
		g.ts = g.ts.Add(37 * time.Microsecond)
		binary.LittleEndian.PutUint32(g.hdr[0:], uint32(g.ts.Unix()))
		binary.LittleEndian.PutUint32(g.hdr[4:], uint32(g.ts.Nanosecond()/1000))
		binary.LittleEndian.PutUint32(g.hdr[8:], uint32(len(data)))
		binary.LittleEndian.PutUint32(g.hdr[12:], uint32(len(data)))
		g.w.Write(g.hdr[:])
		if _, err := g.w.Write(data); err != nil {
			return err
		}
		g.wrote++
	}
	return nil
}
