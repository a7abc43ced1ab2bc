-- socket.http: an HTTP/1.1 client with LuaSocket 3's API (request in its
-- simple and generic forms, redirects, chunked bodies), written for wirelab.
local socket = require("socket")
local url = require("socket.url")
local ltn12 = require("ltn12")
local mime = require("mime")
local headers = require("socket.headers")

local string, table, tonumber, tostring, type, pairs, ipairs, error, pcall, setmetatable =
  string, table, tonumber, tostring, type, pairs, ipairs, error, pcall, setmetatable

local _M = {}
socket.http = _M

_M.TIMEOUT = 60
_M.USERAGENT = socket._VERSION

local MAXREDIRECTS = 5

-- Errors travel as a table {err} raised by fail and caught by protect, so a
-- failure anywhere in a request returns nil, err to the caller.
local failure = {}
local function fail(err)
  error(setmetatable({err = err}, failure), 0)
end
local function check(ok, err, ...)
  if not ok then fail(err) end
  return ok, err, ...
end
local function protect(f)
  return function(...)
    local res = {pcall(f, ...)}
    if res[1] then return unpack(res, 2, table.maxn(res)) end
    local e = res[2]
    if getmetatable(e) == failure then return nil, e.err end
    error(e, 0)
  end
end

-- A connection: the socket plus the steps of one exchange.
local conn = {}
conn.__index = conn

function _M.open(host, port, create)
  local c = check((create or socket.tcp)())
  local h = setmetatable({c = c}, conn)
  c:settimeout(_M.TIMEOUT)
  local ok, err = c:connect(host, port or 80)
  if not ok then
    c:close()
    fail(err)
  end
  return h
end

function conn:sendrequestline(method, uri)
  check(self.c:send(string.format("%s %s HTTP/1.1\r\n", method, uri)))
end

