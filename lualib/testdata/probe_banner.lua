-- banner module tests; lab.args holds the ports of the Go test's servers.
local args = lab.args

local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %q, want %q", what, tostring(got), tostring(want)), 2)
  end
end

local function raises(text, f, ...)
  local ok, err = pcall(f, ...)
  if ok then error("no error, want one containing " .. text, 2) end
  if not string.find(err, text, 1, true) then
    error(string.format("error %q does not contain %q", err, text), 2)
  end
end

function TestGreeting()
  local text, info = banner.grab("127.0.0.1", args.ssh, {idle = 0.05})
  eq(text, "SSH-2.0-wirelab_test\r\n", "banner")
  eq(info.service, "ssh", "service")
  eq(info.probe, nil, "no probe: the service spoke first")
  eq(banner.grab("web", args.ssh, {lines = 1}), "SSH-2.0-wirelab_test\r\n", "banner by lab name")
end

function TestLines()
  eq(banner.grab("127.0.0.1", args.multi, {lines = 1}), "220-first\r\n", "one line")
  eq(banner.grab("127.0.0.1", args.multi, {lines = 2}), "220-first\r\n220-second\r\n", "two lines")
end

function TestBytes()
  eq(banner.grab("127.0.0.1", args.big, {bytes = 10}), "xxxxxxxxxx", "ten bytes")
  eq(#banner.grab("127.0.0.1", args.big), 1024, "default limit")
end

function TestSend()
  eq(banner.grab("127.0.0.1", args.web, {send = "HEAD / HTTP/1.0\r\n\r\n"}), "HTTP/1.0 200 OK\r\n\r\n", "reply to the probe")
end

function TestProbes()
  -- A silent web server gets "GET / HTTP/1.0" after a second of silence.
  local text, info = banner.grab("127.0.0.1", args.web, {wait = 0.2})
  eq(text, "HTTP/1.0 200 OK\r\n\r\n", "answer to the HTTP probe")
  eq(info.service, "http", "service")
  eq(info.probe, "http", "probe")
  local none, err = banner.grab("127.0.0.1", args.web, {probe = false, timeout = 0.3})
  eq(err, "timeout", "no probe")
  -- A TLS server: the handshake's version and the certificate's subject.
  text, info = banner.grab("127.0.0.1", args.tls, {wait = 0.2, timeout = 5})
  eq(text, "TLS 1.3; subject CN=wirelab.test", "TLS summary")
  eq(info.service, "tls", "tls service")
  eq(info.tls.version, "TLS 1.3", "version")
  eq(info.tls.subject, "CN=wirelab.test", "subject")
  text, info = banner.grab("127.0.0.1", args.web, {send = "HEAD / HTTP/1.0\r\n\r\n"})
  eq(info.probe, "send", "send is the probe")
end

function TestService()
  eq(banner.service("SSH-2.0-OpenSSH_9.2p1\r\n"), "ssh", "ssh")
  eq(banner.service("220 welcome\r\n", 21), "ftp", "ftp by port")
  eq(banner.service("220 welcome\r\n"), nil, "bare 220")
  eq(banner.service("+OK ready\r\n"), "pop3", "pop3")
  raises([[bad argument #2 to 'service' ("0" is not a port (1-65535))]], banner.service, "x", 0)
end

function TestErrors()
  local function grab_err(port, opts)
    local b, err = banner.grab("127.0.0.1", port, opts)
    eq(b, nil, "banner")
    return err
  end
  eq(grab_err(args.silent, {timeout = 0.1}), "timeout", "silent service")
  eq(grab_err(args.web, {timeout = 0.1}), "timeout", "service waiting for a probe")
  eq(grab_err(args.closer), "closed", "service closing at once")
  eq(grab_err(args.closed), "connection refused", "closed port")
  local b, err = banner.grab("nowhere", 22)
  eq(err, "host not found", "unknown host")
end

function TestGrabAll()
  local got = banner.grab_all("web", {args.ssh, args.multi, args.silent, args.closed}, {lines = 1, timeout = 2})
  eq(got[args.ssh], "SSH-2.0-wirelab_test\r\n", "ssh")
  eq(got[args.multi], "220-first\r\n", "multi")
  eq(got[args.silent], nil, "silent")
  eq(got[args.closed], nil, "closed")
  local n = 0
  for _ in pairs(got) do n = n + 1 end
  eq(n, 2, "banners")
  local none, err = banner.grab_all("nowhere", "1-2")
  eq(err, "host not found", "unknown host")
end

function TestSource()
  -- The Go test sets Env.Source to 127.0.0.2 for this test only.
  eq(banner.grab("127.0.0.1", args.peer, {lines = 1}), "127.0.0.2\n", "local address")
end

function TestArgumentErrors()
  raises([[bad argument #2 to 'grab' ("70000" is not a port (1-65535))]], banner.grab, "127.0.0.1", 70000)
  raises([[bad argument #2 to 'grab' (number expected, got nil)]], banner.grab, "127.0.0.1", nil)
  raises([[bad argument #3 to 'grab' (unknown option "line" (known: timeout, bytes, send, lines, idle, wait, probe))]], banner.grab, "127.0.0.1", 22, {line = 1})
  raises([[option "send" must be a string, got table]], banner.grab, "127.0.0.1", 22, {send = {}})
  raises([[option "probe" must be a boolean, got number]], banner.grab, "127.0.0.1", 22, {probe = 1})
  raises([[option "bytes" must be an integer from 1 to 1048576, got 0]], banner.grab, "127.0.0.1", 22, {bytes = 0})
  raises([[bad argument #2 to 'grab_all' ("x" is not a port (1-65535))]], banner.grab_all, "127.0.0.1", "x")
end
