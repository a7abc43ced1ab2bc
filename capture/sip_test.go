package capture

import (
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// sipCall is a SIP call as a VoIP lab records it: REGISTER and its
// challenge, an INVITE with an SDP offer, 100 Trying, 180 Ringing, 200 OK
// with the answer, ACK, BYE and its 200, an OPTIONS ping over TCP, compact
// header names, and a datagram on 5060 that is not SIP.
const (
	sipRegister = "REGISTER sip:lab.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK776asdhds;rport\r\nMax-Forwards: 70\r\nFrom: \"Alice\" <sip:alice@lab.example>;tag=1928301774\r\nTo: <sip:alice@lab.example>\r\nCall-ID: reg-a84b4c76e66710@10.0.0.10\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@10.0.0.10:5060>\r\nExpires: 3600\r\nUser-Agent: wirelab-phone/1.0\r\nContent-Length: 0\r\n\r\n"
	sip401      = "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bK776asdhds;rport=5060;received=10.0.0.10\r\nFrom: \"Alice\" <sip:alice@lab.example>;tag=1928301774\r\nTo: <sip:alice@lab.example>;tag=as5f2c1\r\nCall-ID: reg-a84b4c76e66710@10.0.0.10\r\nCSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm=\"lab.example\", nonce=\"abc123\"\r\nServer: wirelab-pbx/2\r\nContent-Length: 0\r\n\r\n"
	sipSDPOffer = "v=0\r\no=alice 2890844526 2890844526 IN IP4 10.0.0.10\r\ns=call\r\nc=IN IP4 10.0.0.10\r\nt=0 0\r\nm=audio 49170 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\n"
	sipInvite   = "INVITE sip:bob@lab.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKnashds8\r\nMax-Forwards: 70\r\nTo: Bob <sip:bob@lab.example>\r\nFrom: Alice <sip:alice@lab.example>;tag=1928301775\r\nCall-ID: a84b4c76e66710@10.0.0.10\r\nCSeq: 314159 INVITE\r\nContact: <sip:alice@10.0.0.10>\r\nContent-Type: application/sdp\r\nContent-Length: 137\r\n\r\n" + sipSDPOffer
	sipTrying   = "SIP/2.0 100 Trying\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKnashds8\r\nTo: Bob <sip:bob@lab.example>\r\nFrom: Alice <sip:alice@lab.example>;tag=1928301775\r\nCall-ID: a84b4c76e66710@10.0.0.10\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n"
	sipRinging  = "SIP/2.0 180 Ringing\r\nv: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKnashds8\r\nt: Bob <sip:bob@lab.example>;tag=a6c85cf\r\nf: Alice <sip:alice@lab.example>;tag=1928301775\r\ni: a84b4c76e66710@10.0.0.10\r\nCSeq: 314159 INVITE\r\nl: 0\r\n\r\n"
	sipOK       = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKnashds8\r\nTo: Bob <sip:bob@lab.example>;tag=a6c85cf\r\nFrom: Alice <sip:alice@lab.example>;tag=1928301775\r\nCall-ID: a84b4c76e66710@10.0.0.10\r\nCSeq: 314159 INVITE\r\nContact: <sip:bob@10.0.0.80>\r\nContent-Type: application/sdp\r\nContent-Length: 0\r\n\r\n"
	sipAck      = "ACK sip:bob@10.0.0.80 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKnashds9\r\nMax-Forwards: 70\r\nTo: Bob <sip:bob@lab.example>;tag=a6c85cf\r\nFrom: Alice <sip:alice@lab.example>;tag=1928301775\r\nCall-ID: a84b4c76e66710@10.0.0.10\r\nCSeq: 314159 ACK\r\nContent-Length: 0\r\n\r\n"
	sipBye      = "BYE sip:bob@10.0.0.80 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKnashds10\r\nMax-Forwards: 70\r\nFrom: Alice <sip:alice@lab.example>;tag=1928301775\r\nTo: Bob <sip:bob@lab.example>;tag=a6c85cf\r\nCall-ID: a84b4c76e66710@10.0.0.10\r\nCSeq: 231 BYE\r\nContent-Length: 0\r\n\r\n"
	sipByeOK    = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKnashds10\r\nFrom: Alice <sip:alice@lab.example>;tag=1928301775\r\nTo: Bob <sip:bob@lab.example>;tag=a6c85cf\r\nCall-ID: a84b4c76e66710@10.0.0.10\r\nCSeq: 231 BYE\r\nContent-Length: 0\r\n\r\n"
	sipOptions  = "OPTIONS sip:pbx.lab.example:5060;transport=tcp SIP/2.0\r\nVia: SIP/2.0/TCP 10.0.0.10:51000;branch=z9hG4bKopt1\r\nMax-Forwards: 70\r\nFrom: <sip:monitor@lab.example>;tag=opt1\r\nTo: <sip:pbx.lab.example>\r\nCall-ID: opt-1@10.0.0.10\r\nCSeq: 1 OPTIONS\r\nAccept: application/sdp\r\nContent-Length: 0\r\n\r\n"
	sipOptOK    = "SIP/2.0 200 OK\r\nVia: SIP/2.0/TCP 10.0.0.10:51000;branch=z9hG4bKopt1\r\nFrom: <sip:monitor@lab.example>;tag=opt1\r\nTo: <sip:pbx.lab.example>;tag=pbx9\r\nCall-ID: opt-1@10.0.0.10\r\nCSeq: 1 OPTIONS\r\nAllow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\nContent-Length: 0\r\n\r\n"
)

const (
	sipInvite2    = "INVITE sip:carol@[2001:db8::80]:5080 SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5080;branch=z9hG4bK2inv\r\nMax-Forwards: 70\r\nTo: <sip:carol@lab.example>\r\nFrom: \"Alice Liddell\" <sip:alice:secret@lab.example:5080;transport=udp>;tag=ff01\r\nCall-ID: call2@10.0.0.10\r\nCSeq: 10 INVITE\r\nSubject: lab call\r\nContent-Length: 0\r\n\r\n"
	sipBusy       = "SIP/2.0 486 Busy Here\r\nVia: SIP/2.0/UDP 10.0.0.10:5080;branch=z9hG4bK2inv\r\nTo: <sip:carol@lab.example>;tag=cc99\r\nFrom: \"Alice Liddell\" <sip:alice:secret@lab.example:5080;transport=udp>;tag=ff01\r\nCall-ID: call2@10.0.0.10\r\nCSeq: 10 INVITE\r\nContent-Length: 0\r\n\r\n"
	sipRegister2  = "REGISTER sip:lab.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKreg2\r\nFrom: <sip:alice@lab.example>;tag=r2\r\nTo: <sip:alice@lab.example>\r\nCall-ID: reg-a84b4c76e66710@10.0.0.10\r\nCSeq: 2 REGISTER\r\nm: <sip:alice@10.0.0.10:5060>, <sip:alice@192.0.2.7>;expires=60\r\nExpires: 3600\r\nl: 0\r\n\r\n"
	sipRegOK      = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKreg2\r\nFrom: <sip:alice@lab.example>;tag=r2\r\nTo: <sip:alice@lab.example>;tag=ok2\r\nCall-ID: reg-a84b4c76e66710@10.0.0.10\r\nCSeq: 2 REGISTER\r\nContact: <sip:alice@10.0.0.10:5060>;expires=3600\r\nContent-Length: 0\r\n\r\n"
	sipUnregister = "REGISTER sip:lab.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKreg3\r\nFrom: <sip:alice@lab.example>;tag=r3\r\nTo: <sip:alice@lab.example>\r\nCall-ID: reg-a84b4c76e66710@10.0.0.10\r\nCSeq: 3 REGISTER\r\nContact: <sip:alice@10.0.0.10:5060>\r\nExpires: 0\r\nContent-Length: 0\r\n\r\n"
	sipCancel     = "CANCEL sip:bob@lab.example SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.10:5060;branch=z9hG4bKc1\r\nFrom: Alice <sip:alice@lab.example>;tag=x1\r\nTo: Bob <sip:bob@lab.example>\r\nCall-ID: c1@10.0.0.10\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n"
)

func TestSIPMatchesTshark(t *testing.T) {
	needTshark(t)
	frames := []genFrame{
		udpFrame(t, true, 5060, 5060, gopacket.Payload(sipRegister)),
		udpFrame(t, false, 5060, 5060, gopacket.Payload(sip401)),
		udpFrame(t, true, 5060, 5060, gopacket.Payload(sipInvite)),
		udpFrame(t, false, 5060, 5060, gopacket.Payload(sipTrying)),
		udpFrame(t, false, 5060, 5060, gopacket.Payload(sipRinging)),
		udpFrame(t, false, 5060, 5060, gopacket.Payload(sipOK)),
		udpFrame(t, true, 5060, 5060, gopacket.Payload(sipAck)),
		udpFrame(t, true, 5060, 5060, gopacket.Payload(sipBye)),
		udpFrame(t, false, 5060, 5060, gopacket.Payload(sipByeOK)),
		udpFrame(t, true, 40000, 5060, gopacket.Payload("\x00\x01\x02 not sip at all")),
		// A second call: the INVITE sent again (a resend), 486 Busy Here
		// twice (the second a resend), on port 5080 (found by the heuristic).
		udpFrame(t, true, 5080, 5080, gopacket.Payload(sipInvite2)),
		udpFrame(t, true, 5080, 5080, gopacket.Payload(sipInvite2)),
		udpFrame(t, false, 5080, 5080, gopacket.Payload(sipBusy)),
		udpFrame(t, false, 5080, 5080, gopacket.Payload(sipBusy)),
		// Registration refreshed with two contacts, its 200, and removed.
		udpFrame(t, true, 5060, 5060, gopacket.Payload(sipRegister2)),
		udpFrame(t, false, 5060, 5060, gopacket.Payload(sipRegOK)),
		udpFrame(t, true, 5060, 5060, gopacket.Payload(sipUnregister)),
		udpFrame(t, true, 5060, 5060, gopacket.Payload(sipCancel)),
	}
	frames = append(frames, dialogueFrames(t, 51000, 5060, dialogue{{true, sipOptions}, {false, sipOptOK}})...)
	path := filepath.Join(t.TempDir(), "sip.pcap")
	writePcap(t, path, layers.LinkTypeEthernet, frames)
	fields := append([]string{"frame.protocols"}, protoFields("sip")...)
	fields = append(fields, protoFields("sdp")...)
	compareLive(t, path, fields, true, nil)
	compareFilters(t, path, []string{
		"sip", `sip.Method == "INVITE"`, "sip.Status-Code == 200", "sip.Status-Code >= 400", `sip.CSeq.method == "INVITE"`,
		`sip.from.user == "alice"`, `sip.to.addr contains "bob"`, `sip.Call-ID contains "a84b"`, "sdp", `sip.r-uri.host == "lab.example"`,
		`sip.User-Agent contains "phone"`, "sip.CSeq.seq == 314159", `sip.Via contains "TCP"`, "sip && tcp", `sip.to.tag`,
		"sip.resend == 1", "sip.response-request", "sip.response-time < 5", `sip.contact.host == "192.0.2.7"`, "sdp.media.port == 49170",
		`sdp.connection_info.address == "10.0.0.10"`, `sip.Method == "REGISTER" && sip.Expires == 0`, "udp.port == 5080 && sip",
	})
}

// TestSIPOddStartLines: start lines that are almost SIP's are not SIP, and
// none of them panics (an empty Request-URI was sliced past its end).
func TestSIPOddStartLines(t *testing.T) {
	for _, s := range []string{"A  SIP/2.0\r\n", "INVITE  SIP/2.0\r\n\r\n", "SIP/2.0  OK\r\n", "SIP/2.0 20 OK\r\n", " SIP/2.0 200 OK", "INVITE x SIP/2.0", ""} {
		if m := parseSIP([]byte(s)); m != nil {
			t.Errorf("%q parsed as SIP: %+v", s, m)
		}
	}
	if m := parseSIP([]byte("INVITE sip:a SIP/2.0\r\n\r\n")); m == nil || string(m.method) != "INVITE" {
		t.Errorf("a real request line: %+v", m)
	}
}
