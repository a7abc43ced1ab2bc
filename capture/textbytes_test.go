package capture

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// Bytes a text protocol's strings may hold that are not printable ASCII:
// 0x80-0xff alone, valid UTF-8 (é, an emoji, U+0085, U+200B), broken UTF-8
// (a cut sequence, an overlong "/", a surrogate, a code point past U+10FFFF,
// fe ff) and NUL.
const (
	tbLone      = "a\x80b"
	tbValid     = "caf\xc3\xa9 \xf0\x9f\x98\x80 n\xc2\x85l z\xe2\x80\x8bw"
	tbBroken    = "c\xe2\x82d \xc0\xaf \xed\xa0\x80 \xf4\x90\x80\x80 \xff\xfe \xe0\x80\x80 \xc3"
	tbNUL       = "be\x00fore\x80"
	tbHighBytes = "\x80\x9f\xa0\xbf\xc0\xdf\xe0\xef\xf0\xf7\xf8\xfb\xfc\xfd\xfe\xff"
)

// TestTextBytesMatchTshark compares with tshark 4.0 what wirelab makes of
// such bytes in HTTP, SIP (and SDP), FTP, SMTP, POP, IMAP, SSH, Telnet, TFTP,
// LLDP, DHCP, DNS, SNMP and CDP: each string field's value
// (ENC_ASCII protocols: every byte 0x80-0xff is U+FFFD; SIP's ENC_UTF_8:
// each maximal broken subpart is; both cut at a NUL), the Info column
// (format_text: lenient UTF-8, \uXXXX, a NUL is \000 and the text goes on),
// and what display filters compare (the values, not the bytes).
func TestTextBytesMatchTshark(t *testing.T) {
	needTshark(t)
	dir := t.TempDir()

	get := func(uri, ua, host string) string {
		// The URI without spaces (a space ends it).
		return "GET /" + strings.ReplaceAll(uri, " ", "_") + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: " + ua + "\r\nReferer: http://r/" + ua + "\r\n\r\n"
	}
	resp := func(phrase, server string) string {
		return "HTTP/1.1 200 " + phrase + "\r\nServer: " + server + "\r\nContent-Length: 0\r\n\r\n"
	}
	httpPath := writeDialogue(t, dir, "http-bytes", 51000, 80, dialogue{
		{true, get(tbLone, tbLone, "lab.example")}, {false, resp("O"+tbLone+"K", tbLone)},
		{true, get(tbValid, tbValid, "h"+tbValid)}, {false, resp(tbValid, tbValid)},
		{true, get(tbBroken, tbBroken, "lab.example")}, {false, resp(tbBroken, tbBroken)},
		{true, get("n"+tbNUL, tbNUL, "h"+tbNUL)}, {false, resp(tbNUL, tbNUL)},
		{true, get(tbHighBytes, tbHighBytes, "lab.example")}, {false, resp("OK", "\x00")},
	})

	ftpPath := writeDialogue(t, dir, "ftp-bytes", 51001, 21, dialogue{
		{false, "220 FTP " + tbValid + "\r\n"}, {true, "USER " + tbLone + "\r\n"}, {false, "331 " + tbBroken + "\r\n"},
		{true, "PASS " + tbNUL + "\r\n"}, {false, "530 " + tbNUL + "\r\n"}, {true, "CWD " + tbValid + "\r\n"},
		{false, "550 " + tbHighBytes + "\r\n"}, {true, "RETR " + tbBroken + "\r\n"}, {true, "STOR " + tbHighBytes + "\r\n"},
	})

	sip := func(ruser, display, ua, body string) gopacket.SerializableLayer {
		ct := ""
		if body != "" {
			ct = "Content-Type: application/sdp\r\n"
		}
		return gopacket.Payload("INVITE sip:" + ruser + "@lab.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK" + ua + "\r\n" +
			"From: \"" + display + "\" <sip:alice@lab.example>;tag=t1\r\nTo: <sip:bob@lab.example>\r\nCall-ID: id" + ua + "@10.0.0.10\r\nCSeq: 1 INVITE\r\n" +
			"User-Agent: " + ua + "\r\nSubject: " + display + "\r\n" + ct + "Content-Length: " + itoa(len(body)) + "\r\n\r\n" + body)
	}
	sdp := func(x string) string {
		return "v=0\r\no=us" + x + "er 1 1 IN IP4 10.0.0.10\r\ns=" + x + "\r\nc=IN IP4 10.0.0.10\r\nt=0 0\r\na=tool:" + x + "\r\nm=audio 49170 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
	}
	sipPath := filepath.Join(dir, "sip-bytes.pcap")
	writePcap(t, sipPath, layers.LinkTypeEthernet, []genFrame{
		udpFrame(t, true, 5060, 5060, sip("bob"+tbLone, "Al"+tbLone, tbLone, sdp(tbLone))),
		udpFrame(t, true, 5060, 5060, sip("bob"+tbValid, "Al"+tbValid, tbValid, sdp(tbValid))),
		udpFrame(t, true, 5060, 5060, sip("bob"+tbBroken, "Al"+tbBroken, tbBroken, sdp(tbBroken))),
		udpFrame(t, true, 5060, 5060, sip("bob", "Al"+tbNUL, tbNUL, sdp(tbNUL))), // a NUL in headers: SIP, values cut
		udpFrame(t, true, 5060, 5060, sip("bob"+tbNUL, "Alice", "phone", "")),    // in the start line: not SIP
		udpFrame(t, true, 5060, 5060, sip("bob"+tbHighBytes, "Al"+tbHighBytes, tbHighBytes, sdp(tbHighBytes))),
	})

	// DNS names are format_text's text (\000, U+FFFD, an overlong "/");
	// SNMP's and CDP's strings keep their bytes, as tshark's do.
	var other []genFrame
	for _, x := range []string{tbLone + tbValid, tbBroken, tbNUL, "x\xc0\xafy\x01"} {
		other = append(other, udpFrame(t, false, 161, 40000, snmpMsg(1, "pub"+x, snmpPDU(2, 1, 0, 0,
			snmpVB("1.3.6.1.2.1.1.1.0", berStr("Linux "+x)), snmpVB("1.3.6.1.2.1.1.5.0", berStr("n"+x))))),
			udpFrame(t, true, 40000, 53, dnsMsg(t, 7, false, 0, "w"+x+".example.com", layers.DNSTypeA)))
	}
	other = append(other, cdpFrame(t, macA, cdpPDUBytes(2, 180, false, cdpTLV(0x0001, []byte("sw"+tbValid+tbNUL)),
		cdpTLV(0x0003, []byte("Gi"+tbBroken)), cdpTLV(0x0006, []byte("p"+tbHighBytes)))))
	// LLDP's and DHCP's strings are ENC_ASCII.
	tlv := func(typ int, v []byte) []byte { return append([]byte{byte(typ<<1 | len(v)>>8), byte(len(v))}, v...) }
	for _, x := range []string{tbLone + tbValid, tbBroken, tbNUL} {
		f := []byte{0x01, 0x80, 0xc2, 0, 0, 0x0e, 2, 0, 0, 0, 0, 1, 0x88, 0xcc}
		f = append(f, tlv(1, []byte{4, 2, 0, 0, 0, 0, 1})...)
		f = append(f, tlv(2, []byte("\x05Gi"+x))...)
		f = append(f, tlv(3, []byte{0, 120})...)
		f = append(append(append(f, tlv(4, []byte("desc"+x))...), tlv(5, []byte("sys"+x))...), tlv(6, []byte("sd"+x))...)
		f = append(f, make([]byte, 2+max(0, 60-len(f)-2))...)
		other = append(other, genFrame{f, layers.LinkTypeEthernet}, udpFrame(t, true, 68, 67, &layers.DHCPv4{Operation: layers.DHCPOpRequest,
			HardwareType: layers.LinkTypeEthernet, HardwareLen: 6, Xid: 7, ClientHWAddr: macA, ServerName: []byte("srv" + x), File: []byte("file" + x),
			Options: layers.DHCPOptions{layers.NewDHCPOption(layers.DHCPOptMessageType, []byte{1}), layers.NewDHCPOption(layers.DHCPOptHostname, []byte("host"+x)),
				layers.NewDHCPOption(layers.DHCPOptEnd, nil)}}))
	}
	otherPath := filepath.Join(dir, "other-bytes.pcap")
	writePcap(t, otherPath, layers.LinkTypeEthernet, other)

	// The other line protocols (ENC_ASCII, like FTP) and TFTP's names.
	var mail []genFrame
	for i, x := range []string{tbLone + tbValid, tbBroken, tbNUL, tbHighBytes} {
		add := func(cp, sp uint16, d dialogue) { mail = append(mail, dialogueFrames(t, cp+uint16(10*i), sp, d)...) }
		add(50001, 25, dialogue{{false, "220 mail " + x + " ESMTP\r\n"}, {true, "EHLO " + x + "\r\n"}, {false, "250 ok " + x + "\r\n"}, {true, "MAIL FROM:<" + x + ">\r\n"}})
		add(50002, 110, dialogue{{false, "+OK " + x + "\r\n"}, {true, "USER " + x + "\r\n"}, {false, "-ERR " + x + "\r\n"}})
		add(50003, 143, dialogue{{false, "* OK " + x + "\r\n"}, {true, "a1 LOGIN " + x + " pw\r\n"}, {false, "a1 OK " + x + "\r\n"}, {true, "a2 SELECT " + x + "\r\n"}})
		add(50004, 22, dialogue{{false, "SSH-2.0-" + x + "\r\n"}})
		add(50005, 23, dialogue{{true, "ls " + x + "\r\n"}})
		if x != tbNUL { // a NUL ends a TFTP name: nothing to do with text
			mail = append(mail, udpFrame(t, true, 50006+uint16(10*i), 69, tftpMsg(tftpRRQ, "f"+x, "octet")))
		}
	}
	mailPath := filepath.Join(dir, "mail-bytes.pcap")
	writePcap(t, mailPath, layers.LinkTypeEthernet, mail)

	fields := append([]string{"frame.protocols", "data.data"}, protoFields("http")...)
	fields = append(append(append(fields, protoFields("ftp")...), protoFields("sip")...), protoFields("sdp")...)
	for _, path := range []string{httpPath, ftpPath, sipPath, otherPath, mailPath} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			fields := fields
			switch path {
			case otherPath:
				fields = []string{"frame.protocols"}
				for _, pr := range []string{"dns", "snmp", "cdp", "lldp", "dhcp"} {
					fields = append(fields, protoFields(pr)...)
				}
			case mailPath:
				fields = []string{"frame.protocols"}
				for _, pr := range []string{"smtp", "pop", "imap", "ssh", "telnet", "tftp"} {
					for _, f := range protoFields(pr) {
						if f != "pop.request" && f != "pop.response" { // tshark prints these text items empty
							fields = append(fields, f)
						}
					}
				}
			}
			a := compareLive(t, path, fields, true, nil)
			if a.frames == 0 || a.sameVals != a.values {
				t.Errorf("%d/%d values as tshark", a.sameVals, a.values)
			}
		})
	}

	compareFilters(t, httpPath, []string{
		`http.user_agent == "a\xef\xbf\xbdb"`, `http.user_agent == "a\x80b"`, `http.user_agent contains "\xef\xbf\xbd"`,
		`http.user_agent contains "é"`, `http.user_agent contains "caf\xef\xbf\xbd\xef\xbf\xbd"`,
		`http.user_agent == "be"`, `http.user_agent contains "fore"`, `http.request.uri == "/nbe"`,
		`http.user_agent matches "^a.b$"`, `http.user_agent matches "^a...b$"`, `http.user_agent matches "^a\xef\xbf\xbdb$"`,
		`http.user_agent matches "\\xef\\xbf\\xbd"`, `http.user_agent matches "^caf\\xef"`,
		`http.user_agent[1] == ef`, `http.user_agent[1:3] == ef:bf:bd`, `len(http.user_agent) == 5`, `len(http.user_agent) == 2`,
		`http.host contains "\xef\xbf\xbd"`, `http.host == "hbe"`, `http.request.full_uri contains "hcaf\xc3\xa9"`,
		`http.request.full_uri contains "hcaf\xef\xbf\xbd"`, `http.server == ""`, `http.server`, `http.response.phrase contains "\xef\xbf\xbd"`,
		`http.referer contains "/a\xef\xbf\xbd"`, `frame contains "fore"`, `tcp.payload contains 00`,
	})
	compareFilters(t, ftpPath, []string{
		`ftp.request.arg == "a\xef\xbf\xbdb"`, `ftp.request.arg == "be"`, `ftp.response.arg == "be"`, `ftp.request.arg contains "é"`,
		`ftp.response.arg contains "\xef\xbf\xbd"`, `ftp.request.arg matches "^a.b$"`, `ftp.request.arg matches "^a.{3}b$"`,
		`ftp.request.command == "STOR" && len(ftp.request.arg) == 48`, `tcp.payload contains 00`,
	})
	compareFilters(t, sipPath, []string{
		`sip.User-Agent == "a\xef\xbf\xbdb"`, `sip.User-Agent contains "café"`, `sip.User-Agent contains "c\xef\xbf\xbdd"`,
		`sip.User-Agent == "be"`, `sip.Subject contains "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"`, `sip.r-uri.user contains "😀"`,
		`sip.From contains "é"`, `sip.User-Agent matches "^caf.."`, `sip.User-Agent matches "^caf.\\s"`,
		`sdp.owner.username contains "é"`, `sdp.owner contains "é"`, `sdp.session_name == "be"`, `sdp.session_attr contains "\xef\xbf\xbd"`,
		`sip.Request-Line contains "bob"`, `sip`, `udp contains 00`,
	})
	compareFilters(t, mailPath, []string{
		`smtp.req.parameter contains "\xef\xbf\xbd"`, `smtp.req.parameter == "be"`, `smtp.response contains "\\r\\n"`, `smtp.response == "250 ok be"`,
		`pop.request.parameter == "be"`, `imap.request.username == "be"`, `imap.request contains "pw"`, `ssh.protocol == "SSH-2.0-be"`,
		`ssh.protocol matches "^SSH-2.0-a...b"`, `telnet.data contains "fore"`, `tftp.source_file contains "\xef\xbf\xbd"`, `tftp.source_file contains "é"`,
	})
	compareFilters(t, otherPath, []string{
		`dns.qry.name contains "\\000"`, `dns.qry.name contains "\xef\xbf\xbd"`, `dns.qry.name == "wx/y\\001.example.com"`,
		`dns.qry.name contains "café"`, `dns.qry.name contains "\x80"`, `len(dns.qry.name) > 40`,
		`snmp.community contains "\x80"`, `snmp.community contains "\xef\xbf\xbd"`, `snmp.community == "pubbe"`,
		`snmp.var-bind_str contains "café"`, `cdp.deviceid contains "\x80"`, `cdp.deviceid contains "fore"`, `cdp.platform matches "^p\\x80"`,
		`lldp.tlv.system.name == "sysbe"`, `lldp.port.id contains "\xef\xbf\xbd\xef\xbf\xbd"`, `dhcp.option.hostname == "hostbe"`,
		`dhcp.file contains "é"`, `dhcp.server matches "^srvc...d"`,
	})
}

