-- report.lua -- prints, to the last bit, what the Lua module computes:
-- losses, gradients, hyper-gradients, seeded samples, checkpoints, the
-- display of objects and the error messages, on every instruction set this
-- CPU runs. Self-contained (no busted): one build's output must equal
-- another's, byte for byte, e.g. the Windows DLLs under Wine against the
-- native Linux module (make test-windows compares them, \r stripped).
--
--   LUA_CPATH='./build/lua5.4/?.so' LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
--     lua5.4 spec/portable/report.lua
--
-- Numbers are printed with %.17g (they read back to the same double), so
-- equal text means equal bits.
local gr = require("gaussianreg")

local out = io.stdout
local function say(...)
  out:write(table.concat({ ... }, " "), "\n")
end

local function num(x)
  return ("%.17g"):format(x)
end

-- Any value the module returns: a number, a nested table or a gr.array.
local function show(v)
  if type(v) == "number" then return num(v) end
  if gr.is_array(v) then
    return ("%s (%s) %s"):format(v.dtype, table.concat(v.shape, ","), show(v:totable()))
  end
  local parts = {}
  for i = 1, #v do parts[i] = show(v[i]) end
  return "{" .. table.concat(parts, ",") .. "}"
end

local function hex(s)
  return (s:gsub(".", function(c) return ("%02x"):format(c:byte()) end))
end

