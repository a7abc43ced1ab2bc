-- socket.headers: canonic maps a header name in lower case to the way it is
-- written on the wire (socket.http and socket.smtp send headers by it).
local socket = require("socket")

local _M = {}
socket.headers = _M

local names = [[
accept accept-charset accept-encoding accept-language accept-ranges action age
allow alternate-recipient arrival-date authorization bcc cache-control cc
comments connection content-description content-disposition content-encoding
content-language content-length content-location content-range
content-transfer-encoding content-type cookie date diagnostic-code expect
expires final-recipient from host if-match if-modified-since if-none-match
if-range if-unmodified-since in-reply-to keywords last-attempt-date
last-modified location max-forwards original-recipient pragma
proxy-authenticate proxy-authorization range received references referer
reply-to resent-bcc resent-cc resent-date resent-from resent-reply-to
resent-sender resent-to retry-after return-path sender server status subject
to trailer transfer-encoding upgrade user-agent vary via warning
will-retry-until x-mailer
]]

-- names whose canonical form is not each word capitalised
local special = {
  "Content-ID", "Content-MD5", "DSN-Gateway", "ETag", "Final-Log-ID",
  "Message-ID", "MIME-Version", "Original-Envelope-ID", "Received-From-MTA",
  "Remote-MTA", "Reporting-MTA", "Resent-Message-ID", "SMTP-Remote-Recipient",
  "TE", "WWW-Authenticate",
}

local canonic = {}
for name in names:gmatch("%S+") do
  canonic[name] = (name:gsub("(%w)(%w*)", function(a, b) return a:upper() .. b end))
end
for _, name in ipairs(special) do canonic[name:lower()] = name end
_M.canonic = canonic

return _M
