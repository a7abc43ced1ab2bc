-- socket module contracts, over real loopback sockets on port 0.

local function pair()
  local server = assert(socket.bind("127.0.0.1", 0))
  local _, port = server:getsockname()
  local client = assert(socket.connect("127.0.0.1", port))
  local peer = assert(server:accept())
  return client, peer, server, port
end

local function eq(got, want, what)
  if got ~= want then error(string.format("%s: got %q, want %q", what or "value", tostring(got), tostring(want)), 2) end
end

function TestRequireForms()
  local s = require("socket")
  eq(s, socket, "require")
  eq(require("socket.core"), socket, "socket.core")
  eq(s._VERSION, "LuaSocket 3.0.0")
end

function TestTostringForms()
  local c, p, s = pair()
  assert(tostring(socket.tcp()):match("^tcp{master}: 0x%x+$"))
  assert(tostring(c):match("^tcp{client}: 0x%x+$"))
  assert(tostring(s):match("^tcp{server}: 0x%x+$"))
  local u = socket.udp()
  assert(tostring(u):match("^udp{unconnected}: 0x%x+$"))
  u:setpeername("127.0.0.1", 9)
  assert(tostring(u):match("^udp{connected}: 0x%x+$"))
end

function TestEcho()
  local c, p = pair()
  eq(c:send("hello\n"), 6, "send")
  eq(p:receive(), "hello", "receive")
  eq(p:send("world\r\n"), 7)
  eq(c:receive("*l"), "world")
end

function TestReceiveTimeoutPartial()
  local c, p = pair()
  c:send("abc")
  p:settimeout(0.01)
  local data, err, partial = p:receive()
  eq(data, nil); eq(err, "timeout"); eq(partial, "abc", "partial")
  c:send("defg")
  data, err, partial = p:receive(10, "x")
  eq(err, "timeout"); eq(partial, "xdefg")
end

function TestReceiveClosedPartial()
  local c, p = pair()
  c:send("tail without newline")
  c:close()
  local data, err, partial = p:receive()
  eq(data, nil); eq(err, "closed"); eq(partial, "tail without newline")
  data, err, partial = p:receive("*a")
  eq(err, "closed"); eq(partial, "")
end

function TestReceiveAllReturnsDataAtClose()
  local c, p = pair()
  c:send("line1\nline2\n")
  c:shutdown("send")
  eq(p:receive("*a"), "line1\nline2\n")
end

function TestFiveDotXPatterns()
  local c, p = pair()
  c:send("one\r\ntwo")
  c:close()
  eq(p:receive("l"), "one")
  eq(p:receive("a"), "two")
end

