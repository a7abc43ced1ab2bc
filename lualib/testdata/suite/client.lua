-- The socket suite: the behaviour LuaSocket's own client/server test checks
-- (test/testclnt.lua and testsrvr.lua in lunarmodules/luasocket), written
-- for wirelab. It drives server.lua over a control connection (SUITE_PORT,
-- set before this file runs) and checks a second, data connection. Each case
-- prints "NAME: ok" or "NAME: FAILED why"; the last line is "passed N of M".
-- lualib's TestSocketSuitePairings runs it in four pairings: C Lua 5.1 + C
-- LuaSocket or wirelab as the client, the same two as the server.
--
-- Nothing here depends on how long anything takes: where LuaSocket's test
-- sleeps on the server so that the client times out, this server waits for a
-- "go" line on the control connection, which the client sends only after it
-- has seen its timeout.
local socket = require("socket")
local host, port = "127.0.0.1", assert(SUITE_PORT, "SUITE_PORT is not set")

-- The server takes as its control connection the one that says "control":
-- another program scanning loopback (a port scan in a test running beside
-- this one) may connect to its listener first.
local control = assert(socket.connect(host, port))
control:setoption("tcp-nodelay", true)
assert(control:send("control\n"))

-- remote runs one line of Lua on the server; it raises when the server's
-- previous chunk raised.
local function remote(src)
  src = string.gsub(src, "%s+", " ")
  assert(control:send(src .. "\n"))
  local ack, err = control:receive()
  assert(ack, "control connection: " .. tostring(err))
  if ack ~= "run" then
    error("server: " .. ack, 0)
  end
end

-- sync returns once the server has finished what it was running.
local function sync() remote("") end

-- go releases a server chunk waiting for the client.
local function go() assert(control:send("go\n")) end
local WAIT = "assert(control:receive() == 'go')"

