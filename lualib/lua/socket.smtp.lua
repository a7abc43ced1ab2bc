-- socket.smtp: sending mail (LuaSocket 3's socket.smtp API: send and message),
-- written for wirelab.
local socket = require("socket")
local tp = require("socket.tp")
local ltn12 = require("ltn12")
local mime = require("mime")
local headers = require("socket.headers")

local string, table, os, type, pairs, ipairs, tostring, error, pcall, setmetatable =
  string, table, os, type, pairs, ipairs, tostring, error, pcall, setmetatable

local _M = {}
socket.smtp = _M

_M.TIMEOUT = 60
_M.SERVER = "localhost"
_M.PORT = 25
_M.DOMAIN = "localhost"
_M.ZONE = "-0000"

local failure = {}
local function try(ok, err, ...)
  if not ok then error(setmetatable({err = err}, failure), 0) end
  return ok, err, ...
end

local session = {}
session.__index = session

function session:greet(domain)
  try(self.tp:check("2.."))
  try(self.tp:command("EHLO", domain or _M.DOMAIN))
  local _, reply = try(self.tp:check("2.."))
  return reply
end

function session:mail(from)
  try(self.tp:command("MAIL", "FROM:" .. from))
  return try(self.tp:check("2.."))
end

function session:rcpt(to)
  try(self.tp:command("RCPT", "TO:" .. to))
  return try(self.tp:check("2.."))
end

function session:data(src, step)
  try(self.tp:command("DATA"))
  try(self.tp:check("3.."))
  try(self.tp:source(ltn12.source.chain(src, mime.normalize(), mime.stuff()), step))
  try(self.tp:send("\r\n.\r\n"))
  return try(self.tp:check("2.."))
end

function session:quit()
  try(self.tp:command("QUIT"))
  return try(self.tp:check("2.."))
end

function session:close()
  return self.tp:close()
end

function session:login(user, password)
  try(self.tp:command("AUTH", "LOGIN"))
  try(self.tp:check("3.."))
  try(self.tp:send(mime.b64(user) .. "\r\n"))
  try(self.tp:check("3.."))
  try(self.tp:send(mime.b64(password) .. "\r\n"))
  return try(self.tp:check("2.."))
end

function session:plain(user, password)
  local auth = "PLAIN " .. mime.b64("\0" .. user .. "\0" .. password)
  try(self.tp:command("AUTH", auth))
  return try(self.tp:check("2.."))
end

function session:auth(user, password, ext)
  if not user or not password then return 1 end
  if string.find(ext, "AUTH[^\n]+LOGIN") then
    return self:login(user, password)
  elseif string.find(ext, "AUTH[^\n]+PLAIN") then
    return self:plain(user, password)
  end
  error(setmetatable({err = "authentication not supported"}, failure), 0)
end

function session:send(mailt)
  self:mail(mailt.from)
  if type(mailt.rcpt) == "table" then
    for _, to in ipairs(mailt.rcpt) do self:rcpt(to) end
  else
    self:rcpt(mailt.rcpt)
  end
  return self:data(mailt.source, mailt.step)
end

function _M.open(server, port, create)
  local t = try(tp.connect(server or _M.SERVER, port or _M.PORT, _M.TIMEOUT, create))
  return setmetatable({tp = t}, session)
end

-- message builds a source from a message table: headers, and a body that is a
-- string, a source, or a multipart table {preamble = ..., part, ..., epilogue = ...}.
local seq = 0
local function boundary()
  seq = seq + 1
  return string.format("%s%05d==%05u", os.date("%d%m%Y%H%M%S"), math.random(0, 99999), seq)
end

local function headerlines(h)
  local names = {}
  for name in pairs(h) do names[#names + 1] = name end
  table.sort(names)
  local lines = {}
  for _, name in ipairs(names) do
    lines[#lines + 1] = (headers.canonic[name] or name) .. ": " .. tostring(h[name]) .. "\r\n"
  end
  return table.concat(lines) .. "\r\n"
end

local function lowered(h)
  local out = {}
  for k, v in pairs(h or {}) do out[string.lower(k)] = v end
  return out
end

local message

local function multipart(mesgt, h)
  local bd = boundary()
  h["content-type"] = (h["content-type"] or "multipart/mixed") .. '; boundary="' .. bd .. '"'
  local parts = {ltn12.source.string(headerlines(h))}
  local body = mesgt.body
  if body.preamble then parts[#parts + 1] = ltn12.source.string(body.preamble .. "\r\n") end
  for _, part in ipairs(body) do
    parts[#parts + 1] = ltn12.source.string("\r\n--" .. bd .. "\r\n")
    parts[#parts + 1] = message(part, true)
  end
  parts[#parts + 1] = ltn12.source.string("\r\n--" .. bd .. "--\r\n")
  if body.epilogue then parts[#parts + 1] = ltn12.source.string(body.epilogue .. "\r\n") end
  return ltn12.source.cat(unpack(parts))
end

message = function(mesgt, inner)
  local h = lowered(mesgt.headers)
  if not inner then
    h["date"] = h["date"] or os.date("!%a, %d %b %Y %H:%M:%S ") .. _M.ZONE
    h["x-mailer"] = h["x-mailer"] or socket._VERSION
    h["mime-version"] = h["mime-version"] or "1.0"
  end
  local body = mesgt.body
  if type(body) == "table" then return multipart(mesgt, h) end
  if not h["content-type"] then h["content-type"] = 'text/plain; charset="iso-8859-1"' end
  local head = ltn12.source.string(headerlines(h))
  if type(body) == "function" then return ltn12.source.cat(head, body) end
  return ltn12.source.cat(head, ltn12.source.string(body or ""))
end

function _M.message(mesgt)
  return message(mesgt, false)
end

-- send{from = ..., rcpt = ..., source = ..., [server, port, domain, user,
-- password, create, step]} returns 1, or nil and the server's or the
-- connection's error.
function _M.send(mailt)
  local ok, res = pcall(function()
    local s = _M.open(mailt.server, mailt.port, mailt.create)
    local ok2, err2 = pcall(function()
      local ext = s:greet(mailt.domain)
      s:auth(mailt.user, mailt.password, ext)
      s:send(mailt)
      s:quit()
    end)
    s:close()
    if not ok2 then error(err2, 0) end
    return 1
  end)
  if ok then return res end
  if getmetatable(res) == failure then return nil, res.err end
  error(res, 0)
end

return _M