// TestTextRules pins what tshark 4.0 was seen to make of such bytes (the
// comparisons above need tshark; these do not).
func TestTextRules(t *testing.T) {
	const r = "\uFFFD"
	for _, c := range []struct{ in, ascii, utf8, info string }{
		{"a\x80b", "a" + r + "b", "a" + r + "b", "a" + r + "b"},
		{"a\xc3\xa9b", "a" + r + r + "b", "aéb", "aéb"},
		{"a\xe2\x82b", "a" + r + r + "b", "a" + r + "b", "a" + r + "b"},
		{"a\xc0\xafb", "a" + r + r + "b", "a" + r + r + "b", "a/b"},
		{"a\xed\xa0\x80b", "a" + r + r + r + "b", "a" + r + r + r + "b", "a" + r + "b"},
		{"a\xf4\x90\x80\x80b", "a" + r + r + r + r + "b", "a" + r + r + r + r + "b", "a" + r + "b"},
		{"a\xe0\x80\x80b", "a" + r + r + r + "b", "a" + r + r + r + "b", `a\u0000b`},
		{"a\xf8\x88\x80\x80\x80b", "a" + r + r + r + r + r + "b", "a" + r + r + r + r + r + "b", "a" + r + "b"},
		{"a\xc2\x80\xc2b", "a" + r + r + r + "b", "a\u0080" + r + "b", `a\u0080` + r + "b"},
		{"a\xc2\x85b\xe2\x80\x8bc\xef\xbf\xbe", "a" + r + r + "b" + r + r + r + "c" + r + r + r, "a\u0085b\u200bc\ufffe", `a\u0085b\u200Bc\uFFFE`},
		{"a\xe2\x80\xa8b\xf3\xa0\x80\x81\xf4\x8f\xbf\xbf", "a" + r + r + r + "b" + r + r + r + r + r + r + r + r, "a\u2028b\U000E0001\U0010FFFF", "a\u2028b\\U000E0001\\U0010FFFF"},
		{"a\xff\xfe\xf0\x9f\x98\x80", "a" + r + r + r + r + r + r, "a" + r + r + "😀", "a" + r + r + "😀"},
		{"a\x00b\x80", "a", "a", `a\000b` + r},
		{"\x01\x1b\x7f\t", "\x01\x1b\x7f\t", "\x01\x1b\x7f\t", `\001\033\177\t`},
	} {
		if g := string(stringValue([]byte(c.in), encASCII)); g != c.ascii {
			t.Errorf("%q ENC_ASCII: %q, tshark %q", c.in, g, c.ascii)
		}
		if g := string(stringValue([]byte(c.in), encUTF8)); g != c.utf8 {
			t.Errorf("%q ENC_UTF_8: %q, tshark %q", c.in, g, c.utf8)
		}
		if g := FormatText(c.in); g != c.info {
			t.Errorf("%q in Info: %q, tshark %q", c.in, g, c.info)
		}
	}
}
