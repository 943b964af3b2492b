-- Fits a Gaussian prior's mean and precision to data with hyper_grad: the
-- maximum-likelihood Gaussian, whose answer is known in closed form (the
-- data's mean and 1 / variance) to check the fit against.
--
-- With weight = 0.5 and log_mode = "per_element", reg:loss(x) is the data's
-- negative log-likelihood under N(mean, 1/precision), up to a constant:
--     0.5 * (precision * sum (x_i - mean)^2 - n log precision)
-- and hyper_grad(x) gives its gradient in mean, precision and weight.
--
--   LUA_CPATH='./build/lua5.4/?.so' LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
--     lua5.4 examples/fit_hyper.lua            (or: npx gaussianreg-lua examples/fit_hyper.lua)
local gr = require("gaussianreg")

-- 500 values drawn from N(3, 0.5^2) with the module's seeded generator, as
-- a Lua table (so that hyper_grad answers with numbers: the gradients take
-- the form of the input).
local n = 500
local x = gr.new({ mean = 3, std = 0.5, seed = 11 }):sample_init(n)

local prior = gr.new({ mean = 0, std = 1, weight = 0.5, fit_hyper = true,
  log_mode = "per_element" })
print("start:  " .. tostring(prior))

-- Gradient steps scaled by the curvature (precision * n for the mean, n / 2
-- for log precision), so that a step size of 1 is a Newton step; log
-- precision keeps the precision positive.
local rate = 0.5
for step = 1, 60 do
  local g = prior:hyper_grad(x)
  local p = prior.precision
  prior.mean = prior.mean - rate * g.mean / (p * n)
  local du = rate * p * g.precision / (0.5 * n)
  prior.precision = p * math.exp(-math.max(-1, math.min(1, du)))
  if step % 10 == 0 then
    print(("step %2d: mean %.6f  std %.6f  loss %.6f"):format(
      step, prior.mean, 1 / math.sqrt(prior.precision), prior:loss(x)))
  end
end

-- The closed form, computed here from the values themselves.
local s = 0
for i = 1, n do s = s + x[i] end
local m = s / n
local v = 0
for i = 1, n do v = v + (x[i] - m) ^ 2 end
v = v / n
print(("closed form:  mean %.6f  std %.6f"):format(m, math.sqrt(v)))
print(("fitted:       mean %.6f  std %.6f"):format(prior.mean, 1 / math.sqrt(prior.precision)))
