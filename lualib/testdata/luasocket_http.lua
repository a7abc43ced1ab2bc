-- socket.http, socket.smtp and socket's helpers against the test's servers
-- (HTTP on HTTP_PORT, SMTP on SMTP_PORT, both on 127.0.0.1). Run by
-- TestLuaSocketClients under wirelab and, for the golden, under C lua5.1.
local http = require("socket.http")
local ltn12 = require("ltn12")
local smtp = require("socket.smtp")
local socket = require("socket")
local base = "http://127.0.0.1:" .. HTTP_PORT

local function show(label, ...)
  local n = select("#", ...)
  local out = {}
  for i = 1, n do
    local v = select(i, ...)
    if type(v) == "table" then
      local ks = {}
      for k in pairs(v) do if k ~= "date" then ks[#ks + 1] = k end end
      table.sort(ks)
      local kv = {}
      for _, k in ipairs(ks) do kv[#kv + 1] = k .. "=" .. tostring(v[k]) end
      out[i] = "{" .. table.concat(kv, ", ") .. "}"
    else
      out[i] = tostring(v)
    end
  end
  print(label, table.concat(out, " | "))
end

show("simple", http.request(base .. "/"))
show("chunked", http.request(base .. "/chunked"))
show("redirect", http.request(base .. "/redirect"))
show("redirect loop", http.request(base .. "/loop"))
show("not found", http.request(base .. "/missing"))
show("post", http.request(base .. "/echo", "a=1&b=2"))
show("echo headers", http.request(base .. "/headers"))
show("no body", http.request(base .. "/empty"))
local t = {}
show("generic", http.request{url = base .. "/chunked", sink = ltn12.sink.table(t)})
print("generic body", table.concat(t))
t = {}
show("head", http.request{url = base .. "/", method = "HEAD", sink = ltn12.sink.table(t)})
print("head body", #t)
t = {}
show("put with source", http.request{
  url = base .. "/echo", method = "PUT", sink = ltn12.sink.table(t),
  source = ltn12.source.string("payload!"),
  headers = {["Content-Length"] = 8, ["X-Test"] = "yes"},
})
print("put body", table.concat(t))
t = {}
show("no redirect", http.request{url = base .. "/redirect", redirect = false, sink = ltn12.sink.table(t)})
show("refused", http.request("http://127.0.0.1:" .. CLOSED_PORT .. "/"))
show("helpers", type(socket.sink), type(socket.source), type(socket.choose), type(socket.sinkt), type(socket.sourcet))

local msg = smtp.message{
  headers = {to = "<bob@lab.test>", from = "<alice@lab.test>", subject = "hello"},
  body = "line one\r\n.line two starts with a dot\r\n",
}
show("smtp", smtp.send{from = "<alice@lab.test>", rcpt = {"<bob@lab.test>", "<carol@lab.test>"},
  source = msg, server = "127.0.0.1", port = SMTP_PORT, domain = "client.lab.test"})
show("smtp refused", smtp.send{from = "<alice@lab.test>", rcpt = "<nobody@lab.test>",
  source = ltn12.source.string("x"), server = "127.0.0.1", port = SMTP_PORT})