local data
-- The server accepts until it has the data connection from the client's
-- port: a stray connection (a scanner's) is closed, not served.
local function reconnect()
  if data then data:close() end
  data = assert(socket.connect(host, port))
  data:setoption("tcp-nodelay", true)
  local _, mine = data:getsockname()
  remote(string.format([[if data then data:close() end
    data = nil
    repeat
      local c = assert(listener:accept())
      local _, p = c:getpeername()
      if tonumber(p) == %d then data = c else c:close() end
    until data
    data:setoption("tcp-nodelay", true)]], tonumber(mine)))
end

local passed, ran = 0, 0
local function case(name, f, ...)
  ran = ran + 1
  local ok, err = pcall(f, ...)
  if ok then
    ok, err = pcall(sync)
  end
  if ok then
    passed = passed + 1
    print(name .. ": ok")
  else
    print(name .. ": FAILED " .. tostring(err))
    -- Leave the server in a known state for the next case: end what it
    -- waits for on the data connection, release it if it waits for "go"
    -- (the server ignores a "go" nobody waits for), let it finish.
    if data then data:close() data = nil end
    go()
    pcall(sync)
  end
end

local function expect(what, got, want)
  if got ~= want then
    error(string.format("%s: got %s, want %s", what, tostring(got), tostring(want)), 2)
  end
end

-- a port nothing listens on
local function closedport()
  local s = assert(socket.bind("127.0.0.1", 0))
  local _, p = s:getsockname()
  s:close()
  return p
end

------------------------------------------------------------------------
local tcpmethods = {"accept", "bind", "close", "connect", "dirty", "getfamily",
  "getfd", "getoption", "getpeername", "getsockname", "getstats", "setstats",
  "listen", "receive", "send", "setfd", "setoption", "setpeername",
  "setsockname", "settimeout", "shutdown"}
local udpmethods = {"close", "dirty", "getfamily", "getfd", "getoption",
  "getpeername", "getsockname", "receive", "receivefrom", "send", "sendto",
  "setfd", "setoption", "setpeername", "setsockname", "settimeout"}

local function methods(sock, list)
  for _, m in ipairs(list) do
    if type(sock[m]) ~= "function" then
      error(sock.class .. " has no method " .. m, 0)
    end
  end
  sock:close()
end

case("tcp methods", methods, socket.tcp(), tcpmethods)
case("tcp4 methods", methods, socket.tcp4(), tcpmethods)
case("tcp6 methods", methods, socket.tcp6(), tcpmethods)
case("udp methods", methods, socket.udp(), udpmethods)
case("udp4 methods", methods, socket.udp4(), udpmethods)
case("udp6 methods", methods, socket.udp6(), udpmethods)

------------------------------------------------------------------------
case("closed while reading a line", function()
  reconnect()
  remote([[data:send("no newline here") data:close() data = nil]])
  local line, err, partial = data:receive()
  expect("line", line, nil)
  expect("error", err, "closed")
  expect("partial", partial, "no newline here")
end)

case("closed while writing", function()
  reconnect()
  remote([[data:close() data = nil]])
  sync()
  local block = string.rep("ugauga", 100000)
  local sent, err, last
  for _ = 1, 100 do
    sent, err, last = data:send(block)
    if err then break end
  end
  expect("error", err, "closed")
  expect("bytes before the error are a number", type(last), "number")
end)

case("receive with a prefix counts the prefix", function()
  reconnect()
  remote([[data:send("7890")]])
  data:settimeout(5)
  expect("mixed", data:receive(10, "123456"), "1234567890")
  expect("exact", data:receive(8, "87654321"), "87654321")
  expect("shorter", data:receive(4, "87654321"), "87654321")
end)

------------------------------------------------------------------------
case("select with nothing", function()
  local r, w, e = socket.select(nil, nil, 0.05)
  expect("read set", type(r), "table")
  expect("write set", type(w), "table")
  expect("error", e, "timeout")
end)

case("select over closed sockets", function()
  local u = socket.udp()
  u:close()
  local r, w, e = socket.select({u}, {u}, 0.05)
  expect("read set", type(r), "table")
  expect("write set", type(w), "table")
  expect("error", e, "timeout")
end)

case("select refuses bad arguments", function()
  expect("a string as the read set", (pcall(socket.select, "wrong", 1, 0.1)), false)
  expect("a number as the write set", (pcall(socket.select, {}, 1, 0.1)), false)
end)

case("select over more than _SETSIZE sockets raises", function()
  local many = {}
  for i = 1, socket._SETSIZE + 1 do
    many[i] = assert(socket.udp4())
  end
  local ok = pcall(socket.select, many, nil, 0.05)
  for _, u in ipairs(many) do u:close() end
  expect("select succeeded", ok, false)
end)

case("select sees a readable socket", function()
  reconnect()
  remote([[data:send("x")]])
  local r, _, e = socket.select({data}, nil, 5)
  expect("error", e, nil)
  expect("ready", r[1], data)
  expect("indexed by socket", r[data], 1)
  expect("byte", data:receive(1), "x")
end)

------------------------------------------------------------------------
local function closedpattern(pattern)
  reconnect()
  remote([[data:close() data = nil]])
  sync()
  data:close()
  local got, err = data:receive(pattern)
  expect("result", got, nil)
  expect("error", err, "closed")
end

case("read everything twice", function()
  reconnect()
  remote([[data:send("little string") data:close() data = nil]])
  expect("first *a", data:receive("*a"), "little string")
  local got, err = data:receive("*a")
  expect("second *a", got, nil)
  expect("second *a error", err, "closed")
end)
case("receive *a after close", closedpattern, "*a")
case("receive *l after close", closedpattern, "*l")
case("receive 1 after close", closedpattern, 1)
case("receive 0 after close", closedpattern, 0)

case("send after the peer closed", function()
  reconnect()
  remote([[data:close() data = nil]])
  sync()
  local err
  for _ = 1, 10000 do
    local _
    _, err = data:send("little string")
    if err then break end
  end
  expect("error", err, "closed")
end)

------------------------------------------------------------------------
case("connect to a closed port", function()
  local c, e = socket.connect("127.0.0.1", closedport())
  expect("socket", c, nil)
  expect("error", e, "connection refused")
end)

-- A listener with a backlog of 0 and a full accept queue drops SYNs, so a
-- connect to it times out: a connect timeout that stays on loopback.
case("connect times out", function()
  local full = assert(socket.bind("127.0.0.1", 0, 0))
  local _, p = full:getsockname()
  local queued = {}
  for i = 1, 4 do
    queued[i] = socket.tcp()
    queued[i]:settimeout(0)
    queued[i]:connect("127.0.0.1", p)
  end
  local c = socket.tcp()
  c:settimeout(0.2)
  local ok, e = c:connect("127.0.0.1", p)
  c:close()
  for _, q in ipairs(queued) do q:close() end
  full:close()
  expect("connected", ok, nil)
  expect("error", e, "timeout")
end)

case("bind to a port in use", function()
  local s = assert(socket.bind("127.0.0.1", 0))
  local ip, p = s:getsockname()
  local t = socket.tcp()
  t:setoption("reuseaddr", false)
  local ok, e = t:bind(ip, p)
  t:close()
  s:close()
  expect("bound", ok, nil)
  expect("error", e, "address already in use")
end)

local function isclosed(sock) return sock:getfd() == -1 end
case("close and fresh sockets", function()
  local t = socket.tcp4()
  expect("tcp4 open", isclosed(t), false)
  t:close()
  expect("tcp4 closed", isclosed(t), true)
  expect("tcp has no descriptor yet", isclosed(socket.tcp()), true)
  local u = socket.udp4()
  expect("udp4 open", isclosed(u), false)
  u:close()
  expect("udp4 closed", isclosed(u), true)
  expect("udp has no descriptor yet", isclosed(socket.udp()), true)
end)

------------------------------------------------------------------------
case("accept times out", function()
  local s = assert(socket.bind("127.0.0.1", 0, 0))
  s:settimeout(0.1)
  local c, e = s:accept()
  s:close()
  expect("accepted", c, nil)
  expect("error", e, "timeout")
end)

-- LuaSocket's test also accepts on a descriptor swapped in with setfd (one
-- that does not listen, a UDP one); wirelab's setfd only takes -1
-- (docs/lua-api.md), so those two are not here.

