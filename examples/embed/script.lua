-- examples/embed/script.lua -- the game-script side of the embedding example.
-- Runs on Lua 5.4, Lua 5.1 and LuaJIT (the host is built for each).
--
-- The host (embed.c) linked gaussianreg.core into its executable, registered
-- it with luaL_requiref, compiled the facade lua/gaussianreg/init.lua into the
-- executable as package.preload.gaussianreg, and removed the C searchers: this
-- script can load nothing native from disk. Every number it prints is checked
-- against the reference vectors or an oracle written here in plain Lua.

local gr = require("gaussianreg")
-- The host's argument: {weights = view, grad = view} of its own buffers,
-- and weights_ptr, the weights' address as a light userdata.
local host = ...

local checks = 0
local function check(cond, what)
  if not cond then error("check failed: " .. what, 2) end
  checks = checks + 1
end
local function near(a, b, rel, what)
  local m = math.max(math.abs(a), math.abs(b), 1e-300)
  check(math.abs(a - b) <= rel * m,
        string.format("%s: %.17g vs %.17g", what, a, b))
end

check(package.loaded["gaussianreg.core"] ~= nil,
      "gaussianreg.core was registered by the host")
local searchers = package.searchers or package.loaders -- luacheck: ignore 143
check(searchers[3] == nil and searchers[4] == nil,
      "the host removed the C searchers (no dlopen)")

-- The oracle: the reference formula for a flat value against a scalar or
-- per-element prior, one log term per precision element.
local function prec_of(std)
  local p = 1 / (std * std + 1e-8)
  return math.max(p, 0) + 1e-6
end
local function oracle_loss(x, mean, std, weight)
  local quad, logs = 0, 0
  for i = 1, #x do
    local m = type(mean) == "table" and mean[i] or mean
    local s = type(std) == "table" and std[i] or std
    quad = quad + prec_of(s) * (x[i] - m) ^ 2
  end
  if type(std) == "table" then
    for i = 1, #std do logs = logs + math.log(prec_of(std[i])) end
  else
    logs = math.log(prec_of(std))
  end
  return weight * (quad - logs)
end

-- 1. The brainstate example and a per-element prior (reference vectors).
local reg = gr.GaussianReg(0.0, 1.0, 0.01)
check(tostring(reg) == "GaussianReg(mean=0, std=1, weight=0.01, fit_hyper=false)",
      "tostring: " .. tostring(reg))
local loss, grad = reg:loss_and_grad({0.5, -0.5})
near(loss, 0.0049999950500049, 1e-12, "seed_example loss")
near(grad[1], 0.010000009900000002, 1e-12, "seed_example grad[1]")
near(grad[2], -0.010000009900000002, 1e-12, "seed_example grad[2]")
print(string.format("lua: GaussianReg(0, 1, 0.01):loss({0.5, -0.5}) = %.17g", loss))

local vec = gr.new{mean = {0, 1}, std = {1, 2}, weight = 1}
near(vec:loss({0.3, 1.7}), 1.5987899524221205, 1e-12, "array_mean_std loss")
near(vec:loss({0.3, 1.7}), oracle_loss({0.3, 1.7}, {0, 1}, {1, 2}, 1), 1e-12,
     "array_mean_std loss vs oracle")

