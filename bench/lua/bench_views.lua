-- make bench-lua (LuaJIT part): the module on views of LuaJIT FFI buffers
-- against pure-LuaJIT loops over the same buffers, n = 1e6, and grad with
-- out= against grad allocating its result. Ratios measured in the same run
-- (time of the reference / time of the module).
local gr = require("gaussianreg")
local ffi = require("ffi")

local N = tonumber(os.getenv("GAUSSREG_BENCH_N") or "") or 1000000
local W, PEPS = 0.01, 1e-6

package.path = "./bench/lua/?.lua;" .. package.path
local time = require("timing").time

-- KB the Lua heap grows per call of f, the collector stopped.
local function heap_per_call(f, calls)
  f()
  collectgarbage("collect")
  collectgarbage("collect")
  local kb0 = collectgarbage("count")
  collectgarbage("stop")
  for _ = 1, calls do f() end
  local kb = collectgarbage("count") - kb0
  collectgarbage("restart")
  collectgarbage("collect")
  return kb / calls
end

local x, m, p = ffi.new("double[?]", N), ffi.new("double[?]", N), ffi.new("double[?]", N)
local g = ffi.new("double[?]", N)
local std = ffi.new("double[?]", N)
do
  local u = gr.new({ mean = 0, std = 1, seed = 11 }):sample_init(N, "array")
  for i = 0, N - 1 do
    x[i] = u[i + 1]
    m[i] = 0.1 * (i % 7)
    std[i] = 0.5 + 0.1 * (i % 5)
    p[i] = 1 / (std[i] * std[i] + 1e-8)
  end
end
local xv, gv = gr.view(x, N), gr.view(g, N)
local scalar = gr.new(0.2, 0.7, W)
local elem = gr.new(gr.view(m, N), gr.view(std, N), W)
local sp = 1 / (0.7 * 0.7 + 1e-8) + PEPS
local log = math.log

-- Pure LuaJIT over the same FFI buffers.
local function jit_loss_scalar()
  local acc = 0
  for i = 0, N - 1 do
    local d = x[i] - 0.2
    acc = acc + d * d
  end
  return W * (sp * acc - log(sp))
end
local function jit_loss_elem()
  local acc = 0
  for i = 0, N - 1 do
    local pe = p[i] + PEPS
    local d = x[i] - m[i]
    acc = acc + pe * d * d - log(pe)
  end
  return W * acc
end
local function jit_grad_scalar()
  local c = 2 * W * sp
  for i = 0, N - 1 do g[i] = c * (x[i] - 0.2) end
  return g
end
local function jit_grad_elem()
  for i = 0, N - 1 do g[i] = 2 * W * (p[i] + PEPS) * (x[i] - m[i]) end
  return g
end

-- The results agree before anything is timed.
local function check(a, b, what)
  assert(math.abs(a - b) <= 1e-9 * math.abs(b), what .. ": module and pure LuaJIT disagree")
end
check(scalar:loss(xv), jit_loss_scalar(), "loss scalar")
check(elem:loss(xv), jit_loss_elem(), "loss per-element")
jit_grad_elem()
local want = g[N - 1]
elem:grad(xv, gv)
check(g[N - 1], want, "grad per-element")

local met, rows = 0, 0
local function row(name, ref_name, ref, fast, goal)
  local tr, tf = time(ref), time(fast)
  local ratio = tr / tf
  rows = rows + 1
  if ratio >= goal then met = met + 1 end
  print(("%-44s %s %8.2f ms  module %8.2f ms  ratio %6.1fx  (goal >= %gx)%s"):format(
    name, ref_name, tr * 1e3, tf * 1e3, ratio, goal, ratio >= goal and "" or "  BELOW GOAL"))
end

print(("gaussianreg %s bench on FFI views, n = %d, %s, kernels %s"):format(
  gr._VERSION, N, jit and jit.version or _VERSION, gr.isa()))
row("loss, FFI view, scalar prior", "LuaJIT loop", jit_loss_scalar, function() return scalar:loss(xv) end, 5)
row("loss, FFI view, per-element prior", "LuaJIT loop", jit_loss_elem, function() return elem:loss(xv) end, 5)
row("grad out= FFI view, scalar prior", "LuaJIT loop", jit_grad_scalar,
  function() return scalar:grad(xv, gv) end, 3)
row("grad out= FFI view, per-element prior", "LuaJIT loop", jit_grad_elem,
  function() return elem:grad(xv, gv) end, 3)

-- grad with out= against grad allocating a new gr.array each call.
local alloc = function() return elem:grad(xv) end
local into = function() return elem:grad(xv, gv) end
row("grad out= vs allocating, per-element prior", "allocating ", alloc, into, 1)
local kb_alloc, kb_out = heap_per_call(alloc, 20), heap_per_call(into, 2000)
print(("%-44s allocating %9.1f KB/call  out= %9.4f KB/call  (goal: out= 0)%s"):format(
  "Lua heap growth per grad call", kb_alloc, kb_out, kb_out < 0.01 and "" or "  ABOVE GOAL"))
print(("%d of %d ratios meet their goal"):format(met, rows))
