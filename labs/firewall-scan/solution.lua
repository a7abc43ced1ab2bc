-- Reference solution for the firewall-scan lab: scan.tcp tells open (the
-- handshake completed), closed (a reset) and filtered (silence, or an ICMP
-- unreachable) apart; print all but the closed ones.
local host = lab.args.host
local range = string.format("%d-%d", lab.args.first or 1, lab.args.last or 1024)

for _, r in ipairs(scan.tcp(host, range, {timeout = 1.5})) do
  if r.state ~= "closed" then
    print(r.port .. " " .. r.state)
  end
end
