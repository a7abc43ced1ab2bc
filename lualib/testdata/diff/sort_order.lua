-- table.sort is C Lua 5.1's quicksort: equal elements end in C's order, the
-- comparator sees the same pairs, an inconsistent one is 'invalid order
-- function for sorting' where C finds it so.
local function show(t) local o = {} for i = 1, #t do o[i] = tostring(t[i]) end return table.concat(o, " ") end
-- ties keep C Lua's order
local recs = {}
for i = 1, 30 do recs[i] = {name = "n" .. i, score = (i * 7) % 5} end
table.sort(recs, function(a, b) return a.score > b.score end)
local o = {} for i = 1, #recs do o[i] = recs[i].name end print(table.concat(o, " "))
local t = {5, 3, 8, 1, 9, 2, 7, 4, 6, 0, 5, 3, 5}
table.sort(t) print(show(t))
table.sort(t, function(a, b) return a > b end) print(show(t))
local words = {"pear", "Apple", "fig", "apple", "Banana", "kiwi", "date", "fig"}
table.sort(words) print(show(words))
table.sort(words, function(a, b) return #a < #b end) print(show(words))
print(pcall(table.sort, {3, 1, 2, 5, 4, 1, 1, 1, 1, 2, 2}, function(a, b) return a <= b end))
print(pcall(table.sort, {1, 1, 1, 1, 1}, function(a, b) return true end))
print(pcall(table.sort, {3, "a", 1}))
print(pcall(table.sort, {{}, {}, {}}))
local calls = 0
local big = {} for i = 1, 200 do big[i] = (i * 37) % 101 end
table.sort(big, function(a, b) calls = calls + 1 return a < b end)
print(calls, big[1], big[100], big[200])
local n = {} for i = 1, 100 do n[i] = (i * 13) % 17 end
table.sort(n, function(a, b) return a % 3 < b % 3 end) print(show(n))
