-- Each removed capability is really gone.

-- unavailable(f, ...) asserts that calling f raises the sandbox's message
-- naming what, instead of running or a cryptic "attempt to call a nil value".
local function unavailable(what, f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, what .. " ran")
  assert(tostring(err):find(what .. " is not available in wirelab's sandbox", 1, true), err)
end

function TestNoIO()
  -- The standard files write to the run's output; nothing opens a file.
  unavailable("io.open", function() return io.open("/etc/passwd") end)
  unavailable("io.popen", function() return io.popen("id") end)
  unavailable("io.tmpfile", io.tmpfile)
  assert(not pcall(io.lines, "/etc/passwd"), "io.lines opened a file")
  assert(select(2, pcall(io.lines, "/etc/passwd")):find("io.lines(file) is not available", 1, true))
  assert(not pcall(io.output, "/tmp/x"), "io.output opened a file")
  assert(io.read() == nil and io.stdin:read("*a") == nil)
  assert(getmetatable(io.stdout) == "locked")
end
function TestNoDebug() assert(debug == nil) end
function TestOsReduced()
  unavailable("os.execute", os.execute, "id")
  unavailable("os.remove", os.remove, "/tmp/x")
  unavailable("os.rename", os.rename, "/tmp/x", "/tmp/y")
  unavailable("os.exit", os.exit, 1)
  unavailable("os.getenv", os.getenv, "HOME")
  unavailable("os.tmpname", os.tmpname)
  unavailable("os.setenv", os.setenv, "A", "B")
  assert(select(2, pcall(os.execute, "id")):find("scripts cannot run commands or touch files", 1, true))
  assert(type(os.time()) == "number" and type(os.clock()) == "number" and type(os.date()) == "string")
end
function TestNoFileLoading()
  unavailable("dofile", dofile, "/etc/passwd")
  unavailable("loadfile", loadfile, "/etc/passwd")
end
function TestNoEnvTricks()
  assert(getfenv == nil and setfenv == nil and newproxy == nil and module == nil
    and collectgarbage == nil and string.dump == nil)
  assert(rawequal(1, 1) and rawget and rawset)
end
function TestNoLoadlib()
  assert(package.loadlib == nil)
  assert(package.cpath == "")
end
function TestLoadSourceOK()
  local f = assert(loadstring("return 1 + 2"))
  assert(f() == 3)
  local parts = {"return ", "40", "+2"}
  local i = 0
  local g = assert(load(function() i = i + 1; return parts[i] end))
  assert(g() == 42)
end
function TestLoadBytecodeRefused()
  local f, err = loadstring("\27LuaQ\0\1\4\8\4\8\0")
  assert(f == nil and err:find("binary chunk"), err)
  local sent = false
  f, err = load(function() if not sent then sent = true; return "\27Lua" end end)
  assert(f == nil and err:find("binary chunk"), err)
end
function TestRequireBuiltins()
  assert(require("socket") == socket)
  assert(require("socket.core") == socket)
  assert(require("lab") == lab)
  assert(require("string") == string)
end
function TestRequireLocalFiles()
  local m = require("helper")
  assert(m.answer == 42)
  assert(require("helper") == m)
  assert(require("sub.inner").name == "inner")
end
function TestRequireRefusesPaths()
  for _, name in ipairs{"../state", "/etc/passwd", "..sub", "sub/../../x", "nope", "sub.escape"} do
    local ok, err = pcall(require, name)
    assert(not ok, name)
    assert(tostring(err):find("not found"), err)
  end
end
function TestHostMetatablesProtected()
  local s = socket.tcp()
  assert(getmetatable(s) == "locked")
  assert(not pcall(setmetatable, s, {}))
  s:close()
end
function TestPrint()
  print("a", 1, nil, true)
end

function TestCoroutinesWork()
  local gen = coroutine.wrap(function() for i = 1, 3 do coroutine.yield(i) end end)
  assert(gen() == 1 and gen() == 2 and gen() == 3)
  local co = coroutine.create(function(a, b) local c = coroutine.yield(a + b); return c * 2 end)
  local ok, v = coroutine.resume(co, 1, 2); assert(ok and v == 3)
  ok, v = coroutine.resume(co, 5); assert(ok and v == 10)
  assert(coroutine.status(co) == "dead")
  -- many coroutines (not nested) are fine
  local n = 0
  for i = 1, 5000 do n = n + coroutine.wrap(function() return 1 end)() end
  assert(n == 5000)
end

function TestNestedCoroutinesBounded()
  local depth = 0
  local function f() depth = depth + 1; return coroutine.wrap(f)() end
  local ok, err = pcall(f)
  assert(not ok and tostring(err):find("C stack overflow"), err)
  assert(depth > 100 and depth <= 201, depth)
end
