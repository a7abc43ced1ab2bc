-- NaN and NUL as C Lua 5.1 over glibc shows them: the sign of a NaN
-- (0/0 is -nan), the math functions' NaNs, print stopping at a NUL (fputs),
-- string.format's %s and %c stopping at one (sprintf).
print(math.asin(2), math.acos(2), math.log(-1), math.log10(-1), math.pow(-1, 0.5), math.fmod(1/0, 1), math.fmod(1, 0), math.fmod(-1, 0), math.fmod(0/0, 1), math.fmod(-(0/0), 1))
print(math.sin(1/0), math.cos(1/0), math.tan(1/0), math.sqrt(-(0/0)), math.exp(0/0), math.floor(0/0), math.floor(-(0/0)), math.ceil(0/0), math.abs(0/0), math.abs(-(0/0)))
print(math.modf(1/0)) print(math.modf(-1/0)) print(math.modf(0/0)) print(math.modf(-(0/0)))
print(math.frexp(1/0)) print(math.frexp(0/0)) print(math.ldexp(0/0, 1))
print(math.max(0/0, 1), math.max(1, 0/0), math.min(0/0, 1), math.min(1, 0/0))
print(tonumber("nan"), tonumber("-nan"), tonumber("+nan"), tonumber("NAN"), tonumber("nan(123)"), tonumber("infinity"), tonumber("-Infinity"), tonumber("inF"), tonumber("infx"), tonumber(" nan "))
print(math.cosh(0/0), math.sinh(1/0), math.tanh(0/0), math.atan2(0/0, 1), math.atan(0/0))
print(0/0, -(0/0), math.sqrt(-1), math.fmod(5, 0), math.huge - math.huge, tostring(0/0), string.format("%f %g %.3f", 0/0, -(0/0), 0/0))
print(math.log(-1), math.acos(2), math.huge * 0, tonumber("nan"), tonumber("-nan"))
local n = 0/0
print(n ~= n, #tostring(n))
print("a\0b", #"a\0b")
print(("a\0b"):rep(2))
io.write("x\0y\n")
print(string.format("%s|", "a\0b"), #string.format("%s", "a\0b"), #string.format("%c", 0), #string.format("%5s", "a\0b"))
print(#string.gsub("abc", "b", "%"))
print(tostring("a\0b"), #tostring("a\0b"))
print(string.format("%d", 0/0), string.format("%x", 0/0))
