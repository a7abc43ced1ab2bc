-- Both clients reported that they finished (events of kind "service").
function clients_finished(ctx)
  local done = {}
  for _, e in ipairs(ctx.events) do
    if e.kind == "service" and e.ok then done[e.name] = true end
  end
  return done.tester == true and done.observer == true, "finished: tester " .. tostring(done.tester) .. ", observer " .. tostring(done.observer)
end
