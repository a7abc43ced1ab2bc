-- socket.url: parsing, building and resolving URLs (RFC 3986), as LuaSocket 3's
-- socket.url does it, written for wirelab.
local socket = require("socket")

local _M = {_VERSION = "URL 1.0.3"}
socket.url = _M

local string, table, tostring, tonumber, type, pairs =
  string, table, tostring, tonumber, type, pairs

-- escape writes every byte but letters, digits and '_' as %xx.
function _M.escape(s)
  return (string.gsub(s, "([^A-Za-z0-9_])", function(c)
    return string.format("%%%02x", string.byte(c))
  end))
end

function _M.unescape(s)
  return (string.gsub(s, "%%(%x%x)", function(hex)
    return string.char(tonumber(hex, 16))
  end))
end

-- a path segment keeps RFC 2396's pchar characters as they are
local segment_safe = {}
for c in ("-_.!~*'():@&=+$,"):gmatch(".") do segment_safe[c] = true end

local function protect_segment(s)
  return (string.gsub(s, "([^A-Za-z0-9_])", function(c)
    if segment_safe[c] then return c end
    return string.format("%%%02x", string.byte(c))
  end))
end

-- remove_dots resolves "." and ".." segments (RFC 3986, 5.2.4).
local function remove_dots(input)
  local out = {}
  while input ~= "" do
    if input:sub(1, 3) == "../" then
      input = input:sub(4)
    elseif input:sub(1, 2) == "./" then
      input = input:sub(3)
    elseif input:sub(1, 3) == "/./" then
      input = input:sub(3)
    elseif input == "/." then
      input = "/"
    elseif input:sub(1, 4) == "/../" then
      input = input:sub(4)
      out[#out] = nil
    elseif input == "/.." then
      input = "/"
      out[#out] = nil
    elseif input == "." or input == ".." then
      input = ""
    else
      local seg = input:match("^/?[^/]*")
      out[#out + 1] = seg
      input = input:sub(#seg + 1)
    end
  end
  return table.concat(out)
end

local function absolute_path(base_path, relative_path)
  if relative_path:sub(1, 1) == "/" then return remove_dots(relative_path) end
  local dir = base_path:gsub("[^/]*$", "")
  if dir:sub(-1) ~= "/" then dir = dir .. "/" end
  return remove_dots(dir .. relative_path)
end

-- parse splits url into scheme, authority, path, params, query and fragment,
-- and the authority into userinfo (user, password), host and port. Keys the
-- url lacks take their value from default.
function _M.parse(url, default)
  local parsed = {}
  for k, v in pairs(default or parsed) do parsed[k] = v end
  if not url or url == "" then return nil, "invalid url" end
  url = string.gsub(url, "#(.*)$", function(f) parsed.fragment = f; return "" end)
  url = string.gsub(url, "^([%w][%w%+%-%.]*)%:", function(s) parsed.scheme = s; return "" end)
  url = string.gsub(url, "^//([^/]*)", function(a) parsed.authority = a; return "" end)
  url = string.gsub(url, "%?(.*)", function(q) parsed.query = q; return "" end)
  url = string.gsub(url, "%;(.*)", function(p) parsed.params = p; return "" end)
  if url ~= "" then parsed.path = url end
  local authority = parsed.authority
  if not authority then return parsed end
  authority = string.gsub(authority, "^([^@]*)@", function(u) parsed.userinfo = u; return "" end)
  authority = string.gsub(authority, ":([^:%]]*)$", function(p) parsed.port = p; return "" end)
  if authority ~= "" then
    parsed.host = string.match(authority, "^%[(.+)%]$") or authority
  end
  local userinfo = parsed.userinfo
  if not userinfo then return parsed end
  userinfo = string.gsub(userinfo, ":([^:]*)$", function(p) parsed.password = p; return "" end)
  parsed.user = userinfo
  return parsed
end

-- build is parse's inverse.
function _M.build(parsed)
  local url = parsed.path or "" -- as given: LuaSocket 3.1 does not escape it
  if parsed.params then url = url .. ";" .. parsed.params end
  if parsed.query then url = url .. "?" .. parsed.query end
  local authority = parsed.authority
  if parsed.host then
    authority = parsed.host
    if string.find(authority, ":") then authority = "[" .. authority .. "]" end
    if parsed.port then authority = authority .. ":" .. tostring(parsed.port) end
    local userinfo = parsed.userinfo
    if parsed.user then
      userinfo = parsed.user
      if parsed.password then userinfo = userinfo .. ":" .. parsed.password end
    end
    if userinfo then authority = userinfo .. "@" .. authority end
  end
  if authority then url = "//" .. authority .. url end
  if parsed.scheme then url = parsed.scheme .. ":" .. url end
  if parsed.fragment then url = url .. "#" .. parsed.fragment end
  return url
end

-- absolute resolves relative_url against base_url (a string or a parsed table).
function _M.absolute(base_url, relative_url)
  local base
  if type(base_url) == "table" then
    base = base_url
    base_url = _M.build(base)
  else
    base = _M.parse(base_url)
  end
  local rel = _M.parse(relative_url)
  if not base then return relative_url end
  if not rel then return base_url end
  if rel.scheme then return relative_url end
  rel.scheme = base.scheme
  if not rel.authority then
    rel.authority = base.authority
    if not rel.path then
      rel.path = base.path
      if not rel.params then
        rel.params = base.params
        if not rel.query then rel.query = base.query end
      end
    else
      rel.path = absolute_path(base.path or "", rel.path)
    end
  end
  return _M.build(rel)
end

-- parse_path splits a path into its unescaped segments; is_absolute and
-- is_directory say whether it starts or ends with '/'.
function _M.parse_path(path)
  local parsed = {}
  path = path or ""
  string.gsub(path, "([^/]+)", function(s) parsed[#parsed + 1] = s end)
  for i = 1, #parsed do parsed[i] = _M.unescape(parsed[i]) end
  if string.sub(path, 1, 1) == "/" then parsed.is_absolute = 1 end
  if string.sub(path, -1) == "/" then parsed.is_directory = 1 end
  return parsed
end

-- build_path joins segments, escaping them unless unsafe is true.
function _M.build_path(parsed, unsafe)
  local parts = {}
  for i = 1, #parsed do
    parts[i] = unsafe and parsed[i] or protect_segment(parsed[i])
  end
  local path = table.concat(parts, "/")
  if #parsed > 0 then
    if parsed.is_absolute then path = "/" .. path end
    if parsed.is_directory then path = path .. "/" end
  elseif parsed.is_absolute or parsed.is_directory then
    path = "/"
  end
  return path
end

return _M
