#!/usr/bin/env lua
function fine(ctx) return true end