-- 2. What an engine script does with it: fit 8 weights to targets under the
--    prior by gradient descent, starting from sample_init. The optimum is
--    known in closed form: w_i = (t_i + weight*prec*m) / (1 + weight*prec).
local prior = gr.new{mean = 0.25, std = 0.5, weight = 0.5, seed = 2024}
local targets = {1.5, -2.0, 0.75, 3.0, -0.5, 0.0, 2.25, -1.25}
local w = prior:sample_init(#targets)
check(#w == #targets, "sample_init(8) gives 8 weights")
for _ = 1, 400 do
  local _, g = prior:loss_and_grad(w)
  for i = 1, #w do
    w[i] = w[i] - 0.05 * (2 * (w[i] - targets[i]) + g[i])
  end
end
local k = 0.5 * prec_of(0.5)
for i = 1, #w do
  near(w[i], (targets[i] + k * 0.25) / (1 + k), 1e-9, "MAP weight " .. i)
end
print(string.format("lua: MAP fit of 8 weights under N(0.25, 0.5^2): w[1] = %.12f", w[1]))

-- 3. Seeds and checkpoints: the same seed or a restored state replays draws.
prior:seed(7)
local a = prior:sample_init({2, 3})
prior:seed(7)
local b = prior:sample_init({2, 3})
check(#a == 2 and #a[1] == 3, "sample_init({2, 3}) is a 2x3 nested table")
for i = 1, 2 do
  for j = 1, 3 do check(a[i][j] == b[i][j], "reseeded draw " .. i .. "," .. j) end
end
local state = prior:state()
check(type(state) == "string", "state() is a string")
local before = prior:sample_init(5)
local restored = gr.from_state(state)
local after = restored:sample_init(5)
for i = 1, 5 do check(before[i] == after[i], "restored draw " .. i) end
near(restored:loss(targets), prior:loss(targets), 0, "restored loss")
print(string.format("lua: checkpoint of %d bytes replays the generator", #state))

-- 4. Errors are Lua errors naming the function and the problem.
local ok, err = pcall(function() local r = vec:loss({1, 2, 3}) return r end)
check(not ok and tostring(err):find("bad argument #1 to 'loss' (shape (3) "
                                    .. "does not broadcast with mean shape (2))",
                                    1, true) ~= nil,
      "shape error: " .. tostring(err))
print("lua: error as expected: " .. tostring(err))

-- 5. Lua 5.4 to-be-closed objects release their C memory deterministically
--    (compiled from a string: older Lua versions cannot parse <close>).
if _VERSION == "Lua 5.4" then
  local scoped = assert(load([[
    local gr, near, prec_of = ...
    local scratch <close> = gr.new{mean = {1, 2, 3}, std = 2}
    near(scratch:loss({1, 2, 3}), -math.log(prec_of(2)), 1e-12,
         "loss at the mean is the log term alone")
    return scratch
  ]]))
  check(tostring(scoped(gr, near, prec_of)) == "GaussianReg(closed)",
        "a <close> regularizer is closed at the end of its scope")
end

-- 6. The host's own memory: it passed views of its float32 weight buffer and
--    float64 gradient buffer. The script draws the initial weights into the
--    host's buffer and trains them in place -- grad(w, out) writes into the
--    gradient view -- with no copy and no allocation per step (checked with
--    the collector stopped). The host then reads the weights it owns.
if host then
  local wv, gv = host.weights, host.grad
  check(gr.is_array(wv) and tostring(wv) == "gaussianreg.array(float32, (8), view)",
        "the host's weights arrive as a float32 view: " .. tostring(wv))
  check(prior:sample_init(#targets, wv) == wv, "sample_init(n, out) returns out")
  collectgarbage("collect")
  local kb0 = collectgarbage("count")
  collectgarbage("stop")
  for _ = 1, 400 do
    prior:grad(wv, gv)
    for i = 1, #targets do
      wv[i] = wv[i] - 0.05 * (2 * (wv[i] - targets[i]) + gv[i])
    end
  end
  local grew = collectgarbage("count") - kb0
  collectgarbage("restart")
  -- (LuaJIT counts its compiled traces in the heap: a few KB, once)
  check(grew < 16, ("400 training steps on views allocated %.2f KB"):format(grew))
  for i = 1, #targets do
    near(wv[i], (targets[i] + k * 0.25) / (1 + k), 1e-6, "host weight " .. i)
  end
  -- The same memory seen through gr.view and the host's raw address.
  local lv = gr.view(host.weights_ptr, #targets, "float32")
  check(tostring(lv) == "gaussianreg.array(float32, (8), view)", "gr.view of a light userdata")
  for i = 1, #targets do check(lv[i] == wv[i], "one buffer, two views: " .. i) end
  local keep = lv[1]
  lv[1] = 42
  check(wv[1] == 42, "a write through one view shows in the other")
  lv[1] = keep
  print(string.format("lua: trained the host's float32 buffer in place, "
                      .. "heap growth %.2f KB over 400 steps", grew))
end

print(string.format("lua: %d checks passed", checks))
return checks
