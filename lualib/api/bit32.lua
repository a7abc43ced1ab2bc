---@meta bit32

---Lua 5.2's bit32 library, an extension wirelab adds to Lua 5.1 for taking
---packets apart: flags, checksums, header fields. Operands are rounded to
---integers and taken modulo 2^32; results are in [0, 2^32).
---
---```lua
---local flags = 0x12                      -- SYN+ACK
---print(bit32.btest(flags, 0x02))         --> true
---print(bit32.extract(0x4500, 12, 4))     --> 4 (the IP version nibble)
---```
---@class bit32lib
bit32 = {}

---Bitwise and of every operand (all ones with none).
---@param ... integer
---@return integer
function bit32.band(...) end

---Bitwise or of every operand (0 with none).
---@param ... integer
---@return integer
function bit32.bor(...) end

---Bitwise exclusive or of every operand (0 with none).
---@param ... integer
---@return integer
function bit32.bxor(...) end

---Whether the bitwise and of the operands is not zero.
---@param ... integer
---@return boolean
function bit32.btest(...) end

---Bitwise not.
---@param x integer
---@return integer
function bit32.bnot(x) end

---`x` shifted left by `disp` bits (right when negative); zeros shift in.
---@param x integer
---@param disp integer
---@return integer
function bit32.lshift(x, disp) end

---`x` shifted right by `disp` bits (left when negative); zeros shift in.
---@param x integer
---@param disp integer
---@return integer
function bit32.rshift(x, disp) end

---Arithmetic right shift: copies of the top bit shift in.
---@param x integer
---@param disp integer
---@return integer
function bit32.arshift(x, disp) end

---`x` rotated left by `disp` bits.
---@param x integer
---@param disp integer
---@return integer
function bit32.lrotate(x, disp) end

---`x` rotated right by `disp` bits.
---@param x integer
---@param disp integer
---@return integer
function bit32.rrotate(x, disp) end

---The `width` bits of `n` from bit `field` (0 is the least significant).
---@param n integer
---@param field integer
---@param width? integer default 1
---@return integer
function bit32.extract(n, field, width) end

---`n` with the `width` bits from bit `field` replaced by `v`.
---@param n integer
---@param v integer
---@param field integer
---@param width? integer default 1
---@return integer
function bit32.replace(n, v, field, width) end

return bit32
