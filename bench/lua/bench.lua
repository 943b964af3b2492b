-- make bench-lua: the module against idiomatic pure-Lua loops, n = 1e6, as
-- ratios measured in the same run (time of pure Lua / time of the module).
local gr = require("gaussianreg")

local N = tonumber(os.getenv("GAUSSREG_BENCH_N") or "") or 1000000
local W, PEPS = 0.01, 1e-6

package.path = "./bench/lua/?.lua;" .. package.path
local time = require("timing").time

local x, m, s = {}, {}, {}
do
  local u = gr.new({ mean = 0, std = 1, seed = 11 }):sample_init(N, "array")
  for i = 1, N do
    x[i] = u[i]
    m[i] = 0.1 * (i % 7)
    s[i] = 0.5 + 0.1 * (i % 5)
  end
end
local xa = gr.array(x)
local p = {}
for i = 1, N do p[i] = 1 / (s[i] * s[i] + 1e-8) end

local scalar = gr.new(0.2, 0.7, W)
local elem = gr.new(gr.array(m), gr.array(s), W)
local sp = 1 / (0.7 * 0.7 + 1e-8) + PEPS
local log = math.log

-- Pure Lua references.
local function lua_loss_scalar()
  local acc = 0
  for i = 1, N do
    local d = x[i] - 0.2
    acc = acc + d * d
  end
  return W * (sp * acc - log(sp))
end
local function lua_loss_elem()
  local acc = 0
  for i = 1, N do
    local pe = p[i] + PEPS
    local d = x[i] - m[i]
    acc = acc + pe * d * d - log(pe)
  end
  return W * acc
end
local function lua_grad_scalar()
  local g, c = {}, 2 * W * sp
  for i = 1, N do g[i] = c * (x[i] - 0.2) end
  return g
end
local function lua_grad_elem()
  local g = {}
  for i = 1, N do g[i] = 2 * W * (p[i] + PEPS) * (x[i] - m[i]) end
  return g
end
local function lua_box_muller()
  local out, sqrt, cos, sin, rnd, pi2 = {}, math.sqrt, math.cos, math.sin, math.random, 2 * math.pi
  for i = 1, N, 2 do
    local r = sqrt(-2 * log(1 - rnd()))
    local t = pi2 * rnd()
    out[i] = 0.2 + 0.7 * r * cos(t)
    if i < N then out[i + 1] = 0.2 + 0.7 * r * sin(t) end
  end
  return out
end

-- The results agree before anything is timed.
local function check(a, b, what)
  assert(math.abs(a - b) <= 1e-9 * math.abs(b), what .. ": module and pure Lua disagree")
end
check(scalar:loss(x), lua_loss_scalar(), "loss scalar")
check(elem:loss(xa), lua_loss_elem(), "loss per-element")
check(scalar:grad(xa)[N], lua_grad_scalar()[N], "grad scalar")
check(elem:grad(x)[N], lua_grad_elem()[N], "grad per-element")

local rows = {}
local function row(name, ref, fast, goal)
  local tr, tf = time(ref), time(fast)
  local ratio = tr / tf
  rows[#rows + 1] = ratio >= goal
  print(("%-38s pure Lua %8.2f ms  module %8.2f ms  ratio %7.1fx  (goal >= %gx)%s"):format(
    name, tr * 1e3, tf * 1e3, ratio, goal, ratio >= goal and "" or "  BELOW GOAL"))
end

print(("gaussianreg %s bench, n = %d, %s, kernels %s"):format(gr._VERSION, N, _VERSION, gr.isa()))
row("loss, table, scalar prior", lua_loss_scalar, function() return scalar:loss(x) end, 1)
row("loss, table, per-element prior", lua_loss_elem, function() return elem:loss(x) end, 5)
row("loss, gr.array, scalar prior", lua_loss_scalar, function() return scalar:loss(xa) end, 40)
row("loss, gr.array, per-element prior", lua_loss_elem, function() return elem:loss(xa) end, 40)
row("grad, table, scalar prior", lua_grad_scalar, function() return scalar:grad(x) end, 1)
row("grad, table, per-element prior", lua_grad_elem, function() return elem:grad(x) end, 1)
row("grad, gr.array, scalar prior", lua_grad_scalar, function() return scalar:grad(xa) end, 40)
row("grad, gr.array, per-element prior", lua_grad_elem, function() return elem:grad(xa) end, 40)
local sampler = gr.new({ mean = 0.2, std = 0.7, seed = 1 })
row("sample_init into gr.array vs Box-Muller", lua_box_muller,
  function() return sampler:sample_init(N, "array") end, 8)
local below = 0
for i = 1, #rows do if not rows[i] then below = below + 1 end end
print(("%d of %d ratios meet their goal"):format(#rows - below, #rows))
