-- Every base, string, table, math, os and coroutine function called with no
-- argument, nil, and values of the wrong type, through pcall: the messages
-- ('got no value', the argument checked first, 'coroutine expected', ...)
-- and results must be C Lua 5.1.5's.
local function show(v)
  if type(v) == "string" then return (v:gsub("0x%x+", "0x")) end
  local t = type(v)
  if t == "string" or t == "number" or t == "boolean" or t == "nil" then return tostring(v) end
  return t
end
local function try(name, f, ...)
  local r = {pcall(f, ...)}
  local n = select('#', ...)
  local parts = {}
  for i = 1, #r do parts[#parts+1] = show(r[i]) end
  print(name, n, table.concat(parts, " | "))
end
local libs = {
  {"_G", {"assert","error","ipairs","pairs","next","rawequal","rawget","rawset","select","setmetatable","getmetatable","tonumber","tostring","type","unpack","xpcall","pcall"}},
  {"string", {"byte","char","find","format","gmatch","gsub","len","lower","match","rep","reverse","sub","upper"}},
  {"table", {"concat","insert","remove","sort","maxn","getn","setn","foreach","foreachi"}},
  {"math", {"abs","acos","asin","atan","atan2","ceil","cos","cosh","deg","exp","floor","fmod","frexp","ldexp","log","log10","max","min","modf","pow","rad","sin","sinh","sqrt","tan","tanh","random","randomseed"}},
  {"os", {"time","clock","date","difftime"}},
  {"coroutine", {"create","resume","status","wrap","yield","running"}},
}
local argsets = {
  {"none", {}, 0},
  {"nil", {nil}, 1},
  {"nil,nil", {nil,nil}, 2},
  {"table", {{}}, 1},
  {"bool", {true}, 1},
  {"str", {"x"}, 1},
  {"num", {3}, 1},
  {"numstr", {"3"}, 1},
  {"t,t", {{},{}}, 2},
  {"s,t", {"x",{}}, 2},
  {"s,b", {"x",true}, 2},
  {"n,s", {1,"x"}, 2},
  {"t,n,n", {{},1,2}, 3},
  {"s,n,t", {"x",1,{}}, 3},
  {"t,b", {{},true}, 2},
  {"t,nil,t", {{},nil,{}}, 3},
  {"n,n,n", {1,2,3}, 3},
}
for _, lib in ipairs(libs) do
  local tbl = _G[lib[1]]
  for _, fname in ipairs(lib[2]) do
    local f = tbl[fname]
    if f then
      for _, a in ipairs(argsets) do
        local full = lib[1] .. "." .. fname .. "(" .. a[1] .. ")"
        -- left out: next's 'invalid key' and error's level 2 from a
        -- function pcall calls (docs/lua-api.md)
        local left = (fname == "next" and (a[1] == "t,t" or a[1] == "t,n,n" or a[1] == "t,b"))
          or (fname == "error" and a[1] == "n,n,n")
        if not left and not (fname == "yield" or fname=="wrap" or fname=="running" or fname=="clock" or (fname=="time" and a[1]=="none") or (fname=="date") or fname=="random" or fname == "randomseed" or fname=="create" or (fname=="time" and a[1]=="nil")  or (fname=="time" and a[1]=="nil,nil")) then
          try(full, f, unpack(a[2], 1, a[3]))
        end
      end
    end
  end
end
