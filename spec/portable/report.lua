-- report.lua -- prints what the Lua module computes: losses, gradients,
-- hyper-gradients, seeded samples, checkpoints, the display of objects and
-- the error messages, on every instruction set this CPU runs.
-- Self-contained (no busted), so that one build's output can be compared
-- with another's, byte for byte.
--
--   LUA_CPATH='./build/lua5.4/?.so' LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
--     lua5.4 spec/portable/report.lua [--portable]
--
-- Two modes:
--   (default)   every number with %.17g (it reads back to the same double, so
--               equal text means equal bits), one block per instruction set.
--               For builds that run the same instruction sets: make
--               test-windows compares the Windows DLLs under Wine with the
--               native Linux module (\r stripped).
--   --portable  for builds whose instruction sets differ: native x86-64
--               (scalar, SSE2, AVX2) against gaussianreg-lua in WebAssembly
--               (scalar, wasm SIMD); make test-luawasm. Elementwise results
--               (gradients, draws, anything computed here in Lua) as exact
--               hex floats; sums over elements (losses, hyper-gradients of
--               broadcast hyperparameters) with 10 significant digits, as
--               their last bits depend on the summation order of the
--               instruction set. The block is computed under every
--               instruction set available and printed once; an instruction
--               set whose block differs is named with its differing lines.
--               The one platform limit in the messages, the largest element
--               count (2^53 with a 64-bit size_t, 2^32 - 1 in wasm32), is
--               printed as <max>.
local gr = require("gaussianreg")

local portable = (...) == "--portable"

