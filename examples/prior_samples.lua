-- Draws from a Gaussian prior, and their moments against the prior's own.
-- sample_init(shape) is mean + std * N(0, 1) with the module's seeded
-- generator: the same draws on every platform and instruction set.
--
--   LUA_CPATH='./build/lua5.4/?.so' LUA_PATH='./lua/?.lua;./lua/?/init.lua' \
--     lua5.4 examples/prior_samples.lua        (or: npx gaussianreg-lua examples/prior_samples.lua)
local gr = require("gaussianreg")

local mean, std = { 0, 2, -1 }, { 1, 0.5, 3 }
local prior = gr.new({ mean = mean, std = std, seed = 7 })
local N, K = 20000, #mean

-- N rows of K weights (row-major): draw k of row i is draws[(i - 1) * K + k].
local draws = prior:sample_init({ N, K }, "array")
print(("%d draws of %s"):format(N, tostring(prior)))
print("weight   mean (prior)        std (prior)      skewness  excess kurtosis")
for k = 1, K do
  local s1, s2, s3, s4 = 0, 0, 0, 0
  for i = 1, N do s1 = s1 + draws[(i - 1) * K + k] end
  local m = s1 / N
  for i = 1, N do
    local d = draws[(i - 1) * K + k] - m
    s2 = s2 + d * d
    s3 = s3 + d * d * d
    s4 = s4 + d * d * d * d
  end
  local var = s2 / N
  print(("w%d     %8.4f (%5.2f)   %8.4f (%5.2f)   %8.4f   %8.4f"):format(
    k, m, mean[k], math.sqrt(var), std[k], s3 / N / var ^ 1.5, s4 / N / (var * var) - 3))
end
-- A normal sample's mean is off by about std/sqrt(N), its skewness by
-- sqrt(6/N) and its excess kurtosis by sqrt(24/N).
print(("standard errors: mean %.4f * std, skewness %.4f, kurtosis %.4f"):format(
  1 / math.sqrt(N), math.sqrt(6 / N), math.sqrt(24 / N)))

-- The same seed gives the same draws; reseeding restarts the sequence.
prior:seed(7)
local again = prior:sample_init({ 2, K })
print(("first row again: %.6f %.6f %.6f (was %.6f %.6f %.6f)"):format(
  again[1][1], again[1][2], again[1][3], draws[1], draws[2], draws[3]))
