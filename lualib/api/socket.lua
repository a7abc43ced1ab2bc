---@meta socket

---LuaSocket 3.x, as wirelab provides it: the same functions, return values and
---error strings as the C library, so LuaSocket programs run unchanged.
---
---Failures return `nil` and an error string (`"timeout"`, `"closed"`,
---`"connection refused"`, `"address already in use"`,
---`"host or service not provided, or not known"`, ...); calling a method in the
---wrong state raises an error (`calling 'send' on bad self (tcp{client} expected)`).
---Inside a lab, names resolve only through the lab's hosts.
---
---```lua
---local socket = require("socket")
---local c = assert(socket.connect("www.example.com", 80))
---c:send("GET / HTTP/1.0\r\nHost: www.example.com\r\n\r\n")
---print(c:receive())            --> HTTP/1.0 200 OK
---c:close()
---```
---@class socketlib
---@field _VERSION string "LuaSocket 3.0.0", what C LuaSocket 3.x reports
---@field _SETSIZE integer most sockets socket.select watches (1024)
---@field _DATAGRAMSIZE integer default size of a UDP receive (8192)
---@field BLOCKSIZE integer 2048
---@field dns socket.dns
socket = {}

---A new TCP object in the master state. The descriptor is created on first
---use, for the family of the address it is bound or connected to.
---
---```lua
---local t = socket.tcp()
---print(t)                      --> tcp{master}: 0x55d0c8e0a2b8
---```
---@return socket.tcp.master|nil tcp
---@return string? err
function socket.tcp() end

---A new IPv4 TCP master object.
---
---```lua
---local t = assert(socket.tcp4())
---```
---@return socket.tcp.master|nil tcp
---@return string? err
function socket.tcp4() end

---A new IPv6 TCP master object.
---
---```lua
---local t = assert(socket.tcp6())
---```
---@return socket.tcp.master|nil tcp
---@return string? err
function socket.tcp6() end

---A new UDP object, unconnected. The descriptor is created on first use.
---
---```lua
---local u = assert(socket.udp())
---u:setsockname("*", 0)
---```
---@return socket.udp.unconnected|nil udp
---@return string? err
function socket.udp() end

---A new IPv4 UDP object.
---
---```lua
---local u = assert(socket.udp4())
---```
---@return socket.udp.unconnected|nil udp
---@return string? err
function socket.udp4() end

---A new IPv6 UDP object.
---
---```lua
---local u = assert(socket.udp6())
---```
---@return socket.udp.unconnected|nil udp
---@return string? err
function socket.udp6() end

---Connect a new TCP client to host:port, optionally from locaddr:locport.
---Returns the client, or `nil` and an error such as `"connection refused"`,
---`"timeout"` or `"host or service not provided, or not known"`.
---
---```lua
---local c, err = socket.connect("www.example.com", 80)
---if not c then print("cannot connect: " .. err) return end
---```
---@param host string name or address
---@param port integer|string
---@param locaddr? string local address to bind first
---@param locport? integer|string local port to bind first
---@param family? "unspec"|"inet"|"inet6" the family of the local address (C LuaSocket 3.1: not of the remote one)
---@return socket.tcp.client|nil client
---@return string? err
function socket.connect(host, port, locaddr, locport, family) end

---`socket.connect(host, port, locaddr, locport, "inet")`: the local address is
---IPv4; without one the remote address may be of either family.
---
---```lua
---local c = assert(socket.connect4("127.0.0.1", 8080))
---```
---@param host string
---@param port integer|string
---@param locaddr? string
---@param locport? integer|string
---@return socket.tcp.client|nil client
---@return string? err
function socket.connect4(host, port, locaddr, locport) end

---`socket.connect(host, port, locaddr, locport, "inet6")`: the local address
---is IPv6; without one the remote address may be of either family.
---
---```lua
---local c = assert(socket.connect6("::1", 8080))
---```
---@param host string
---@param port integer|string
---@param locaddr? string
---@param locport? integer|string
---@return socket.tcp.client|nil client
---@return string? err
function socket.connect6(host, port, locaddr, locport) end

---A TCP server listening on host:port (`"*"` is every address; port 0 picks
---a free one), with SO_REUSEADDR set as LuaSocket does. Backlog defaults to 32.
---
---```lua
---local server = assert(socket.bind("*", 0))
---local ip, port = server:getsockname()
---print("listening on port " .. port)
---```
---@param host string
---@param port integer|string
---@param backlog? integer
---@return socket.tcp.server|nil server
---@return string? err
function socket.bind(host, port, backlog) end

