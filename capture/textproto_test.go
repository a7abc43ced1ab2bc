package capture

import "testing"

// TestTextProtocolsMatchTshark writes a dialogue of each line protocol (FTP,
// SMTP, POP, IMAP, SSH's banners and key exchange, Telnet) and compares every
// line and every field of the protocol with what tshark prints for it.
func TestTextProtocolsMatchTshark(t *testing.T) {
	needTshark(t)
	dir := t.TempDir()
	c, s := true, false
	tests := []struct {
		name    string
		port    uint16
		d       dialogue
		filters []string
		skip    map[string]bool
	}{
		{"ftp", 21, dialogue{{s, "220 (vsFTPd 3.0.3)\r\n"}, {c, "USER anonymous\r\n"}, {s, "331 Please specify the password.\r\n"}, {c, "PASS secret\r\n"},
			{s, "230 Login successful.\r\n"}, {c, "PASV\r\n"}, {s, "227 Entering Passive Mode (10,0,0,80,195,80).\r\n"}, {c, "RETR notes.txt\r\n"},
			{s, "150 Opening BINARY mode data connection for notes.txt (5 bytes).\r\n226 Transfer complete.\r\n"}, {c, "CWD /pub\r\n"}, {s, "550 Failed to change directory.\r\n"},
			{c, "QUIT\r\n"}, {s, "221-Goodbye.\r\n221 Bye\r\n"}},
			[]string{"ftp", "ftp.request.command == \"USER\"", "ftp.response.code >= 500", "ftp.passive.port == 50000", "ftp.response.arg contains \"Login\""}, nil},
		{"smtp", 25, dialogue{{s, "220 mail.example.com ESMTP Postfix\r\n"}, {c, "EHLO client.example.com\r\n"}, {s, "250-mail.example.com\r\n250-SIZE 10240000\r\n250 HELP\r\n"},
			{c, "MAIL FROM:<alice@example.com>\r\n"}, {s, "250 2.1.0 Ok\r\n"}, {c, "RCPT TO:<bob@example.com>\r\n"}, {s, "550 5.1.1 <bob@example.com>: Recipient address rejected\r\n"},
			{c, "RCPT TO:<carol@example.com>\r\n"}, {s, "250 2.1.5 Ok\r\n"}, {c, "DATA\r\n"}, {s, "354 End data with <CR><LF>.<CR><LF>\r\n"},
			{c, "Subject: hi\r\n\r\nhello "}, {c, "carol\r\n.\r\n"}, {s, "250 2.0.0 Ok: queued as 12345\r\n"}, {c, "QUIT\r\n"}, {s, "221 2.0.0 Bye\r\n"}},
			[]string{"smtp", "smtp.req", "smtp.rsp", "smtp.req.command == \"RCPT\"", "smtp.response.code == 550", "smtp.rsp.parameter == \"HELP\"", "imf", "data-text-lines"},
			// tshark hands the message that ends with "." to IMF.
			map[string]bool{"16 line": true}},
		{"pop", 110, dialogue{{s, "+OK POP3 server ready\r\n"}, {c, "USER bob\r\n"}, {s, "+OK\r\n"}, {c, "PASS pw\r\n"}, {s, "+OK logged in\r\n"}, {c, "STAT\r\n"}, {s, "+OK 1 120\r\n"},
			{c, "RETR 1\r\n"}, {s, "+OK 120 octets\r\n"}, {c, "DELE 9\r\n"}, {s, "-ERR no such message\r\n"}, {c, "QUIT\r\n"}, {s, "+OK bye\r\n"}},
			[]string{"pop", "pop.request", "pop.response", "pop.response.indicator == \"-ERR\"", "pop.request.command == \"RETR\""}, nil},
		{"imap", 143, dialogue{{s, "* OK IMAP4rev1 Service Ready\r\n"}, {c, "a001 LOGIN bob secret\r\n"}, {s, "a001 OK LOGIN completed\r\n"}, {c, "a002 SELECT INBOX\r\n"},
			{s, "* 18 EXISTS\r\n* FLAGS (\\Answered \\Seen)\r\na002 OK [READ-WRITE] SELECT completed\r\n"}, {c, "a003 FETCH 1 BODY[]\r\n"}, {s, "a003 NO no such message\r\n"},
			{c, "a004 LOGOUT\r\n"}, {s, "* BYE server logging out\r\na004 OK LOGOUT completed\r\n"}},
			[]string{"imap", "imap.isrequest == 1", "imap.response.status == \"NO\"", "imap.request.command == \"LOGIN\"", "imap.request.folder == \"INBOX\""}, nil},
		{"ssh", 22, dialogue{{s, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"}, {c, "SSH-2.0-OpenSSH_9.6\r\n"}},
			[]string{"ssh", "ssh.protocol contains \"9.6\"", "ssh.direction == 1"}, nil},
		{"telnet", 23, dialogue{{s, "\xff\xfd\x18\xff\xfd\x20"}, {c, "\xff\xfb\x18"}, {s, "login: "}, {c, "bob\r\n"}, {s, "\xff\xfb\x01Password: "}},
			[]string{"telnet", "telnet.cmd == 251", "telnet.data contains \"login\"", "telnet.subcmd == 1"}, nil},
	}
	fields := []string{"frame.protocols", "tcp.len"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeDialogue(t, dir, tt.name, 40000, tt.port, tt.d)
			skip := tt.skip
			if skip == nil {
				skip = map[string]bool{}
			}
			var names []string
			for _, f := range protoFields(tt.name) {
				// tshark prints these text items empty; the filters test them.
				if f != "pop.request" && f != "pop.response" {
					names = append(names, f)
				}
			}
			compareLive(t, path, append(append([]string(nil), fields...), names...), true, skip)
			compareFilters(t, path, tt.filters)
		})
	}
}
