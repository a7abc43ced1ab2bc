-- ltn12: sources, sinks, filters and pumps (LTN12 as LuaSocket 3 ships it),
-- written for wirelab. A source returns the next chunk, or nil at the end (nil,
-- err on failure); a sink takes a chunk (nil at the end) and returns 1, or nil,
-- err; a filter takes a chunk and returns what it makes of it ("" for nothing
-- yet), and flushes what it holds when given nil.
local _M = {_VERSION = "LTN12 1.0.3", BLOCKSIZE = 2048}
local filter, source, sink, pump = {}, {}, {}, {}
_M.filter, _M.source, _M.sink, _M.pump = filter, source, sink, pump

local select, unpack, type, error, concat, assert = select, unpack, type, error, table.concat, assert

-- filter.cycle turns a low-level filter low(ctx, chunk, extra) -> out, ctx
-- into a filter that carries ctx from call to call.
function filter.cycle(low, ctx, extra)
  return function(chunk)
    local out
    out, ctx = low(ctx, chunk, extra)
    return out
  end
end

-- filter.chain joins filters: each one's output is the next one's input.
function filter.chain(...)
  -- LuaSocket's scheduling: a chunk goes down the chain as far as it can;
  -- a stage that returns "" hands control back to the stage above, which is
  -- drained with "" (or nil at the end) until it too returns ""; the last
  -- stage's outputs are returned one at a time.
  local fs = {...}
  local n = select("#", ...)
  local top, at = 1, 1
  local again = ""
  return function(chunk)
    again = chunk and again
    while true do
      if at == top then
        chunk = fs[at](chunk)
        if chunk == "" or top == n then
          return chunk
        elseif chunk then
          at = at + 1
        else
          top = top + 1
          at = top
        end
      else
        chunk = fs[at](chunk or "")
        if chunk == "" then
          at = at - 1
          chunk = again
        elseif chunk then
          if at == n then return chunk end
          at = at + 1
        else
          error("filter returned inappropriate nil")
        end
      end
    end
  end
end

function source.empty()
  return function() return nil end
end

function source.error(err)
  return function() return nil, err end
end

-- source.file reads a handle (anything with read and close) in blocks.
function source.file(handle, io_err)
  if not handle then return source.error(io_err or "unable to open file") end
  return function()
    local chunk = handle:read(_M.BLOCKSIZE)
    if not chunk then handle:close() end
    return chunk
  end
end

-- source.simplify turns a fancy source (one that may return a replacement
-- source as its second value) into a simple one.
function source.simplify(src)
  return function()
    local chunk, extra = src()
    if not chunk then return nil, extra end
    if extra then src = extra end
    return chunk
  end
end

function source.string(s)
  if not s then return source.empty() end
  local at = 1
  return function()
    local chunk = s:sub(at, at + _M.BLOCKSIZE - 1)
    at = at + _M.BLOCKSIZE
    if chunk == "" then return nil end
    return chunk
  end
end

-- source.rewind: calling the source with a chunk pushes it back, to be
-- returned before anything else.
function source.rewind(src)
  local back = {}
  return function(chunk)
    if chunk then
      back[#back + 1] = chunk
      return
    end
    local n = #back
    if n > 0 then
      local c = back[n]
      back[n] = nil
      return c
    end
    return src()
  end
end

-- source.chain passes a source's chunks through one or more filters: each
-- chunk is fed in, then the filter is drained with "" (nil at the end)
-- until it returns "", its outputs returned one at a time, as LuaSocket's.
function source.chain(src, f, ...)
  if select("#", ...) > 0 then f = filter.chain(f, ...) end
  assert(src and f)
  local input, output = "", ""
  local draining = false
  return function()
    if not output then error("source is empty!", 2) end
    while true do
      if not draining then
        local err
        input, err = src()
        if err then return nil, err end
        output = f(input)
        if not output then
          if input then error("filter returned inappropriate nil") end
          return nil
        elseif output ~= "" then
          draining = true
          if input then input = "" end
          return output
        end
      else
        output = f(input)
        if output == "" then
          if input ~= "" then error('filter returned ""') end
          draining = false
        elseif not output then
          if input then error("filter returned inappropriate nil") end
          return nil
        else
          return output
        end
      end
    end
  end
end

-- source.table returns the elements of t in order (up to the first nil).
function source.table(t)
  assert(type(t) == "table")
  local i = 0
  return function()
    i = i + 1
    return t[i]
  end
end

-- source.cat returns the chunks of each source in turn.
function source.cat(...)
  local srcs = {...}
  local i = 1
  return function()
    while srcs[i] do
      local chunk, err = srcs[i]()
      if chunk then return chunk end
      if err then return nil, err end
      i = i + 1
    end
  end
end

-- sink.table stores every chunk in t (a new table if none) and returns t too.
function sink.table(t)
  t = t or {}
  return function(chunk)
    if chunk then t[#t + 1] = chunk end
    return 1
  end, t
end

-- sink.simplify turns a fancy sink (one that may return a replacement sink as
-- its second value) into a simple one.
function sink.simplify(snk)
  return function(chunk, err)
    local ok, extra = snk(chunk, err)
    if not ok then return nil, extra end
    if extra then snk = extra end
    return 1
  end
end

function sink.file(handle, io_err)
  if not handle then return sink.error(io_err or "unable to open file") end
  return function(chunk)
    if not chunk then
      handle:close()
      return 1
    end
    return handle:write(chunk)
  end
end

function sink.null()
  return function() return 1 end
end

function sink.error(err)
  return function() return nil, err end
end

-- sink.chain(f [, f2, ...], snk) filters chunks before they reach snk.
function sink.chain(f, snk, ...)
  local n = select("#", ...)
  if n > 0 then
    local rest = {snk, ...}
    snk = rest[n + 1]
    rest[n + 1] = nil
    f = filter.chain(f, unpack(rest, 1, n))
  end
  -- Each chunk goes through f, then f is drained (with "" for a chunk, nil
  -- at the end) until it returns what it was drained with; every output,
  -- the last one included, goes to snk, as LuaSocket's sink.chain does.
  return function(chunk, err)
    if chunk == "" then return 1 end
    local drain = chunk and ""
    local out = f(chunk)
    repeat
      local ok, e = snk(out, err)
      if not ok then return nil, e end
      local last = out == drain
      if not last then out = f(drain) end
    until last
    return 1
  end
end

-- pump.step moves one chunk from src to snk.
function pump.step(src, snk)
  local chunk, src_err = src()
  local ok, snk_err = snk(chunk, src_err)
  if chunk and ok then return 1 end
  return nil, src_err or snk_err
end

-- pump.all moves every chunk; it returns 1, or nil and the first error.
function pump.all(src, snk, step)
  step = step or pump.step
  while true do
    local ok, err = step(src, snk)
    if not ok then
      if err then return nil, err end
      return 1
    end
  end
end

return _M
