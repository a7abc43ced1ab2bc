local mime = require "mime"
local function q(v) return '"' .. (string.gsub(tostring(v), "[%c\\\128-\255]", function(c) return "\\" .. string.byte(c) end)) .. '"' end
local function p(...) local t = {...} local n = select('#', ...) for i = 1, n do t[i] = q(t[i]) end print(n, table.concat(t, " ")) end
p(mime.b64("hello")) p(mime.b64("hel","lo")) p(mime.b64("h","")) p(mime.b64("h")) p(mime.b64(nil)) p(mime.b64(nil, "x")) p(mime.b64("")) p(mime.b64("", nil)) p(mime.b64("abcd", "ef"))
p(mime.unb64("aGVsbG8=")) p(mime.unb64("aGVs", "bG8")) p(mime.unb64("aGVsbG8")) p(mime.unb64("a G\r\nVs")) p(mime.unb64(nil)) p(mime.unb64("!!!!"))
p(mime.qp("a=b\r\nc \t\r\nd\128")) p(mime.qp("a=b", "c")) p(mime.qp("x  \r", nil)) p(mime.qp("line\nx", nil, "\n")) p(mime.qp("tail  "))  p(mime.qp(nil))
p(mime.unqp("a=3Db=\r\nc")) p(mime.unqp("a=3", "D")) p(mime.unqp("a=3")) p(mime.unqp("x =\nz"))
p(mime.wrp(76, string.rep("x", 100))) p(mime.wrp(5, "abc\r\ndefgh")) p(mime.wrp(3, "abcdef", 4)) p(mime.wrp(76, nil)) p(mime.wrp(10, nil, 20))
p(mime.qpwrp(76, string.rep("=41", 30))) p(mime.qpwrp(10, "abc=\r\ndef", 20)) p(mime.qpwrp(5, nil))
p(mime.eol(0, "a\nb\r\nc\rd\n\re")) p(mime.eol(0, "a\n", "\n")) p(mime.eol(13, "\nx")) p(mime.eol(0, nil)) p(mime.eol(10, nil))
p(mime.dot(2, ".a\r\n.b\r\n..c")) p(mime.dot(0, "x\r\n.")) p(mime.dot(0, nil)) p(mime.dot(2, nil))
p(mime.unqp("=zz=4")) p(mime.unqp("a=\r\nb=\rc")) p(mime.unqp("a  \r\nb")) p(mime.unqp("=4a=4A"))
p(mime.qp("\t\r\n")) p(mime.qp(" \r\nx")) p(mime.qp("a\r", "\n"))
p(mime.unb64("aGVsbA==", "")) p(mime.unb64("aGVsbA=="))  p(mime.unb64("aG=Vs"))
p(mime.b64("\0\1\2\255\254"), mime.unb64("AAEC//4=") == "\0\1\2\255\254")
p(mime.wrp(0, "")) p(mime.qpwrp(76, "a\rb"))
p(mime.eol(0, "x", "")) p(mime.dot(2, ""))
p(mime.qp(string.rep("x", 100) .. "\r\n\0")) p(mime.qpwrp(76, mime.qp(string.rep("\200", 40))))
p(mime.unqp("=\r\n=0d=0A")) p(mime.unb64("Zm9v\nYmFy"))
for _, k in ipairs{"b64", "unb64", "qp", "unqp", "wrp", "qpwrp", "eol", "dot", "encode", "decode", "wrap", "normalize", "stuff", "encodet", "decodet", "wrapt"} do p(k, type(mime[k])) end
