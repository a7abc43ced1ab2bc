-- socket.tp: the line-oriented command/reply exchange under SMTP and FTP
-- (LuaSocket 3's socket.tp API), written for wirelab.
local socket = require("socket")
local ltn12 = require("ltn12")

local string, tonumber, type, setmetatable = string, tonumber, type, setmetatable

local _M = {TIMEOUT = 60}
socket.tp = _M

local tp = {}
tp.__index = tp

-- get_reply reads one reply, joining the lines of a multi-line one
-- ("250-first", ..., "250 last").
local function get_reply(c)
  local line, err = c:receive("*l")
  if err then return nil, err end
  local code, sep = string.match(line, "^(%d%d%d)(.?)")
  if not code then return nil, "invalid server reply" end
  local reply = line
  if sep == "-" then
    repeat
      line, err = c:receive("*l")
      if err then return nil, err end
      local current, csep = string.match(line, "^(%d%d%d)(.?)")
      reply = reply .. "\n" .. line
    until current == code and csep == " "
  end
  return code, reply
end

-- check reads a reply and compares its code with ok: a pattern such as "2..",
-- a number, or a table of them. It returns the code (a number) and the reply.
function tp:check(ok)
  local code, reply = get_reply(self.c)
  if not code then return nil, reply end
  local function matches(want)
    if type(want) == "number" then return tonumber(code) == want end
    return string.find(code, "^" .. tostring(want) .. "$") ~= nil
  end
  if type(ok) == "table" then
    for _, want in ipairs(ok) do
      if matches(want) then return tonumber(code), reply end
    end
    return nil, reply
  end
  if matches(ok) then return tonumber(code), reply end
  return nil, reply
end

function tp:command(cmd, arg)
  cmd = string.upper(cmd)
  if arg then
    return self.c:send(cmd .. " " .. arg .. "\r\n")
  end
  return self.c:send(cmd .. "\r\n")
end

function tp:sink(snk, pat)
  local chunk, err = self.c:receive(pat)
  return snk(chunk, err)
end

function tp:send(data) return self.c:send(data) end
function tp:receive(pat) return self.c:receive(pat) end
function tp:getfd() return self.c:getfd() end
function tp:dirty() return self.c:dirty() end
function tp:getcontrol() return self.c end
function tp:setfd(fd) return self.c:setfd(fd) end

-- source sends everything a source gives over the connection.
function tp:source(src, step)
  local snk = socket.sink("keep-open", self.c)
  return ltn12.pump.all(src, snk, step or ltn12.pump.step)
end

function tp:close()
  self.c:close()
  return 1
end

-- connect opens a connection to host:port and returns a tp object, or nil and
-- an error message.
function _M.connect(host, port, timeout, create)
  local c, err = (create or socket.tcp)()
  if not c then return nil, err end
  c:settimeout(timeout or _M.TIMEOUT)
  local ok, cerr = c:connect(host, port)
  if not ok then
    c:close()
    return nil, cerr
  end
  return setmetatable({c = c}, tp)
end

return _M
