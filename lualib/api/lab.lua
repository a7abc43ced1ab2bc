---@meta lab

---The lab the script runs in: its arguments, its hosts and services, and
---events (log lines and checks) that the report shows beside the lab's own
---checks. Outside a lab (`wirelab script` without --lab) args is empty and
---host/service return nil.
---@class lablib
---@field args table the lab's submission.args (from lab.yaml), as Lua values
lab = {}

---The address of one of the lab's hosts, or nil when the lab has no such host.
---
---```lua
---local ip = lab.host("www.example.com")   --> "10.0.0.80"
---```
---@param name string
---@return string|nil address
function lab.host(name) end

---Where one of the lab's services listens: `{host=, addr=, port=}` (host is the
---name from the lab's hosts, addr its address), or nil.
---
---```lua
---local web = lab.service("web")
---local c = assert(socket.connect(web.host, web.port))
---```
---@param name string
---@return {host: string, addr: string, port: integer}|nil
function lab.service(name) end

---Record a log line (arguments joined by tabs, like print) in the run's
---events; it appears in the report, not in the script's output.
---
---```lua
---lab.log("sent request", #request, "bytes")
---```
---@param ... any
function lab.log(...) end

---Record a check of the script's own: its name, whether it passed, and an
---optional message. Returns `ok` as a boolean.
---
---```lua
---local status = c:receive()
---lab.check("server answered 200", status and status:find(" 200 ") ~= nil, status)
---```
---@param name string
---@param ok any true (or any value but nil/false) when the check passed
---@param message? string
---@return boolean ok
function lab.check(name, ok, message) end

return lab
