function x(ctx)
  return true