------------------------------------------------------------------------
case("byte counts", function()
  reconnect()
  local total = 0
  for i = 1, 25 do
    local n = (i * 37) % 100 + 1
    remote(string.format([[data:send((data:receive(%d)))]], n))
    data:send(string.rep("a", n))
    expect("echo", data:receive(n), string.rep("a", n))
    total = total + n
    local r, s = data:getstats()
    expect("received", r, total)
    expect("sent", s, total)
  end
end)

------------------------------------------------------------------------
local sizes = {1, 17, 200, 4091, 80199, 1000000}

local function line(n, unit, pad)
  return string.rep(pad, n % 10) .. string.rep(unit, math.floor(n / 10))
end

local function echoline(s)
  reconnect()
  remote([[str = data:receive()]])
  assert(data:send(s .. "\n"))
  remote([[data:send(str .. "\n")]])
  local back, err = data:receive()
  expect("error", err, nil)
  expect("line comes back", back == s, true)
end
for _, n in ipairs(sizes) do
  case("text line of " .. n, echoline, line(n, "aZb.c#dAe?", "x"))
end
for _, n in ipairs(sizes) do
  case("binary line of " .. n, echoline, line(n, string.char(120, 21, 77, 4, 5, 0, 7, 36, 44, 100), "/"))
end

