-- scan module tests; lab.args holds the ports of the Go test's servers.
local args = lab.args

local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %s, want %s", what, tostring(got), tostring(want)), 2)
  end
end

-- raises checks that f(...) raises an error containing text.
local function raises(text, f, ...)
  local ok, err = pcall(f, ...)
  if ok then error("no error, want one containing " .. text, 2) end
  if not string.find(err, text, 1, true) then
    error(string.format("error %q does not contain %q", err, text), 2)
  end
end

function TestTCP()
  local res = scan.tcp("127.0.0.1", {args.filtered, args.open, args.closed}, {timeout = 1})
  eq(#res, 3, "number of results")
  local want = {[args.open] = "open", [args.closed] = "closed", [args.filtered] = "filtered"}
  for i, r in ipairs(res) do
    eq(r.state, want[r.port], "state of port " .. r.port)
    assert(type(r.rtt) == "number" and r.rtt > 0, "rtt is a positive number of seconds")
    if i > 1 then assert(res[i - 1].port < r.port, "sorted by port") end
  end
end

function TestOpenRange()
  local lo, hi = math.min(args.open, args.open2), math.max(args.open, args.open2)
  local open = scan.open("web", string.format("%d-%d", lo, hi), {concurrency = 64})
  local seen = {}
  for i, p in ipairs(open) do
    assert(type(p) == "number")
    if i > 1 then assert(open[i - 1] < p, "sorted") end
    seen[p] = true
  end
  assert(seen[args.open] and seen[args.open2], "both listeners found")
  assert(not seen[args.closed], "the closed port is not open")
end

function TestOpenOnePort()
  local open = scan.open("localhost", args.open)
  eq(#open, 1, "open ports")
  eq(open[1], args.open, "port")
  eq(#scan.open("127.0.0.1", args.closed), 0, "closed port")
end

function TestRequire()
  local s = require("scan")
  eq(s, scan, "require gives the global")
end

function TestUDP()
  local res = scan.udp("127.0.0.1", {args.udp_open, args.udp_closed}, {timeout = 2})
  eq(#res, 2, "results")
  for _, r in ipairs(res) do
    if r.port == args.udp_open then eq(r.state, "open", "echo port")
    else eq(r.state, "closed", "closed port") end
  end
end

function TestHostNotFound()
  local res, err = scan.tcp("nowhere", 80)
  eq(res, nil, "result")
  eq(err, "host not found", "error")
  res, err = scan.open("nowhere", "1-10")
  eq(err, "host not found", "error")
  res, err = scan.udp("nowhere", 53)
  eq(err, "host not found", "error")
end

function TestArgumentErrors()
  raises([[bad argument #2 to 'tcp' ("70000" is not a port (1-65535))]], scan.tcp, "127.0.0.1", "70000")
  raises([[bad argument #2 to 'open' ("0" is not a port (1-65535))]], scan.open, "127.0.0.1", 0)
  raises([[port range "10-5" runs backwards]], scan.tcp, "127.0.0.1", "10-5")
  raises([[bad argument #2 to 'tcp' (port list item 2 is "x", not a port number)]], scan.tcp, "127.0.0.1", {80, "x"})
  raises([[bad argument #2 to 'udp' (port list expected]], scan.udp, "127.0.0.1", nil)
  raises([[bad argument #1 to 'tcp' (string expected, got no value)]], scan.tcp)
  raises([[bad argument #3 to 'tcp' (unknown option "timout" (known: timeout, concurrency, retries))]], scan.tcp, "127.0.0.1", 80, {timout = 1})
  raises([[option "timeout" must be a positive number of seconds, got -1]], scan.tcp, "127.0.0.1", 80, {timeout = -1})
  raises([[option "concurrency" must be an integer from 1 to 65535, got 1.5]], scan.open, "127.0.0.1", 80, {concurrency = 1.5})
  raises([[bad argument #3 to 'open' (options table expected, got string)]], scan.open, "127.0.0.1", 80, "fast")
  raises([[option "payload" must be a string]], scan.udp, "127.0.0.1", 53, {payload = 1})
end