-- An error message without the chunk:line prefix that errors raised from
-- Lua code carry (the façade's path differs between installations).
local function errmsg(f, ...)
  local ok, e = pcall(f, ...)
  if ok then return "no error" end
  return (tostring(e):gsub("^[^\n]-:%d+: ", ""))
end

-- The C runtime's number formatting, which messages and tostring rely on.
say("lua", _VERSION, "gaussianreg", gr._VERSION)
say("format", num(0.1), num(1 / 3), num(5e-324), num(2.2250738585072014e-308),
  num(1e300), num(-1e-300), num(2 ^ 53 + 2), num(1e21), num(123456789e-20))
say("tostring", tostring(1e30), tostring(1e-5), tostring(-0.0), tostring(2 ^ 63),
  tostring(math.huge), tostring(-math.huge), tostring(1 / 3))
say("integer", tostring(math.maxinteger or 2 ^ 53), tostring(math.mininteger or -2 ^ 53),
  ("%d"):format(-1234567890123))

-- Inputs: a vector, a matrix, a float32 array and a long array whose sums
-- go through every SIMD block and tail.
local vec = { 0.5, -0.25, 3.0 }
local mat = { { 0.1, -0.2, 0.3 }, { 1.5, 2.5, -3.5 } }
local f32 = gr.array({ 0.1, -0.7, 2.3, 1e-3, -5.5 }, "float32")
local long = gr.new({ mean = 0.25, std = 1.5, seed = 7 }):sample_init(2053, "array")

local isas = { "scalar", "sse2", "avx2", "neon", "wasm128" }
local avail = {}
for _, name in ipairs(isas) do
  if gr.isa_supported(name) then avail[#avail + 1] = name end
end
say("isa", gr.isa(), "supported", table.concat(avail, ","))

for _, isa in ipairs(avail) do
  local prev = gr.set_isa(isa)
  say("== isa " .. isa)

  local scalar = gr.new(0.0, 1.0, 0.01)
  local row = gr.new({ mean = { 0, 1, -2 }, std = { 1, 0.5, 2 }, weight = 0.3, fit_hyper = true })
  local grid = gr.new({ mean = { { 0 }, { 1 } }, std = { 1, 2, 3 }, weight = 1e-3,
    fit_hyper = true, log_mode = "per_element" })
  local wide = gr.new({ mean = 0.25, std = 0.75, weight = 2, fit_hyper = true })
  say("reg", tostring(scalar), "isa", scalar:isa())
  say("reg", tostring(row))
  say("reg", tostring(grid))

  say("loss scalar vec", num(scalar:loss(vec)), "grad", show(scalar:grad(vec)))
  say("loss scalar 2.5", num(scalar:loss(2.5)), "grad", show(scalar:grad(2.5)))
  local l, g = row:loss_and_grad(mat)
  say("loss_and_grad row mat", num(l), show(g))
  local hg = row:hyper_grad(mat)
  say("hyper_grad row mat mean", show(hg.mean), "precision", show(hg.precision), "weight", num(hg.weight))
  l, g = grid:loss_and_grad(mat)
  say("loss_and_grad grid mat", num(l), show(g))
  hg = grid:hyper_grad(mat)
  say("hyper_grad grid mat mean", show(hg.mean), "precision", show(hg.precision), "weight", num(hg.weight))
  l, g = wide:loss_and_grad(f32)
  say("loss_and_grad wide f32", num(l), show(g))
  l, g = wide:loss_and_grad(long)
  local gs = 0
  for i = 1, #g, 97 do gs = gs + g[i] end
  say("loss_and_grad wide long", num(l), "grad[1]", num(g[1]), "grad[2053]", num(g[#g]), "every 97th sum", num(gs))
  hg = wide:hyper_grad(long)
  say("hyper_grad wide long mean", show(hg.mean), "precision", show(hg.precision), "weight", num(hg.weight))

  -- Setters, then a gradient step on the hyperparameters.
  row.mean = { 0.1, 0.9, -1.9 }
  row.precision = { 2, 3, 0.5 }
  row.weight = 0.125
  say("after setters", tostring(row), "loss", num(row:loss(mat)))

  -- Seeded draws: the same on every instruction set and platform.
  local s = gr.new({ mean = { 1, -1 }, std = { 0.5, 2 }, seed = 42 })
  say("sample seed 42", show(s:sample_init({ 3, 2 })))
  s:seed(2 ^ 40 + 3)
  say("sample seed 2^40+3", show(s:sample_init({ 2, 2 })))
  local big = s:sample_init({ 5000, 2 }, "array")
  local sum, sq = 0, 0
  for i = 1, #big do sum = sum + big[i]; sq = sq + big[i] * big[i] end
  say("sample 10000 sum", num(sum), "sum of squares", num(sq), "last", num(big[#big]))
  say("reset_value", show(s:reset_value()))

  -- Checkpoints: the bytes, and the draws that continue from them.
  local st = row:state()
  say("state", #st, hex(st))
  local q = gr.from_state(s:state())
  say("from_state draws", show(q:sample_init(2)), show(s:sample_init(2)))

  for _, r in ipairs({ scalar, row, grid, wide, s, q }) do r:close() end
  gr.set_isa(prev)
end

-- Error messages (the ones with numbers exercise the C runtime's %g).
local reg = gr.new({ 0, 1 }, 1, 0.01)
local fixed = gr.new(0, 1)
local closed = gr.new(0, 1)
closed:close()
local errors = {
  function() reg:loss({ { 1, 2, 3 }, { 1, 2, 3 } }) end,
  function() reg:sample_init(5) end,
  function() fixed:loss({ 1, 2, nil, 4 }) end,
  function() fixed:loss({ { 1, 2 }, { "x", 2 } }) end,
  function() fixed:loss({ { 1, 2 }, { 1 } }) end,
  function() fixed:loss("1") end,
  function() gr.new(0 / 0, 1) end,
  function() gr.new({ 1, math.huge }, 1) end,
  function() gr.new(0, -1) end,
  function() gr.new(0, -1e30) end,
  function() gr.new(0, -2.5e-300) end,
  function() gr.new(0, 1, -math.huge) end,
  function() gr.new({ mean = 0, stdev = 1 }) end,
  function() fixed:sample_init({ 100000000, 100000000, 100000000 }) end,
  function() fixed:hyper_grad({ 1 }) end,
  function() fixed.weight = 2 end,
  function() closed:loss(1) end,
  function() gr.from_state("GRST") end,
  function() gr.from_state(fixed:state():sub(1, 40)) end,
  function() gr.from_state(fixed:state() .. "x") end,
  function() gr.set_isa("x87") end,
  function() gr.array({ shape = { -1 } }) end,
  function() gr.array(3)[4] = 1 end,
}
for i, f in ipairs(errors) do
  say(("error %d"):format(i), errmsg(f))
end
reg:close()
fixed:close()
say("done")
