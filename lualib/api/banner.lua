---@meta banner

---Banner grabbing: connect, read what the service says, and send a probe
---(TLS ClientHello, Redis PING, HTTP GET) when it stays silent.
---@class bannerlib
banner = {}

---@class banner.options
---@field timeout? number seconds for the whole grab: connect, wait, probe and read (default 2)
---@field bytes? integer most bytes to read (default 1024, at most 1048576)
---@field send? string written first (no other probe is sent then), e.g. "HEAD / HTTP/1.0\r\n\r\n"
---@field lines? integer stop after this many lines
---@field idle? number stop once data arrived and nothing more came for this many seconds (default 0.5); an unfinished banner ("220-", a cut line, telnet negotiation) is read on
---@field wait? number seconds of silence before a probe is sent (default 1; 0.2 on HTTP, TLS and Redis ports)
---@field probe? boolean false: never send a probe (default true)

---@class banner.tls
---@field version string "TLS 1.2", "TLS 1.3", ...
---@field subject? string the certificate's subject, "CN=www.example.com"
---@field issuer? string the certificate's issuer

---@class banner.info
---@field service? string a guess: "ssh", "ftp", "smtp", "http", "pop3", "imap", "mysql", "redis", "telnet", "tls"
---@field probe? string what was sent: "send", "http", "redis", "tls"; nil when the service spoke first
---@field tls? banner.tls the TLS handshake, when there was one

---@class banner.all_options: banner.options
---@field concurrency? integer grabs at once (default 64)

---Grab the banner of one port. The text comes as received, line endings
---included. On failure returns `nil` and LuaSocket's error string:
---`"timeout"` (nothing said in time), `"closed"` (closed without a word),
---`"connection refused"`, `"host not found"`.
---
---```lua
---local b, err = banner.grab("www.example.com", 22, {lines = 1})
---print(b or err)                 --> SSH-2.0-OpenSSH_9.2p1 Debian-2
---local text, info = banner.grab("www.example.com", 80, {lines = 1})
---print(text, info.service)      --> HTTP/1.0 200 OK	http
---```
---@param host string
---@param port integer
---@param opts? banner.options
---@return string|nil banner
---@return banner.info|string info about the banner, or the error
function banner.grab(host, port, opts) end

---The service name banner.grab would guess for a banner, or nil; port breaks
---the tie for a bare "220" greeting (21: ftp, 25 and 587: smtp).
---
---```lua
---print(banner.service("SSH-2.0-OpenSSH_9.2p1\r\n"))  --> ssh
---```
---@param text string
---@param port? integer
---@return string|nil service
function banner.service(text, port) end

---Grab the banners of several ports at once, probing silent ones. Ports that
---gave no banner are absent from the result.
---
---```lua
---for port, text in pairs(banner.grab_all("127.0.0.1", "21,22,25,80", {lines = 1})) do
---  print(port, text)
---end
---```
---@param host string
---@param ports string|integer|integer[] as for scan.tcp
---@param opts? banner.all_options
---@return table<integer, string>|nil banners by port
---@return string? err
function banner.grab_all(host, ports, opts) end

return banner