---Wait until sockets in `recvt` can be read (or accepted from) or sockets in
---`sendt` can be written, at most `timeout` seconds (nil or negative: no
---limit). Returns two tables of the ready sockets, each listed both as
---`t[i] = sock` and `t[sock] = i`; when none became ready, the two tables are
---empty and the third result is `"timeout"`. A socket with buffered data counts
---as readable at once.
---
---```lua
---local r, w, err = socket.select({server, client}, nil, 5)
---if r[client] then print(client:receive()) end
---if err == "timeout" then print("quiet for 5 seconds") end
---```
---@param recvt? table sockets to watch for reading
---@param sendt? table sockets to watch for writing
---@param timeout? number seconds
---@return table readable
---@return table writable
---@return string? err
function socket.select(recvt, sendt, timeout) end

---Seconds since the epoch, with sub-second precision.
---
---```lua
---local t0 = socket.gettime()
---local c = socket.connect("www.example.com", 80)
---print(("connected in %.3f s"):format(socket.gettime() - t0))
---```
---@return number
function socket.gettime() end

---Sleep for `seconds` (stops early when the run's time is up).
---
---```lua
---socket.sleep(0.5)
---```
---@param seconds number
function socket.sleep(seconds) end

---Return all arguments after the first `d` ones.
---
---```lua
---local port = socket.skip(1, client:getsockname())   -- just the port
---```
---@param d integer
---@param ... any
---@return any ...
function socket.skip(d, ...) end

---Wrap `func` so that errors raised by a `try` function come back as
---`nil, err` instead of propagating. Other errors still propagate.
---
---```lua
---local fetch = socket.protect(function(host)
---  local c = socket.try(socket.connect(host, 80))
---  local try = socket.newtry(function() c:close() end)
---  try(c:send("GET / HTTP/1.0\r\n\r\n"))
---  return try(c:receive())
---end)
---print(fetch("www.example.com"))   --> HTTP/1.0 200 OK   or   nil   connection refused
---```
---@param func function
---@return function
function socket.protect(func) end

---Make a `try` function: `try(ret1, ret2, ...)` returns its arguments when
---`ret1` is true; otherwise it calls `finalizer` (if any) and raises `ret2` in a
---way `socket.protect` turns into `nil, ret2`.
---
---```lua
---local try = socket.newtry(function() c:close() end)
---try(c:send("hello\n"))
---```
---@param finalizer? function
---@return fun(...): ...
function socket.newtry(finalizer) end

---`socket.newtry()` without a finalizer.
---
---```lua
---local c = socket.try(socket.connect("www.example.com", 80))
---```
---@param ... any
---@return any ...
function socket.try(...) end

---Name resolution. Inside a lab only the lab's hosts, literal addresses and
---"localhost" resolve.
---@class socket.dns
local dns = {}

---The first IPv4 address of `name`, and a table `{name=, alias={}, ip={...}}`;
---or `nil, "host not found"`.
---
---```lua
---local ip, info = socket.dns.toip("www.example.com")
---print(ip, #info.ip)               --> 10.0.0.80   1
---```
---@param name string
---@return string|nil ip
---@return table|string info_or_err
function dns.toip(name) end

---The host name for an address (or name), and the same info table as toip;
---or `nil, "host not found"`.
---
---```lua
---print(socket.dns.tohostname("127.0.0.1"))   --> localhost   table: 0x...
---```
---@param address string
---@return string|nil name
---@return table|string info_or_err
function dns.tohostname(address) end

---This machine's host name.
---
---```lua
---print(socket.dns.gethostname())
---```
---@return string
function dns.gethostname() end

---Every address of `name`, as `{ {family="inet"|"inet6", addr="..."}, ... }`;
---or `nil, err`.
---
---```lua
---for _, a in ipairs(assert(socket.dns.getaddrinfo("localhost"))) do print(a.family, a.addr) end
---```
---@param name string
---@return table|nil addresses
---@return string? err
function dns.getaddrinfo(name) end

---The names of every address of `host` (the address itself when it has none;
---an empty table without a host) and the name of TCP service `serv` from
---/etc/services (its number when it has none). `nil, err` when host or serv is
---not known; both nil raises an error.
---
---```lua
---local names, service = socket.dns.getnameinfo("127.0.0.1", 80)   --> {"localhost"}, "http"
---```
---@param host? string
---@param serv? integer|string
---@return table|nil names
---@return string? service_or_err
function dns.getnameinfo(host, serv) end

---Methods every TCP object has, whatever its state.
---@class socket.tcp.any
---@field class string "tcp{master}", "tcp{client}" or "tcp{server}"
local tcp = {}

---Close the object (always returns 1). Closing twice is fine.
---
---```lua
---client:close()
---```
---@return 1
function tcp:close() end

---Connect to host:port. A master becomes a client (even when the attempt
---fails or, with a zero timeout, is still in progress; finish it with
---`socket.select(nil, {t})` and a second `connect`, which returns 1).
---
---```lua
---local t = socket.tcp()
---t:settimeout(2)
---local ok, err = t:connect("www.example.com", 80)
---```
---@param host string
---@param port integer|string
---@return 1|nil ok
---@return string? err
function tcp:connect(host, port) end

---Whether received data is waiting in the object's buffer.
---
---```lua
---if client:dirty() then print(client:receive()) end
---```
---@return boolean
function tcp:dirty() end

---"inet4" or "inet6".
---
---```lua
---print(socket.tcp6():getfamily())   --> inet6
---```
---@return string
function tcp:getfamily() end

---The descriptor number, or -1 when the object has none.
---
---```lua
---print(client:getfd())
---```
---@return integer
function tcp:getfd() end

---`setfd(-1)` makes the object forget (here: close) its descriptor. Adopting
---another descriptor number is not supported.
---
---```lua
---client:setfd(-1)
---```
---@param fd integer
function tcp:setfd(fd) end

---Read a socket option: "keepalive", "reuseaddr", "reuseport", "tcp-nodelay",
---"linger" ({on=, timeout=}), "send-buffer-size", "recv-buffer-size",
---"tcp-keepidle", "tcp-keepcnt", "tcp-keepintvl", "ipv6-v6only".
---
---```lua
---print(server:getoption("reuseaddr"))   --> true
---```
---@param name string
---@return any|nil value
---@return string? err
function tcp:getoption(name) end

---Set a socket option (see getoption for the names).
---
---```lua
---client:setoption("tcp-nodelay", true)
---client:setoption("linger", {on = true, timeout = 0})
---```
---@param name string
---@param value any
---@return 1|nil ok
---@return string? err
function tcp:setoption(name, value) end

---The peer's address, port and family ("inet"/"inet6"), or `nil, err`.
---
---```lua
---local ip, port = client:getpeername()
---```
---@return string|nil address
---@return integer|string port_or_err
---@return string? family
function tcp:getpeername() end

---The local address, port and family, or `nil, err`.
---
---```lua
---local ip, port = server:getsockname()
---```
---@return string|nil address
---@return string port_or_err the port as a string, as LuaSocket 3.1 gives it
---@return string? family
function tcp:getsockname() end

---The block and total timeouts (-1: none).
---
---```lua
---print(client:gettimeout())   --> -1   -1
---```
---@return number block
---@return number total
function tcp:gettimeout() end

---Limit how long a call may wait: mode "b" (default) bounds each wait, "t"
---the whole call. nil or negative: wait without limit (still bounded by the
---run's deadline). 0 makes calls non-blocking.
---
---```lua
---client:settimeout(5)
---local line, err = client:receive()   -- err == "timeout" after 5 s of silence
---```
---@param seconds? number
---@param mode? "b"|"t"|"r"
---@return 1
function tcp:settimeout(seconds, mode) end

---A TCP object that is neither connected nor listening.
---@class socket.tcp.master: socket.tcp.any
local master = {}

---Bind to a local address and port ("*" for every address, 0 for any port).
---
---```lua
---local t = socket.tcp()
---assert(t:bind("127.0.0.1", 0))
---```
---@param address string
---@param port integer|string
---@return 1|nil ok
---@return string? err
function master:bind(address, port) end

---Start listening; the master becomes a server. Backlog defaults to 32.
---
---```lua
---assert(t:listen(5))
---```
---@param backlog? integer
---@return 1|nil ok
---@return string? err
function master:listen(backlog) end

---A listening TCP object.
---@class socket.tcp.server: socket.tcp.any
local server = {}

---Wait for a connection and return it as a client, or `nil, "timeout"` /
---`nil, "closed"`.
---
---```lua
---local client = assert(server:accept())
---print("connection from", client:getpeername())
---```
---@return socket.tcp.client|nil client
---@return string? err
function server:accept() end

---A connected TCP object.
---@class socket.tcp.client: socket.tcp.any
local client = {}

---Read by pattern: "*l" (default; a line, LF-terminated, CRs dropped), "*a"
---(until the peer closes), or a byte count; "l" and "a" are accepted too.
---`prefix` is put in front of the result. On failure returns `nil`, the error
---("timeout", "closed") and what was received so far.
---
---```lua
---local line, err, partial = client:receive()
---local body = client:receive("*a")
---local header = client:receive(4)
---```
---@param pattern? "*l"|"*a"|"l"|"a"|integer
---@param prefix? string
---@return string|nil data
---@return string? err
---@return string? partial
function client:receive(pattern, prefix) end

---Send `data` (or bytes i..j of it). Returns the index of the last byte sent;
---on failure `nil`, the error and the index of the last byte sent.
---
---```lua
---client:send("GET / HTTP/1.0\r\n\r\n")
---local last, err, sent = client:send(data, 1, 100)
---```
---@param data string
---@param i? integer
---@param j? integer
---@return integer|nil last
---@return string? err
---@return integer? last_sent
function client:send(data, i, j) end

---Shut down "both" (default), "send" or "receive" directions. Returns 1.
---
---```lua
---client:shutdown("send")   -- the peer sees end of file
---```
---@param how? "both"|"send"|"receive"
---@return 1
function client:shutdown(how) end

---Bytes received, bytes sent, and the object's age in seconds.
---
---```lua
---local received, sent, age = client:getstats()
---```
---@return number received
---@return number sent
---@return number age
function client:getstats() end

---Reset the statistics getstats reports.
---
---```lua
---client:setstats(0, 0, 0)
---```
---@param received number
---@param sent number
---@param age number
---@return 1
function client:setstats(received, sent, age) end

---Methods every UDP object has.
---@class socket.udp.any
---@field class string "udp{unconnected}" or "udp{connected}"
local udp = {}

---Close the object. Returns 1.
---
---```lua
---u:close()
---```
---@return 1
function udp:close() end

---Whether data is buffered (always false for UDP).
---@return boolean
function udp:dirty() end

---"inet4" or "inet6".
---@return string
function udp:getfamily() end

---The descriptor number, or -1.
---@return integer
function udp:getfd() end

---`setfd(-1)` closes and forgets the descriptor.
---@param fd integer
function udp:setfd(fd) end

---Read a socket option ("broadcast", "reuseaddr", "reuseport", "dontroute",
---"send-buffer-size", "recv-buffer-size", "ip-multicast-ttl", "ip-multicast-loop", "ipv6-v6only").
---
---```lua
---print(u:getoption("broadcast"))
---```
---@param name string
---@return any|nil value
---@return string? err
function udp:getoption(name) end

---Set a socket option.
---
---```lua
---u:setoption("broadcast", true)
---```
---@param name string
---@param value any
---@return 1|nil ok
---@return string? err
function udp:setoption(name, value) end

---The local address, port and family.
---
---```lua
---print(u:getsockname())   --> 0.0.0.0   53124   inet
---```
---@return string|nil address
---@return string port_or_err the port as a string, as LuaSocket 3.1 gives it
---@return string? family
function udp:getsockname() end

---The block and total timeouts.
---@return number block
---@return number total
function udp:gettimeout() end

---Limit how long receive and receivefrom wait (nil or negative: no limit).
---
---```lua
---u:settimeout(2)
---```
---@param seconds? number
---@param mode? "b"|"t"|"r"
---@return 1
function udp:settimeout(seconds, mode) end

---Set the peer: the object becomes connected (send/receive talk to it only).
---`setpeername("*")` makes it unconnected again.
---
---```lua
---local u = socket.udp()
---assert(u:setpeername("127.0.0.1", 7))
---u:send("ping")
---```
---@param address string
---@param port? integer|string
---@return 1|nil ok
---@return string? err
function udp:setpeername(address, port) end

---Receive one datagram (at most `size` bytes, default 8192); `nil, "timeout"`
---when none came in time, `nil, "connection refused"` after an ICMP port
---unreachable on a connected object.
---
---```lua
---local dgram, err = u:receive()
---```
---@param size? integer
---@return string|nil data
---@return string? err
function udp:receive(size) end

---An unconnected UDP object.
---@class socket.udp.unconnected: socket.udp.any
local unconnected = {}

---Bind to a local address and port.
---
---```lua
---local u = socket.udp()
---assert(u:setsockname("*", 5353))
---```
---@param address string
---@param port integer|string
---@return 1|nil ok
---@return string? err
function unconnected:setsockname(address, port) end

---Send a datagram to address:port, both numeric (resolve a name first with
---`socket.dns.toip`). Returns the byte count or `nil, err`.
---
---```lua
---u:sendto("hello", "127.0.0.1", 7)
---```
---@param data string
---@param address string
---@param port integer|string
---@return integer|nil sent
---@return string? err
function unconnected:sendto(data, address, port) end

---Receive a datagram and where it came from: data, address, port.
---
---```lua
---local data, ip, port = u:receivefrom()
---if data then u:sendto(data, ip, port) end   -- echo it back
---```
---@param size? integer
---@return string|nil data
---@return string ip_or_err
---@return integer? port
function unconnected:receivefrom(size) end

---A connected UDP object.
---@class socket.udp.connected: socket.udp.any
local connected = {}

---Send a datagram to the peer.
---
---```lua
---u:send("ping")
---```
---@param data string
---@return integer|nil sent
---@return string? err
function connected:send(data) end

---The peer's address, port and family.
---
---```lua
---print(u:getpeername())
---```
---@return string|nil address
---@return integer|string port_or_err
---@return string? family
function connected:getpeername() end

return socket