-- Output goes to stdout, or into a table while a block is captured.
local captured
local function say(...)
  local line = table.concat({ ... }, " ")
  if captured then
    captured[#captured + 1] = line
  else
    io.stdout:write(line, "\n")
  end
end

local function num(x)
  return ("%.17g"):format(x)
end

-- x as a C99 hex float (sign, 0x1.<13 hex digits, trailing zeros dropped>
-- p<exponent>; subnormals 0x0.<...>p-1022), computed here rather than by the
-- C library's %a, whose spelling differs between libraries. Arithmetic only
-- (no string.pack, no bit operators): it also runs on Lua 5.1 and LuaJIT.
local function hexfloat(x)
  if x ~= x then return "nan" end
  if x == math.huge then return "inf" end
  if x == -math.huge then return "-inf" end
  local sign = (x < 0 or 1 / x < 0) and "-" or ""
  local m, e = math.abs(x), 0
  if m == 0 then return sign .. "0x0p+0" end
  while m >= 2 do m, e = m / 2, e + 1 end -- exact: powers of two
  while m < 1 and e > -1022 do m, e = m * 2, e - 1 end
  local lead = m >= 1 and 1 or 0
  local frac, digits = m - lead, {}
  for i = 1, 13 do
    frac = frac * 16
    local d = math.floor(frac)
    digits[i] = ("%x"):format(d)
    frac = frac - d
  end
  local f = table.concat(digits):gsub("0+$", "")
  return ("%s0x%d%s%sp%s%d"):format(sign, lead, f ~= "" and "." or "", f, e < 0 and "-" or "+", math.abs(e))
end

-- Elementwise results and sums over elements (see the modes above).
local el = portable and hexfloat or num
local sum = portable and function(x) return ("%.10g"):format(x) end or num

-- Any value the module returns: a number, a nested table or a gr.array,
-- each number written by fmt.
local function show(v, fmt)
  if type(v) == "number" then return fmt(v) end
  if gr.is_array(v) then
    return ("%s (%s) %s"):format(v.dtype, table.concat(v.shape, ","), show(v:totable(), fmt))
  end
  local parts = {}
  for i = 1, #v do parts[i] = show(v[i], fmt) end
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
  e = tostring(e):gsub("^[^\n]-:%d+: ", "")
  if portable then e = e:gsub("%(more than %d+%)", "(more than <max>)") end
  return e
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
if not portable then say("isa", gr.isa(), "supported", table.concat(avail, ",")) end

-- One block of results under the instruction set isa.
local function block(isa)
  local prev = gr.set_isa(isa)

  local scalar = gr.new(0.0, 1.0, 0.01)
  local row = gr.new({ mean = { 0, 1, -2 }, std = { 1, 0.5, 2 }, weight = 0.3, fit_hyper = true })
  local grid = gr.new({ mean = { { 0 }, { 1 } }, std = { 1, 2, 3 }, weight = 1e-3,
    fit_hyper = true, log_mode = "per_element" })
  local wide = gr.new({ mean = 0.25, std = 0.75, weight = 2, fit_hyper = true })
  say("reg", tostring(scalar), "isa", portable and "(each)" or scalar:isa())
  say("reg", tostring(row))
  say("reg", tostring(grid))

  say("loss scalar vec", sum(scalar:loss(vec)), "grad", show(scalar:grad(vec), el))
  say("loss scalar 2.5", sum(scalar:loss(2.5)), "grad", show(scalar:grad(2.5), el))
  local l, g = row:loss_and_grad(mat)
  say("loss_and_grad row mat", sum(l), show(g, el))
  -- Hyper-gradients of hyperparameters smaller than x are sums over x.
  local hg = row:hyper_grad(mat)
  say("hyper_grad row mat mean", show(hg.mean, sum), "precision", show(hg.precision, sum), "weight", sum(hg.weight))
  l, g = grid:loss_and_grad(mat)
  say("loss_and_grad grid mat", sum(l), show(g, el))
  hg = grid:hyper_grad(mat)
  say("hyper_grad grid mat mean", show(hg.mean, sum), "precision", show(hg.precision, sum), "weight", sum(hg.weight))
  l, g = wide:loss_and_grad(f32)
  say("loss_and_grad wide f32", sum(l), show(g, el))
  l, g = wide:loss_and_grad(long)
  local gs = 0
  for i = 1, #g, 97 do gs = gs + g[i] end
  say("loss_and_grad wide long", sum(l), "grad[1]", el(g[1]), "grad[2053]", el(g[#g]), "every 97th sum", el(gs))
  hg = wide:hyper_grad(long)
  say("hyper_grad wide long mean", show(hg.mean, sum), "precision", show(hg.precision, sum), "weight", sum(hg.weight))
  -- Elementwise hyper-gradients: a hyperparameter of x's own shape.
  local elem = gr.new({ mean = { { 0.5, -1 }, { 2, 0 } }, std = { { 1, 2 }, { 0.25, 3 } }, weight = 0.7,
    fit_hyper = true })
  hg = elem:hyper_grad({ { 1, 1 }, { -1, 0.125 } })
  say("hyper_grad elementwise mean", show(hg.mean, el), "precision", show(hg.precision, el))

  -- Setters, then a gradient step on the hyperparameters.
  row.mean = { 0.1, 0.9, -1.9 }
  row.precision = { 2, 3, 0.5 }
  row.weight = 0.125
  say("after setters", tostring(row), "loss", sum(row:loss(mat)))

  -- Seeded draws: the same on every instruction set and platform.
  local s = gr.new({ mean = { 1, -1 }, std = { 0.5, 2 }, seed = 42 })
  say("sample seed 42", show(s:sample_init({ 3, 2 }), el))
  s:seed(2 ^ 40 + 3)
  say("sample seed 2^40+3", show(s:sample_init({ 2, 2 }), el))
  local big = s:sample_init({ 5000, 2 }, "array")
  local total, sq = 0, 0
  for i = 1, #big do total = total + big[i]; sq = sq + big[i] * big[i] end
  say("sample 10000 sum", el(total), "sum of squares", el(sq), "last", el(big[#big]))
  say("reset_value", show(s:reset_value(), el))

  -- Checkpoints: the bytes, and the draws that continue from them.
  local st = row:state()
  say("state", #st, hex(st))
  local q = gr.from_state(s:state())
  say("from_state draws", show(q:sample_init(2), el), show(s:sample_init(2), el))
  say("state round-trip", tostring(gr.from_state(st):state() == st), tostring(q:state() == s:state()))

  for _, r in ipairs({ scalar, row, grid, wide, elem, s, q }) do r:close() end
  gr.set_isa(prev)
end

if portable then
  -- The block of the first instruction set, and any other that differs.
  local first
  for _, isa in ipairs(avail) do
    captured = {}
    block(isa)
    local lines
    lines, captured = captured, nil
    if not first then
      first = lines
      say("== every instruction set")
      for _, line in ipairs(lines) do say(line) end
    else
      for i = 1, math.max(#first, #lines) do
        if lines[i] ~= first[i] then
          say(("== isa %s differs from %s at line %d: %s"):format(isa, avail[1], i, tostring(lines[i])))
        end
      end
    end
  end
else
  for _, isa in ipairs(avail) do
    say("== isa " .. isa)
    block(isa)
  end
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
