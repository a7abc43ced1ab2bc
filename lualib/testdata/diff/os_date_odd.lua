-- os.date hands each '%x' to strftime alone, as C Lua 5.1 does: a field
-- width with no conversion is glibc's ('%5d' is '   %5d'); a time whose
-- year glibc cannot hold is nil. UTC ('!') only, so no time zone shows.
local t = 86400 * 365 + 3661
for _, f in ipairs({"%5d","%5Y","%_5d","%-5d","%010Y","%^a","%#a","%#A","%^B","%#p","%^p","%5%","%5q","%3q","%10H","%_H","%-H","%0e","%-e","%3n","%5t","%^c","%#Z","%^Z","%3s","%Ey","%E5d","%5Ed","%O5d","%_-d","%-_d","%5","%E","%5E","%^","%_10A","%-10A","%010A","%4j","%-j","%^x", "%#b", "%#x", "%2y", "%1Y", "%6z", "%_z", "%-z", "%:z", "%::z", "%+", "%3+"}) do
  print(f, "[" .. os.date("!" .. f, t) .. "]")
end
print(pcall(os.date, "!%c", 1e300))
for _, x in ipairs({67768036191676799, 67768036191676800, -67768040609740800, -67768040609740801, 1e300, -1e300, 0/0}) do
  print(pcall(os.date, "!%Y-%m-%d %H:%M:%S", x))
end
