-- service
function on_connect(c)
  c:send("hi"
end
