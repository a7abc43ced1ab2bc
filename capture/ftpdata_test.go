package capture

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirelab-dev/wirelab/internal/fuzzing"
)

// ftpSession is an FTP session with a listing over a passive data
// connection, a download over an active one (PORT), an upload over an
// extended passive one (EPSV), one EPRT announces (which tshark 4.0 does not
// follow: port 20 makes it FTP-DATA) and directory changes; each data connection
// comes after the reply that opens it.
func ftpSession(t testing.TB) []genFrame {
	ctl := dialogueFrames(t, 40000, 21, dialogue{
		{false, "220 (vsFTPd 3.0.3)\r\n"}, {true, "USER anonymous\r\n"}, {false, "331 Please specify the password.\r\n"},
		{true, "PASS guest\r\n"}, {false, "230 Login successful.\r\n"}, {true, "CWD /pub\r\n"}, {false, "250 Directory successfully changed.\r\n"},
		{true, "PASV\r\n"}, {false, "227 Entering Passive Mode (10,0,0,80,195,80).\r\n"},
		{true, "LIST\r\n"}, {false, "150 Here comes the directory listing.\r\n"}, {false, "226 Directory send OK.\r\n"},
		{true, "CWD sub/dir\r\n"}, {false, "250 Directory successfully changed.\r\n"},
		{true, "PORT 10,0,0,10,156,66\r\n"}, {false, "200 PORT command successful.\r\n"},
		{true, "TYPE I\r\n"}, {false, "200 Switching to Binary mode.\r\n"},
		{true, "RETR readme.txt\r\n"}, {false, "150 Opening BINARY mode data connection for readme.txt (12 bytes).\r\n"}, {false, "226 Transfer complete.\r\n"},
		{true, "CDUP\r\n"}, {false, "250 Directory successfully changed.\r\n"},
		{true, "PWD\r\n"}, {false, "257 \"/pub/sub\" is the current directory\r\n"},
		{true, "EPSV\r\n"}, {false, "229 Entering Extended Passive Mode (|||50001|)\r\n"},
		{true, "STOR up.txt\r\n"}, {false, "150 Ok to send data.\r\n"}, {false, "226 Transfer complete.\r\n"},
		{true, "EPRT |1|10.0.0.10|40004|\r\n"}, {false, "200 EPRT command successful.\r\n"},
		{true, "NLST\r\n"}, {false, "150 Here comes the directory listing.\r\n"}, {false, "226 Directory send OK.\r\n"},
		{true, "QUIT\r\n"}, {false, "221 Goodbye.\r\n"},
	})
	list := dialogueFrames(t, 40001, 50000, dialogue{{false, "-rw-r--r-- 1 0 0 12 Dec 04 12:00 readme.txt\r\n"}})
	retr := dialogueFrames(t, 40002, 20, dialogue{{true, "\x89PNG\r\n\x1a\n\x00\x00"}, {true, "hello\tworld\n"}, {true, "abc"}})
	stor := dialogueFrames(t, 40003, 50001, dialogue{{true, "uploaded\n"}})
	nlst := dialogueFrames(t, 40004, 20, dialogue{{true, "readme.txt\r\n"}})
	lone := dialogueFrames(t, 40005, 20, dialogue{{true, "port 20, no announcement\r\n"}})
	var out []genFrame
	for i, f := range ctl {
		out = append(out, f)
		switch i {
		case 13: // after the 150 to LIST
			out = append(out, list...)
		case 22: // after the 150 to RETR
			out = append(out, retr...)
		case 31:
			out = append(out, stor...)
		case 36:
			out = append(out, nlst...)
		}
	}
	return append(out, lone...)
}

// TestFTPDataMatchesTshark compares the FTP and FTP-DATA fields,
// frame.protocols and the Protocol and Info columns with tshark's on a
// session with every way of opening a data connection.
func TestFTPDataMatchesTshark(t *testing.T) {
	needTshark(t)
	path := filepath.Join(t.TempDir(), "ftp.pcap")
	writePcap(t, path, 1, ftpSession(t))
	fields := append(append([]string{"frame.protocols"}, protoFields("ftp")...), protoFields("ftp-data")...)
	if a := compareLive(t, path, fields, true, nil); a.frames == 0 {
		t.Fatal("no frames")
	}
	compareFilters(t, path, []string{"ftp-data", `ftp-data.command == "RETR readme.txt"`, `ftp-data.setup-method == "PORT"`, "ftp-data.setup-frame == 12",
		`ftp-data.current-working-directory == "/pub/sub"`, "ftp-data && tcp.port == 20", "ftp.active.port == 40002", "ftp.epsv.port == 50001",
		"ftp.eprt.ip == 10.0.0.10", `ftp.current-working-directory == "/pub/sub/dir"`, "ftp || ftp-data", `ftp-data.command == "TYPE I"`,
		"data-text-lines", "ftp-data && !data-text-lines", "ethertype", "!ethertype"})
}

// FuzzFTP runs a request and its reply through an FTP control connection,
// then a command and a data connection to the port a PASV reply would
// announce: no panic, and the working directory stays absolute.
func FuzzFTP(f *testing.F) {
	fuzzing.Steady(f)
	for _, s := range [][2]string{{"CWD ../a/./b", "250 ok"}, {"PASV", "227 Entering Passive Mode (10,0,0,80,195,80)."},
		{"EPSV", "229 Entering Extended Passive Mode (|||50000|)"}, {"PORT 10,0,0,10,156,65", "200 ok"}, {"EPRT |2|2001:db8::1|5000|", "200 ok"},
		{"PWD", `257 "/a ""b""" is current`}, {"CDUP", "250 ok"}, {"EPSV", "229 (|||"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, req, reply string) {
		if len(req)+len(reply) > 4096 {
			return
		}
		d := NewDecoder()
		frames := dialogueFrames(t, 40000, 21, dialogue{{true, req + "\r\n"}, {false, reply + "\r\n"}, {true, "LIST\r\n"}})
		frames = append(frames, dialogueFrames(t, 40001, 50000, dialogue{{false, "listing\r\n"}})...)
		for _, g := range frames {
			exercise(t, d.Decode(Frame{Data: g.data, LinkType: g.lt}))
		}
		for _, c := range d.streams.ftp {
			if c.cwd != nil && !strings.HasPrefix(c.cwd.cwd, "/") && !strings.HasPrefix(reply, "257") {
				t.Fatalf("working directory %q", c.cwd.cwd)
			}
		}
	})
}
