-- status_code passes when a response with status 200 crossed the wire.
function status_code(ctx)
  for p in ctx.packets("http.response.code == 200") do
    return true, "saw 200 OK in frame " .. p.number
  end
  return false, "no 200 OK response"
end
