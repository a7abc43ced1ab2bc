-- The part of LuaSocket's socket module written in Lua there: choose, and the
-- ltn12 sources and sinks over a socket (socket.source, socket.sink) that
-- socket.http and socket.smtp use. wirelab runs this once over the socket
-- module built in Go (socket.go), when a script first uses one of these names.
local socket = ...
local ltn12 = require("ltn12")
local string, tonumber, setmetatable, error = string, tonumber, setmetatable, error

-- choose(table) returns a function that calls table[name](opt1, opt2), with
-- "default" when name is not a string.
function socket.choose(table)
  return function(name, opt1, opt2)
    if type(name) ~= "string" then
      -- no name: the arguments are the default entry's options
      return table["default"](name, opt1)
    end
    local f = table[name]
    if not f then error("unknown key (" .. tostring(name) .. ")", 3) end
    return f(opt1, opt2)
  end
end

local sinkt, sourcet = {}, {}
socket.sinkt, socket.sourcet = sinkt, sourcet
socket.BLOCKSIZE = socket.BLOCKSIZE or 2048

-- a sink that closes the socket when the data ends
sinkt["close-when-done"] = function(sock)
  return setmetatable({getfd = function() return sock:getfd() end,
    dirty = function() return sock:dirty() end}, {
    __call = function(self, chunk, err)
      if not chunk then
        sock:close()
        return 1
      end
      return sock:send(chunk)
    end})
end

-- a sink that leaves the socket open
sinkt["keep-open"] = function(sock)
  return setmetatable({getfd = function() return sock:getfd() end,
    dirty = function() return sock:dirty() end}, {
    __call = function(self, chunk, err)
      if chunk then return sock:send(chunk) end
      return 1
    end})
end

-- a sink that writes HTTP/1.1 chunked transfer encoding
sinkt["http-chunked"] = function(sock)
  return setmetatable({getfd = function() return sock:getfd() end,
    dirty = function() return sock:dirty() end}, {
    __call = function(self, chunk, err)
      if not chunk then return sock:send("0\r\n\r\n") end
      if chunk == "" then return 1 end
      return sock:send(string.format("%X\r\n", #chunk) .. chunk .. "\r\n")
    end})
end

sinkt["default"] = sinkt["keep-open"]
socket.sink = socket.choose(sinkt)

-- a source that returns exactly length bytes
sourcet["by-length"] = function(sock, length)
  return setmetatable({getfd = function() return sock:getfd() end,
    dirty = function() return sock:dirty() end}, {
    __call = function()
      if length <= 0 then return nil end
      local size = math.min(socket.BLOCKSIZE, length)
      local chunk, err = sock:receive(size)
      if err then return nil, err end
      length = length - #chunk
      return chunk
    end})
end

-- a source that returns everything until the peer closes
sourcet["until-closed"] = function(sock)
  local done = false
  return setmetatable({getfd = function() return sock:getfd() end,
    dirty = function() return sock:dirty() end}, {
    __call = function()
      if done then return nil end
      local chunk, err, partial = sock:receive(socket.BLOCKSIZE)
      if not err then return chunk end
      if err == "closed" then
        sock:close()
        done = true
        return partial
      end
      return nil, err
    end})
end

-- a source that decodes HTTP/1.1 chunked transfer encoding; trailer headers
-- go into headers when a table is given
sourcet["http-chunked"] = function(sock, headers)
  local done = false
  return setmetatable({getfd = function() return sock:getfd() end,
    dirty = function() return sock:dirty() end}, {
    __call = function()
      if done then return nil end
      local line, err = sock:receive("*l")
      if err then return nil, err end
      local size = tonumber(string.gsub(line, ";.*", ""), 16)
      if not size then return nil, "invalid chunk size" end
      if size > 0 then
        local chunk, cerr = sock:receive(size)
        if cerr then return nil, cerr end
        local _, lerr = sock:receive("*l")
        if lerr then return nil, lerr end
        return chunk
      end
      done = true
      -- trailer: header lines up to an empty one
      while true do
        local l, terr = sock:receive("*l")
        if terr then return nil, terr end
        if l == "" then break end
        if headers then
          local name, value = string.match(l, "^(.-):%s*(.*)")
          if name then headers[string.lower(name)] = value end
        end
      end
      return nil
    end})
end

sourcet["default"] = sourcet["until-closed"]
socket.source = socket.choose(sourcet)
