-- bench_wasm.lua -- the same script under native Lua 5.4 and under Lua 5.4
-- in WebAssembly (gaussianreg-lua); wasm/bench/bench.js (make bench-js)
-- runs it both ways and reports the ratios. n = 1e6 values:
--
--   loss and grad (into out=) on a gr.array, by the module
--   the same loss and grad as idiomatic pure-Lua loops over a Lua table
--
-- Prints one line per timing, "<name> <seconds per call>", from os.clock
-- (CPU time), best of 3 rounds each at least 0.2 s long after a warm-up.
local gr = require("gaussianreg")

local N = tonumber((...)) or 1000000
local MEAN, STD, W = 0.25, 1.3, 0.01
local PREC = 1 / (STD * STD + 1e-8) + 1e-6

package.path = "./bench/lua/?.lua;" .. package.path
local time_floor = require("timing").time
local function time(f) return time_floor(f, 0.2) end

local x = {}
for i = 1, N do x[i] = math.sin(i) * 3 end
local xa = gr.array(x)
local out = gr.array(N)
local g = {}
local reg = gr.new({ mean = MEAN, std = STD, weight = W })
local log = math.log

local function lua_loss()
  local acc = 0
  for i = 1, N do
    local d = x[i] - MEAN
    acc = acc + d * d
  end
  return W * (PREC * acc - log(PREC))
end

local function lua_grad()
  local k = 2 * W * PREC
  for i = 1, N do g[i] = k * (x[i] - MEAN) end
  return g
end

-- The same computation both ways (to 1e-9: summation orders differ).
local a, b = reg:loss(xa), lua_loss()
assert(math.abs(a - b) <= 1e-9 * math.abs(b), ("loss %.17g vs %.17g"):format(a, b))
reg:grad(xa, out)
lua_grad()
assert(math.abs(out[N] - g[N]) <= 1e-12 * math.abs(g[N]), "grad")

print("isa " .. gr.isa())
print(("loss_module %.9g"):format(time(function() return reg:loss(xa) end)))
print(("grad_module %.9g"):format(time(function() return reg:grad(xa, out) end)))
print(("loss_lua %.9g"):format(time(lua_loss)))
print(("grad_lua %.9g"):format(time(lua_grad)))
