-- Prints every port that did not open as filtered, the closed ones too.
for _, r in ipairs(scan.tcp(lab.args.host, "1-1024", {timeout = 1})) do
  if r.state == "open" then print(r.port .. " open") else print(r.port .. " filtered") end
end