function TestByteCount()
  local c, p = pair()
  c:send(string.rep("x", 20000))
  local got = p:receive(20000)
  eq(#got, 20000)
end

function TestBigSendReceive()
  local c, p = pair()
  local parts = {}
  for i = 1, 10000 do parts[#parts + 1] = string.format("%05d", i) end
  local big = table.concat(parts)
  c:settimeout(0)
  local last, err, sent = c:send(big)
  local got = {}
  local n = last or sent
  while true do
    local r = p:receive(math.min(8192, #big - #table.concat(got)))
    got[#got + 1] = r
    if #table.concat(got) >= n then break end
  end
  if n < #big then c:settimeout(5); c:send(big, n + 1); got[#got + 1] = p:receive(#big - n) end
  eq(table.concat(got), big, "bulk data")
end

function TestSendRanges()
  local c, p = pair()
  eq(c:send("abcdef", 2, 4), 4)
  eq(p:receive(3), "bcd")
end

function TestConnectRefused()
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  s:close()
  local c, err = socket.connect("127.0.0.1", port)
  eq(c, nil); eq(err, "connection refused")
end

function TestAddressInUse()
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  local s2, err = socket.bind("127.0.0.1", port)
  eq(s2, nil); eq(err, "address already in use")
end

function TestAcceptTimeout()
  local s = assert(socket.bind("127.0.0.1", 0))
  s:settimeout(0)
  local c, err = s:accept()
  eq(c, nil); eq(err, "timeout")
end

function TestSendToClosedPeer()
  local c, p = pair()
  p:close()
  local ok, err, last
  for i = 1, 10 do
    ok, err, last = c:send("x")
    if not ok then break end
  end
  eq(err, "closed"); eq(last, 0)
end

function TestBadSelf()
  local s = assert(socket.bind("127.0.0.1", 0))
  local ok, err = pcall(function() return s:send("x") end)
  assert(not ok and err:find("calling 'send' on bad self %(tcp{client} expected%)"), err)
end

function TestSelect()
  local c, p, s = pair()
  local r, w, err = socket.select({p}, nil, 0)
  eq(#r, 0); eq(err, "timeout")
  c:send("x\n")
  r, w, err = socket.select({p, s}, {c}, 2)
  eq(r[1], p); eq(r[p], 1); eq(w[1], c); eq(err, nil)
end

function TestNonBlockingConnect()
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, port = s:getsockname()
  local c = socket.tcp()
  c:settimeout(0)
  local ok, err = c:connect("127.0.0.1", port)
  assert(ok == 1 or err == "timeout", err)
  local _, w = socket.select(nil, {c}, 2)
  eq(w[1], c)
  eq(c:connect("127.0.0.1", port), 1, "second connect")
  eq(c:send("x"), 1)
end

function TestUDP()
  local a = assert(socket.udp())
  assert(a:setsockname("127.0.0.1", 0))
  local ip, port = a:getsockname()
  local b = socket.udp()
  eq(b:sendto("dgram", ip, port), 5)
  a:settimeout(2)
  local data, fip, fport = a:receivefrom()
  eq(data, "dgram"); eq(fip, "127.0.0.1")
  assert(a:sendto("back", fip, fport))
  b:settimeout(2)
  eq(b:receive(), "back")
  a:settimeout(0)
  local d, err = a:receive()
  eq(d, nil); eq(err, "timeout")
end

function TestUDPRefused()
  local dead = socket.udp(); dead:setsockname("127.0.0.1", 0)
  local _, port = dead:getsockname(); dead:close()
  local u = socket.udp()
  assert(u:setpeername("127.0.0.1", port))
  u:send("x")
  u:settimeout(2)
  local d, err = u:receive()
  eq(d, nil); eq(err, "connection refused")
end

function TestProtectNewtry()
  local finalized = false
  local try = socket.newtry(function() finalized = true end)
  local f = socket.protect(function() try(nil, "failed here"); return "unreached" end)
  local r, err = f()
  eq(r, nil); eq(err, "failed here"); assert(finalized)
  local g = socket.protect(function() error("plain error") end)
  local ok, e = pcall(g)
  assert(not ok and e:find("plain error"))
end

function TestDNS()
  eq(socket.dns.toip("localhost"), "127.0.0.1")
  eq(socket.dns.toip("127.0.0.1"), "127.0.0.1")
  local ip, err = socket.dns.toip("no-such-host.invalid")
  eq(ip, nil); eq(err, "host not found")
  eq(socket.dns.tohostname("127.0.0.1"), "localhost")
  assert(type(socket.dns.gethostname()) == "string")
end

function TestSleepAndTime()
  local t0 = socket.gettime()
  socket.sleep(0.01)
  assert(socket.gettime() - t0 >= 0.009)
end

function TestStats()
  local c, p = pair()
  c:send("12345")
  p:receive(5)
  local r, s, age = p:getstats()
  eq(r, 5); eq(s, 0); assert(age >= 0)
  r, s = c:getstats()
  eq(r, 0); eq(s, 5)
end

function TestCoroutineServer()
  -- a server and a client interleaved in coroutines over non-blocking sockets
  local server = assert(socket.bind("127.0.0.1", 0))
  server:settimeout(0)
  local _, port = server:getsockname()
  local got
  local srv = coroutine.create(function()
    local c
    repeat c = server:accept(); if not c then coroutine.yield() end until c
    c:settimeout(0)
    local line, err, part = nil, nil, ""
    repeat line, err, part = c:receive("*l", part); if not line then coroutine.yield() end until line
    c:send(line:upper() .. "\n")
  end)
  local cli = coroutine.create(function()
    local c = socket.tcp(); c:settimeout(0)
    c:connect("127.0.0.1", port)
    socket.select(nil, {c}, 2)
    c:send("shout\n")
    local line, err, part = nil, nil, ""
    repeat line, err, part = c:receive("*l", part); if not line then coroutine.yield() end until line
    got = line
  end)
  for i = 1, 100000 do
    if coroutine.status(srv) ~= "dead" then assert(coroutine.resume(srv)) end
    if coroutine.status(cli) ~= "dead" then assert(coroutine.resume(cli)) end
    if coroutine.status(cli) == "dead" then break end
  end
  eq(got, "SHOUT")
end

function TestHostileArguments()
  local c, p = pair()
  p:settimeout(0)
  for _, v in ipairs({0/0, -1, -1/0}) do
    assert(not pcall(p.receive, p, v))
  end
  c:send("abc")
  p:settimeout(1)
  eq(p:receive(1/0 == 1/0 and 3), "abc")
  eq(c:send("xyz", 0/0, 1/0), 3)
  eq(c:send("xyz", -1/0, 0/0), 0)
  c:settimeout(0/0); p:settimeout(1e308)
  socket.sleep(0/0); socket.sleep(-1/0)
  eq(select("#", socket.skip(1e300, 1, 2)), 0)
  assert(not socket.connect("127.0.0.1", 1e300))
  local ok = pcall(socket.select, {1, "x", {}}, {true}, 0)
  assert(ok)
  eq(p:receive(3), "xyz")
end
