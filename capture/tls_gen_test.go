package capture

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"
)

// tlsDialogue runs a real TLS handshake (crypto/tls on both ends, over an
// in-memory pipe), then an HTTP request and response inside it, and returns
// every write of each side in the order it happened: real TLS records to frame
// as TCP segments.
func tlsDialogue(t testing.TB, version uint16, sni string, alpn []string) dialogue {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: sni}, DNSNames: []string{sni},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var d dialogue
	cside, sside := net.Pipe()
	rec := func(c net.Conn, client bool) net.Conn { return &recordConn{Conn: c, client: client, mu: &mu, d: &d} }
	srv := tls.Server(rec(sside, false), &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}},
		MinVersion: version, MaxVersion: version, NextProtos: alpn})
	cli := tls.Client(rec(cside, true), &tls.Config{ServerName: sni, InsecureSkipVerify: true, MinVersion: version, MaxVersion: version, NextProtos: alpn})
	done := make(chan error, 1)
	go func() {
		buf := make([]byte, 100)
		n, err := srv.Read(buf)
		if err == nil {
			_, err = srv.Write([]byte("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"[:0+len("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")]))
		}
		_ = n
		srv.Close()
		done <- err
	}()
	if _, err := cli.Write([]byte("GET / HTTP/1.1\r\nHost: " + sni + "\r\n\r\n")); err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, cli)
	cli.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	return d
}

type recordConn struct {
	net.Conn
	client bool
	mu     *sync.Mutex
	d      *dialogue
}

func (c *recordConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	*c.d = append(*c.d, struct {
		client bool
		text   string
	}{c.client, string(b)})
	c.mu.Unlock()
	return c.Conn.Write(b)
}