-- Headers go out host first, then in name order, so runs are repeatable.
function conn:sendheaders(h)
  local names = {}
  for name in pairs(h) do
    if name ~= "host" then names[#names + 1] = name end
  end
  table.sort(names)
  if h.host then table.insert(names, 1, "host") end
  local lines = {}
  for _, name in ipairs(names) do
    lines[#lines + 1] = (headers.canonic[name] or name) .. ": " .. tostring(h[name]) .. "\r\n"
  end
  lines[#lines + 1] = "\r\n"
  check(self.c:send(table.concat(lines)))
end

function conn:sendbody(h, source, step)
  source = source or ltn12.source.empty()
  step = step or ltn12.pump.step
  local mode = "http-chunked"
  if h["content-length"] then mode = "keep-open" end
  check(ltn12.pump.all(source, socket.sink(mode, self.c), step))
end

-- receivestatusline returns the code and the whole status line; nil and what
-- was read when the server answers HTTP/0.9 style, without one.
function conn:receivestatusline()
  local first = check(self.c:receive(5))
  if first ~= "HTTP/" then return nil, first end
  local rest = check(self.c:receive("*l"))
  local line = first .. rest
  local code = string.match(line, "^HTTP/%d*%.%d* (%d%d%d)")
  return check(tonumber(code), "invalid http status line: " .. line), line
end

-- receiveheaders reads header lines up to the empty one: names in lower case,
-- continuation lines joined, repeated headers joined with ", ".
function conn:receiveheaders()
  local h = {}
  local line = check(self.c:receive("*l"))
  while line ~= "" do
    local name, value = string.match(line, "^(.-):%s*(.*)")
    if not name then fail("malformed reponse headers") end
    name = string.lower(name)
    line = check(self.c:receive("*l"))
    while string.find(line, "^%s") do
      value = value .. line
      line = check(self.c:receive("*l"))
    end
    if h[name] then h[name] = h[name] .. ", " .. value else h[name] = value end
  end
  return h
end

function conn:receivebody(h, sink, step)
  sink = sink or ltn12.sink.null()
  step = step or ltn12.pump.step
  local length = tonumber(h["content-length"])
  local te = h["transfer-encoding"]
  local src
  if te and te ~= "identity" then
    src = socket.source("http-chunked", self.c, h)
  elseif length then
    src = socket.source("by-length", self.c, length)
  else
    src = socket.source("default", self.c)
  end
  check(ltn12.pump.all(src, sink, step))
end

function conn:receive09body(status, sink, step)
  local src = ltn12.source.rewind(socket.source("until-closed", self.c))
  src(status)
  check(ltn12.pump.all(src, sink, step))
end

function conn:close()
  return self.c:close()
end

-- the request line's target: the path with its params and query, or the whole
-- url through a proxy
local function target(reqt)
  if reqt.proxy then return reqt.url end
  local u = url.build({path = reqt.path, params = reqt.params, query = reqt.query})
  if u == "" then u = "/" end
  return u
end

local function defaultheaders(reqt)
  local host = string.gsub(reqt.authority or reqt.host or "", "^.-@", "")
  local h = {
    ["user-agent"] = _M.USERAGENT,
    ["host"] = host,
    ["connection"] = "close, TE",
    ["te"] = "trailers",
  }
  if reqt.user and reqt.password then
    h["authorization"] = "Basic " .. (mime.b64(reqt.user .. ":" .. url.unescape(reqt.password)))
  end
  for name, value in pairs(reqt.headers or {}) do
    h[string.lower(name)] = value
  end
  return h
end

-- adjust fills a request table in from its url and the defaults.
local function adjust(reqt)
  local parsed = url.parse(reqt.url or "", {scheme = "http", path = "/"})
  if not parsed then fail("invalid url '" .. tostring(reqt.url) .. "'") end
  local n = {}
  for k, v in pairs(reqt) do n[k] = v end
  for k, v in pairs(parsed) do if n[k] == nil then n[k] = v end end
  if n.scheme ~= "http" then fail("unknown scheme '" .. tostring(n.scheme) .. "'") end
  if not n.host or n.host == "" then fail("invalid host '" .. tostring(n.host) .. "'") end
  n.port = tonumber(n.port) or 80
  n.uri = n.uri or target(n)
  n.headers = defaultheaders(n)
  if n.source and not n.headers["content-length"] and not n.headers["transfer-encoding"] then
    n.headers["transfer-encoding"] = "chunked"
  end
  n.method = n.method or "GET"
  n.nredirects = reqt.nredirects or 0
  return n
end

local function shouldredirect(reqt, code, h)
  local loc = h.location
  if not loc or reqt.redirect == false then return false end
  loc = string.gsub(loc, "%s", "")
  if loc == "" then return false end
  if reqt.method ~= "GET" and reqt.method ~= "HEAD" then return false end
  if code ~= 301 and code ~= 302 and code ~= 303 and code ~= 307 and code ~= 308 then return false end
  return reqt.nredirects < MAXREDIRECTS
end

local function shouldreceivebody(reqt, code)
  if reqt.method == "HEAD" then return false end
  if code == 204 or code == 304 then return false end
  if code >= 100 and code < 200 then return false end
  return true
end

local trequest

local function tredirect(reqt, location)
  local result, code, h, status = trequest({
    url = url.absolute(reqt.url, location),
    source = reqt.source,
    sink = reqt.sink,
    headers = reqt.headers,
    proxy = reqt.proxy,
    nredirects = reqt.nredirects + 1,
    create = reqt.create,
    step = reqt.step,
  })
  h = h or {}
  h.location = h.location or location
  return result, code, h, status
end

trequest = function(reqt)
  local n = adjust(reqt)
  local h = _M.open(n.host, n.port, n.create)
  h:sendrequestline(n.method, n.uri)
  h:sendheaders(n.headers)
  if n.source then h:sendbody(n.headers, n.source, n.step) end
  local code, status = h:receivestatusline()
  if not code then
    h:receive09body(status, n.sink, n.step)
    h:close()
    return 1, 200
  end
  local rh
  while code == 100 do
    h:receiveheaders()
    code, status = h:receivestatusline()
  end
  rh = h:receiveheaders()
  if shouldredirect(n, code, rh) and not n.source then
    h:close()
    return tredirect(n, rh.location)
  end
  if shouldreceivebody(n, code) then
    h:receivebody(rh, n.sink, n.step)
  end
  h:close()
  return 1, code, rh, status
end

local function srequest(u, body)
  local t = {}
  local reqt = {url = u, sink = ltn12.sink.table(t)}
  if body then
    reqt.source = ltn12.source.string(body)
    reqt.headers = {
      ["content-length"] = string.len(body),
      ["content-type"] = "application/x-www-form-urlencoded",
    }
    reqt.method = "POST"
  end
  local _, code, h, status = trequest(reqt)
  return table.concat(t), code, h, status
end

-- request(url [, body]) returns the body, code, headers and status line;
-- request{url = ..., sink = ..., ...} returns 1, code, headers, status line.
-- Either returns nil and an error message when the request fails.
_M.request = protect(function(reqt, body)
  if type(reqt) == "string" then return srequest(reqt, body) end
  return trequest(reqt)
end)

_M.schemes = {http = {port = 80, create = function() return socket.tcp end}}

return _M
