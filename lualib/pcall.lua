-- pcall, xpcall, coroutine.running and coroutine.status for wirelab (see
-- pcall.go): each protected call runs in a worker coroutine, taken from a
-- pool of idle ones (making a coroutine costs far more than resuming one).
local create, resume, status, yield, running, G, co, isgo, gocall, insort, argerror, machinewords = ...
local type, select, getmetatable, error = type, select, getmetatable, error
local find, sub, gsub = string.find, string.sub, string.gsub

-- done marks a worker's "the function returned" yield, telling it apart from
-- a yield of the function itself.
local done = {}

-- A Go function is called from Go, as C Lua's pcall calls a C function: its
-- argument errors then read "bad argument #1 to '?'" with no position, as
-- Lua 5.1's do. coroutine.yield itself must be called from Lua.
local function serve(f, ...)
  if isgo(f) and f ~= yield then
    return serve(yield(done, gocall(f, ...)))
  end
  return serve(yield(done, f(...)))
end

local idle, nidle = {}, 0

-- owner[w] is the coroutine a busy worker w runs a protected call for (main
-- for the main thread). gopher-lua has no weak tables: finish forgets w.
local owner = {}
local main = {}

-- logical returns the script's coroutine for the running thread (nil for the
-- main thread), looking through protected calls.
local function logical()
  local t = running()
  while owner[t] do
    t = owner[t]
  end
  if t == main then
    return nil
  end
  return t
end

local protect

-- fail is a protected call's result for the error msg: xpcall's handler
-- (hashandler) turns it into its first result; a handler that is not a
-- function, or that fails itself, is C Lua's "error in error handling".
local function fail(hashandler, handler, msg)
  if hashandler then
    if type(handler) ~= "function" then
      return false, "error in error handling"
    end
    local ok, r = protect(handler, false, nil, msg)
    if not ok then
      return false, "error in error handling"
    end
    return false, r
  end
  return false, msg
end

local function finish(w, hashandler, handler, ok, ...)
  if not ok then
    -- The function raised an error: the worker is dead.
    owner[w] = nil
    local msg = ...
    msg = machinewords(msg)
    if msg == "lua callstack overflow" then
      msg = "stack overflow"
    elseif type(msg) == "string" and find(msg, "^=pcall:%d+: ") then
      -- error(msg, 2) in the protected function blames its caller, pcall:
      -- a C function in C Lua, so no position.
      msg = sub(msg, (select(2, find(msg, "^=pcall:%d+: "))) + 1)
    end
    if type(msg) == "string" then
      -- gopher-lua's "bad argument #1 to rep (", in Lua 5.1's words
      msg = gsub(msg, "(bad argument #%d+ to )([%a_][%w_]*) %(", "%1'%2' (", 1)
    end
    if type(msg) == "string" and find(msg, "^bad argument #%d+ to %(anonymous%)") then
      -- a Go built-in called by pcall itself: C Lua cannot name it either
      msg = gsub(msg, "^(bad argument #%d+ to )%(anonymous%)", "%1'?'", 1)
    end
    return fail(hashandler, handler, msg)
  end
  if (...) == done then
    owner[w] = nil
    if nidle < 8 then
      nidle = nidle + 1
      idle[nidle] = w
    end
    return true, select(2, ...)
  end
  -- The function yielded: pass the yield on to the script's coroutine, and
  -- what resumes it back in.
  if logical() == nil or insort() then
    -- nothing to yield to, or a table.sort comparator between (a C call in
    -- C Lua): the protected call fails, as C Lua's pcall does
    owner[w] = nil
    return fail(hashandler, handler, "attempt to yield across metamethod/C-call boundary")
  end
  return finish(w, hashandler, handler, resume(w, yield(...)))
end

local function callable(f)
  if type(f) == "function" then
    return f
  end
  if type(f) == "string" then
    -- the string metatable's __call is wirelab's error naming (culprit.go)
    return nil
  end
  local mt = getmetatable(f)
  if type(mt) == "table" and type(mt.__call) == "function" then
    return function(...) return f(...) end
  end
  return nil
end

protect = function(f, hashandler, handler, ...)
  local fn = callable(f)
  if fn == nil then
    return fail(hashandler, handler, "attempt to call a " .. type(f) .. " value")
  end
  local w
  if nidle > 0 then
    w = idle[nidle]
    idle[nidle] = nil
    nidle = nidle - 1
  else
    w = create(serve)
  end
  owner[w] = running() or main
  return finish(w, hashandler, handler, resume(w, fn, ...))
end

-- argerror(n, msg) raises luaL_argerror's message for the function of
-- this file that calls it, named as its caller called it.
G.pcall = function(...)
  if select("#", ...) == 0 then
    argerror(1, "value expected")
  end
  return protect((...), false, nil, select(2, ...))
end

G.xpcall = function(...)
  if select("#", ...) < 2 then
    argerror(2, "value expected")
  end
  local f, handler = ...
  return protect(f, true, handler)
end

co.running = function()
  return logical()
end

co.status = function(t)
  if type(t) ~= "thread" then
    argerror(1, "coroutine expected")
  end
  if t ~= nil and t == logical() then
    return "running"
  end
  return status(t)
end
