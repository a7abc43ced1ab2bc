-- string.pack, string.unpack and string.packsize as Lua 5.3 has them
-- (wirelab's extension to Lua 5.1). Values print in a form both agree on.
local function hex(s)
  return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end))
end
local function show(...)
  local t = {}
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "number" then
      t[#t + 1] = string.format("%.14g", v)
    elseif type(v) == "string" then
      t[#t + 1] = "'" .. hex(v) .. "'"
    else
      t[#t + 1] = tostring(v)
    end
  end
  print(table.concat(t, " "))
end
local function err(f, ...)
  local ok, e = pcall(f, ...)
  print(ok, (tostring(e):gsub("^bad argument #(%d+) to '[^']*'", "bad argument #%1")))
end
show(string.pack("b", -1), string.pack("B", 255), string.pack("h", -2), string.pack(">H", 0x1234))
show(string.pack("<i4", 1), string.pack(">i4", -1), string.pack("i3", -8388608), string.pack(">I3", 0xabcdef))
show(string.pack("i16", -3), string.pack(">I16", 7), string.pack("l", 2^40), string.pack(">j", -2^53))
show(string.pack("f", 0.5), string.pack(">d", 1/3), string.pack("n", -0.0))
show(string.pack("z", "abc"), string.pack("s1", "hi"), string.pack(">s2", "hey"), string.pack("s", ""))
show(string.pack("c5", "ab"), string.pack("c0", ""), string.pack("xBx", 7))
show(string.pack("!4 B i4", 1, 2), string.pack("!8 B d", 1, 2), string.pack("! B Xi4 B", 1, 2), string.pack("!2 B h", 1, 2))
show(string.packsize("i4i8"), string.packsize("!8 i1 i8"), string.packsize("c10 x"), string.packsize(""), string.packsize("!4 B Xi4"))
-- A DNS header: id, flags, counts.
local hdr = string.pack(">I2I2I2I2I2I2", 0xbeef, 0x0100, 1, 0, 0, 0)
show(hdr, string.unpack(">I2I2I2I2I2I2", hdr))
show(string.unpack("<i4", "\255\255\255\255"), string.unpack("<I4", "\255\255\255\255"))
show(string.unpack(">i3", "\128\0\0"), string.unpack("b", "\200"), string.unpack("B", "\200"))
show(string.unpack("z", "abc\0def\0"), string.unpack("zz", "abc\0def\0"))
show(string.unpack("s1", "\3abcd"), string.unpack(">s2", "\0\2xyz"))
show(string.unpack("c2", "abcd", 2), string.unpack("B", "abcd", -1), string.unpack("B", "abcd", 5 - 1))
show(string.unpack("f", string.pack("f", 0.1)), string.unpack(">d", string.pack(">d", 1e300)))
show(string.unpack("i16", string.pack("i16", -5)), string.unpack("!4 B i4", string.pack("!4 B i4", 9, -9)))
show(string.unpack("<i9", "\1\0\0\0\0\0\0\0\0"))
show(select("#", string.unpack("xXi4", "abcdef")), string.unpack("", "abc"), string.unpack("", "abc", 4))
err(string.pack, "i17", 1)
err(string.pack, "i0", 1)
err(string.pack, "y", 1)
err(string.pack, "c", "a")
err(string.pack, "i1", 128)
err(string.pack, "I1", 256)
err(string.pack, "I1", -1)
err(string.pack, "i4", 1.5)
err(string.pack, "i4")
err(string.pack, "c2", "abc")
err(string.pack, "s1", string.rep("x", 256))
err(string.pack, "z", "a\0b")
err(string.pack, "!3 i4", 1)
err(string.pack, "X", 1)
err(string.pack, "Xc1", 1)
err(string.packsize, "s")
err(string.packsize, "z")
err(string.unpack, "i4", "abc")
err(string.unpack, "z", "abc")
err(string.unpack, "s1", "\5ab")
err(string.unpack, "B", "abc", 5)
err(string.unpack, "<i9", "\1\0\0\0\0\0\0\0\1")