local function mixed(n)
  reconnect()
  local q = math.ceil(n / 4)
  local p1 = "unix " .. string.rep("x", q) .. "line\n"
  local p2 = "dos " .. string.rep("y", q) .. "line\r\n"
  local p3 = "raw " .. string.rep("z", q) .. "bytes"
  local p4 = "end" .. string.rep("w", q) .. "bytes"
  remote(string.format([[str = data:receive(%d)]], #p1 + #p2 + #p3 + #p4))
  assert(data:send(p1 .. p2 .. p3 .. p4))
  remote([[data:send(str) data:close() data = nil]])
  expect("unix line", data:receive() .. "\n" == p1, true)
  expect("dos line", data:receive() .. "\r\n" == p2, true)
  expect("raw block", data:receive(#p3) == p3, true)
  expect("the rest", data:receive("*a") == p4, true)
end
for _, n in ipairs(sizes) do
  case("mixed patterns of " .. n, mixed, n)
end

local function raw(n)
  reconnect()
  local half = math.floor(n / 2)
  local s1, s2 = string.rep("x", half), string.rep("y", n - half)
  remote(string.format([[str = data:receive(%d)]], n))
  assert(data:send(s1))
  assert(data:send(s2))
  remote([[data:send(str)]])
  local back, err = data:receive(n)
  expect("error", err, nil)
  expect("block comes back", back == s1 .. s2, true)
end
for _, n in ipairs(sizes) do
  case("raw block of " .. n, raw, n)
end

------------------------------------------------------------------------
-- Non-blocking: the standard retry loops, receive(pattern, partial) and
-- send(data, i), complete across a pause of the peer.
local function nonblocking(n)
  reconnect()
  local a, b = string.rep("a", n), string.rep("b", n)
  remote(string.format([[data:send(string.rep("a", %d)) %s data:send(string.rep("b", %d) .. "\n")]], n, WAIT, n))
  data:settimeout(0)
  local got, err, part, released = nil, nil, "", false
  repeat
    got, err, part = data:receive("*l", part)
    if err == "timeout" then
      if not released and #part == n then
        go()
        released = true
      end
      socket.select({data}, nil, 1)
    end
  until err ~= "timeout"
  expect("error", err, nil)
  expect("released the server", released, true)
  expect("line", got == a .. b, true)

  reconnect()
  remote(string.format([[str = data:receive(%d) %s str = data:receive(2 * %d, str) data:send(str .. "\n")]], n, WAIT, n))
  local s = a .. b
  local sent, last = nil, 0
  released = false
  repeat
    sent, err, last = data:send(s, last + 1)
    last = sent or last
    if err == "timeout" then
      if not released then
        go()
        released = true
      end
      socket.select(nil, {data}, 1)
    end
  until err ~= "timeout"
  if not released then go() end
  expect("error", err, nil)
  data:settimeout(-1)
  expect("echo", data:receive() == s, true)
end
for _, n in ipairs({1, 17, 200, 4091, 80199, 800000}) do
  case("non-blocking transfer of " .. 2 * n, nonblocking, n)
end

------------------------------------------------------------------------
-- Timeouts: the server sends (or reads) half and waits; the client's call
-- times out with the part it got, then finishes after the server goes on.
local function receivetimeout(mode)
  local n = 800091
  reconnect()
  remote(string.format([[data:send(string.rep("a", %d)) %s data:send(string.rep("a", %d))]], n, WAIT, n))
  data:settimeout(0.2, mode)
  local got, err, part = data:receive(2 * n)
  expect("result", got, nil)
  expect("error", err, "timeout")
  expect("partial is some of the first half", #part <= n and part == string.rep("a", #part), true)
  go()
  data:settimeout(10, mode)
  got, err = data:receive(2 * n, part)
  expect("error after go", err, nil)
  expect("all of it", got == string.rep("a", 2 * n), true)
end

local function sendtimeout(mode)
  local n = 8000000
  reconnect()
  remote(string.format([[data:receive(%d) %s data:receive(%d)]], 1000, WAIT, n - 1000))
  data:settimeout(0.2, mode)
  local s = string.rep("a", n)
  local sent, err, last = data:send(s)
  if sent then
    expect("sent all without a timeout", sent, n)
  else
    expect("error", err, "timeout")
    expect("partial count", last < n, true)
  end
  go()
  if not sent then
    data:settimeout(10, mode)
    sent, err = data:send(s, last + 1)
    expect("error after go", err, nil)
    expect("sent all", sent, n)
  end
end

for _, mode in ipairs({"b", "block", "t", "total", "r"}) do
  case("receive timeout, mode " .. mode, receivetimeout, mode)
  case("send timeout, mode " .. mode, sendtimeout, mode)
end

case("an unknown timeout mode raises", function()
  local t = socket.tcp()
  expect("settimeout(1, 'x')", (pcall(t.settimeout, t, 1, "x")), false)
  t:close()
end)

------------------------------------------------------------------------
case("shutdown of the sending side", function()
  reconnect()
  remote([[str = data:receive("*a") data:send("got " .. #str) data:close() data = nil]])
  assert(data:send("some bytes"))
  expect("shutdown", data:shutdown("send"), 1)
  expect("answer", data:receive("*a"), "got 10")
end)

case("getoption error on a healthy socket", function()
  reconnect()
  expect("error option", data:getoption("error"), nil)
end)

if data then data:close() end
control:send("quit\n")
control:close()
print(string.format("passed %d of %d", passed, ran))
