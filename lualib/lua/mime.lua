-- mime: base64 and quoted-printable encoding, line wrapping, line-break
-- normalisation and SMTP dot-stuffing as ltn12 filters (LuaSocket 3's mime
-- module, written for wirelab; the low-level filters are mime.core, in Go).
local ltn12 = require("ltn12")
local core = require("mime.core")

local _M = {}
for k, v in pairs(core) do _M[k] = v end

local cycle = ltn12.filter.cycle
local encodet, decodet, wrapt = {}, {}, {}
_M.encodet, _M.decodet, _M.wrapt = encodet, decodet, wrapt

encodet["base64"] = function()
  return cycle(core.b64, "")
end

encodet["quoted-printable"] = function(mode)
  return cycle(core.qp, "", (mode == "binary") and "=0D=0A" or "\r\n")
end

decodet["base64"] = function()
  return cycle(core.unb64, "")
end

decodet["quoted-printable"] = function()
  return cycle(core.unqp, "")
end

local function text(length)
  length = length or 76
  return cycle(core.wrp, length, length)
end
wrapt["text"] = text
wrapt["base64"] = text
wrapt["default"] = text

wrapt["quoted-printable"] = function()
  return cycle(core.qpwrp, 76, 76)
end

local function choose(table)
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

-- encode(name [, mode]), decode(name) and wrap(name [, length]) return filters.
_M.encode = choose(encodet)
_M.decode = choose(decodet)
_M.wrap = choose(wrapt)

-- normalize([marker]) turns every kind of line break into marker (CRLF).
function _M.normalize(marker)
  return cycle(core.eol, 0, marker)
end

-- stuff() doubles a '.' at the start of a line, as SMTP's DATA wants.
function _M.stuff()
  return cycle(core.dot, 2)
end

return _M
