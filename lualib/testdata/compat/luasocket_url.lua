local url = require "socket.url"
for _, s in ipairs{"a b-c.d~e_f/g?h=i&j", "\0\255", ""} do print(url.escape(s)) end
print(url.unescape("a%20b%2Fc%zz%4"))
local function dump(t) local ks = {} for k in pairs(t) do ks[#ks+1]=k end table.sort(ks) local o = {} for _,k in ipairs(ks) do o[#o+1]=k.."="..tostring(t[k]) end return table.concat(o, " ") end
for _, u in ipairs{"http://user:pw@www.example.com:8080/a/b;p?q=1#frag", "http://x/", "//host/path", "/rel/path?x", "mailto:joe@example.com", "ftp://a@b/c;type=i", "http://[::1]:80/x", "a/b/../c", "", "http://h", "HTTP://H/P"} do local r, e = url.parse(u, {port=1}); print(u, r and dump(r) or ("nil " .. tostring(e))) end
print(url.build{scheme="http", host="h", port=81, path="/p", query="q", fragment="f", user="u", password="p"})
print(url.build(url.parse("http://user:pw@www.example.com:8080/a/b;p?q=1#frag")))
for _, r in ipairs{"g", "./g", "g/", "/g", "//g", "?y", "g?y", "#s", "g#s", "g?y#s", ";x", "g;x", "", ".", "./", "..", "../", "../g", "../..", "../../", "../../g", "../../../g", "/./g", "/../g", "g.", ".g", "g..", "..g", "./../g", "./g/.", "g/./h", "g/../h", "http:g"} do print(r, url.absolute("http://a/b/c/d;p?q", r)) end
local p = url.parse_path("/a/b%20c/d/")
print(#p, p[1], p[2], p[3], p.is_absolute, p.is_directory)
print(url.build_path(p), url.build_path(p, true), url.build_path({"a b", "c"}))
print(url._VERSION)
