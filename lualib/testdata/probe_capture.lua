-- capture module tests. lab.args: file (a capture in the lab folder), outside
-- (one outside it), ssh (a greeting server's port, when live capture works),
-- corpus (http-get.pcap, when the shared corpus is present).
local args = lab.args

local function eq(got, want, what)
  if got ~= want then
    error(string.format("%s: got %s, want %s", what, tostring(got), tostring(want)), 2)
  end
end

local function raises(text, f, ...)
  local ok, err = pcall(f, ...)
  if ok then error("no error, want one containing " .. text, 2) end
  if not string.find(err, text, 1, true) then
    error(string.format("error %q does not contain %q", err, text), 2)
  end
end

local function collect(r, filter)
  local out = {}
  for p in r:packets(filter) do out[#out + 1] = p end
  return out
end

function TestFilePackets()
  local r = assert(capture.open(args.file))
  local all = collect(r)
  eq(#all, 5, "packets")
  for i, p in ipairs(all) do eq(p.number, i, "number") end
  eq(#collect(r, "tcp"), 4, "tcp packets")
  eq(#collect(r, "udp"), 1, "udp packets")
  eq(#collect(r, "tcp.flags.syn == 1 && tcp.flags.ack == 0"), 1, "SYN packets")
  eq(#collect(r, "frame.number > 100"), 0, "no packets")
  r:close()
end

function TestPacketFields()
  local r = capture.open(args.file)
  local all = collect(r)
  local syn, get, dgram = all[1], all[4], all[5]
  eq(syn.time, 0, "time of the first packet")
  eq(string.format("%.3f", get.time), "0.030", "relative time")
  eq(syn.len, 60, "length (padded to the Ethernet minimum)")
  eq(table.concat(syn.layers, ":"), "eth:ethertype:ip:tcp", "layers")
  eq(syn["tcp.dstport"], 80, "tcp.dstport")
  eq(syn:field("tcp.srcport"), 40000, "tcp.srcport")
  eq(syn["ip.src"], "10.0.0.10", "ip.src")
  eq(syn["tcp.flags.syn"], 1, "syn flag")
  eq(syn["tcp.flags.ack"], 0, "ack flag")
  eq(syn.tcp, true, "protocol presence")
  eq(syn["udp.port"], nil, "absent field")
  eq(syn:field("http.request.method"), nil, "absent field")
  local ports = syn:fields("tcp.port")
  eq(#ports, 2, "tcp.port occurrences")
  eq(ports[1], 40000, "first tcp.port")
  eq(ports[2], 80, "second tcp.port")
  eq(#syn:fields("udp.port"), 0, "no occurrences")
  eq(get.payload, "GET / HTTP/1.0\r\n\r\n", "tcp payload")
  eq(get["http.request.method"], "GET", "http.request.method")
  eq(dgram.payload, "hi", "udp payload")
  eq(syn.payload, "", "no payload")
  assert(get:matches('http.request.method == "GET"'), "matches")
  assert(not syn:matches("udp"), "does not match")
  assert(string.find(syn.summary, "[SYN]", 1, true), "summary: " .. syn.summary)
  eq(tostring(syn), syn.summary, "tostring")
  eq(syn.line, syn.summary, "line, the lua checks' name for summary")
  local vals = syn:values("tcp.port")
  eq(#vals, 2, "values, the lua checks' name for fields")
  eq(vals[2], 80, "second tcp.port from values")
  eq(syn.src, "10.0.0.10", "src")
  eq(syn.protocol, "TCP", "protocol")
  assert(string.find(syn.info, "40000", 1, true), "info")
end

function TestFilterErrors()
  local r = capture.open(args.file)
  local ok, err = pcall(r.packets, r, "tcp.port ==")
  assert(not ok, "a bad filter raises")
  assert(string.find(err, "invalid display filter", 1, true), err)
  assert(string.find(err, "\ntcp.port ==\n", 1, true) and string.find(err, "^", 1, true), "caret: " .. err)
  local p = collect(r)[1]
  raises("invalid display filter", p.matches, p, "tcp.port == 1 &&")
  raises("tcp.dstprt", function() return p["tcp.dstprt"] end)
  raises("bad argument #1 to 'field'", p.field, p, "nosuch.field")
  -- methods count arguments after self, as everywhere else
  raises("bad argument #1 to 'matches' (display filter string expected, got number)", p.matches, p, 42)
  raises("bad argument #1 to 'packets' (display filter string expected, got table)", r.packets, r, {})
  raises("calling 'matches' on bad self (capture.packet expected, got number)", p.matches, 42, "tcp")
  raises("calling 'packets' on bad self (capture.reader expected, got userdata)", r.packets, p)
end

function TestOpenErrors()
  local r, err = capture.open("missing.pcap")
  eq(r, nil, "reader")
  assert(string.find(err, "missing.pcap", 1, true) and string.find(err, "no such file", 1, true), err)
  r, err = capture.open("notes.txt")
  eq(r, nil, "reader of a text file")
  raises("outside the lab's folders", capture.open, "../x.pcap")
  raises("outside the lab's folders", capture.open, args.outside)
  raises("outside the lab's folders", capture.open, "link.pcapng")
  raises("bad argument #1 to 'open'", capture.open)
end

function TestIteratorEarlyBreak()
  local r = capture.open(args.file)
  for p in r:packets() do break end
  for p in r:packets("udp") do eq(p.number, 5, "udp packet") end
  r:close()
end

function TestCorpus()
  if not args.corpus then return end
  local r = assert(capture.open(args.corpus))
  local n, get = 0, nil
  for p in r:packets() do
    n = n + 1
    if not get and p:matches("http.request") then get = p end
  end
  eq(n > 10, true, "packets in http-get.pcap")
  eq(get.number, 4, "the GET")
  eq(get["http.request.uri"], "/index.html", "uri")
  eq(get["tcp.dstport"], 80, "port")
end

function TestLive()
  if not args.ssh then return end
  local h = assert(capture.start{filter = "tcp port " .. args.ssh})
  eq(tostring(h), "capture{live}: lo", "tostring")
  eq(banner.grab("127.0.0.1", args.ssh, {lines = 1}), "SSH-2.0-wirelab_test\r\n", "banner")
  local p = h:wait('tcp.payload contains "SSH-2.0"', 5)
  assert(p, "the banner was captured")
  eq(p["tcp.srcport"], args.ssh, "source port")
  -- The cursor is past the banner: the SYN before it is not waited for again.
  local none, err = h:wait("tcp.flags.syn == 1 && tcp.flags.ack == 0", 0.05)
  eq(err, "timeout", "a SYN before the cursor")
  eq(#h:packets("tcp.flags.syn == 1"), 2, "SYN and SYN-ACK")
  local syn = h:packets("tcp.flags.syn == 1 && tcp.flags.ack == 0")[1]
  eq(syn["tcp.dstport"], args.ssh, "SYN port")
  assert(syn.number < p.number, "the SYN came first")
  -- A second grab: successive waits return successive matches.
  eq(banner.grab("127.0.0.1", args.ssh, {lines = 1}), "SSH-2.0-wirelab_test\r\n", "banner 2")
  local syn2 = assert(h:wait("tcp.flags.syn == 1 && tcp.flags.ack == 0", 5))
  assert(syn2.number > p.number, "the second SYN")
  local p2 = assert(h:wait('tcp.payload contains "SSH-2.0"', 5))
  assert(p2.number > syn2.number, "the second banner, after the second SYN")
  assert(p2["tcp.dstport"] ~= p["tcp.dstport"], "another connection")
  none, err = h:wait('tcp.payload contains "SSH-2.0"', 0.05)
  eq(err, "timeout", "no third banner")
  none, err = h:wait("udp", 0.05)
  eq(none, nil, "no udp")
  eq(err, "timeout", "wait error")
  raises("invalid display filter", h.wait, h, "tcp.port ==")
  local all = h:stop()
  assert(#all >= 10, "two handshakes, banners, acks: " .. #all)
  for i, q in ipairs(all) do
    eq(q.number, i, "numbering")
    assert(q:matches("tcp.port == " .. args.ssh), "capture filter applied")
  end
  none, err = h:wait("udp")
  eq(err, "closed", "wait after stop")
  eq(#h:packets(), #all, "packets after stop")
end

function TestLiveLeftOpen()
  if not args.ssh then return end
  -- Not stopped: State.Close must close it.
  assert(capture.start{})
end

function TestStartErrors()
  raises("invalid capture filter", capture.start, {filter = "port 80 and"})
  raises([[unknown option "iface"]], capture.start, {iface = "lo"})
  local h, err = capture.start{interface = "nosuchif0"}
  eq(h, nil, "capture on a missing interface")
  assert(string.find(err, "nosuchif0", 1, true), err)
end
