-- Scans ports 1 to 100 only.
for _, r in ipairs(scan.tcp(lab.args.host, "1-100", {timeout = 1})) do
  if r.state ~= "closed" then print(r.port .. " " .. r.state) end
end
