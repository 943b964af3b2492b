-- MAP linear regression with a Gaussian prior on the weights, then the
-- prior's own hyperparameters fitted from the weights (empirical Bayes).
--
--   make example     (or: LUA_CPATH='./build/lua5.4/?.so' \
--                     LUA_PATH='./lua/?.lua;./lua/?/init.lua' lua5.4 examples/map_regression.lua)
--
-- Model: y = X w + e, e ~ N(0, sigma^2). Prior: w_j ~ N(mu, s^2), one mu and
-- one s shared by all weights. The objective of w is
--     J(w) = sum_i (y_i - x_i.w)^2 / (2 sigma^2) + reg:loss(w)
-- and with weight = 0.5 and log_mode = "per_element", reg:loss(w) is exactly
-- the prior's negative log density (up to a constant):
--     0.5 * (sum_j prec (w_j - mu)^2 - n_w log prec),  prec = 1/s^2.
local gr = require("gaussianreg")

local N, D, SIGMA = 200, 8, 0.5
local w_true = { 1.5, -2.0, 0.8, 0.0, 0.3, -0.7, 0.0, 1.1 }

-- Data, drawn with the module's own seeded sampler.
local X = gr.new({ mean = 0, std = 1, seed = 1 }):sample_init({ N, D }, "array")
local noise = gr.new({ mean = 0, std = SIGMA, seed = 2 }):sample_init(N, "array")
local y = {}
for i = 1, N do
  local s = noise[i]
  for j = 1, D do s = s + X[(i - 1) * D + j] * w_true[j] end
  y[i] = s
end

-- Data term and its gradient: sum r^2 / (2 sigma^2), r = Xw - y.
local function data_term(w)
  local f, g = 0, {}
  for j = 1, D do g[j] = 0 end
  for i = 1, N do
    local r = -y[i]
    local row = (i - 1) * D
    for j = 1, D do r = r + X[row + j] * w[j] end
    f = f + r * r
    for j = 1, D do g[j] = g[j] + X[row + j] * r end
  end
  for j = 1, D do g[j] = g[j] / (SIGMA * SIGMA) end
  return f / (2 * SIGMA * SIGMA), g
end

-- A deliberately strong, badly centred starting prior: mean 1, std 0.1.
local prior = gr.new({ mean = 1.0, std = 0.1, weight = 0.5, fit_hyper = true,
  log_mode = "per_element" })

local function fit_weights(w, steps, lr)
  local J
  for _ = 1, steps do
    local f, gf = data_term(w)
    local r, gr_ = prior:loss_and_grad(w) -- one pass: loss and d/dw
    J = f + r
    for j = 1, D do w[j] = w[j] - lr * (gf[j] + gr_[j]) end
  end
  return J
end

-- Gradient steps on the prior's mean and log(precision), each scaled by
-- its curvature (p*n for the mean, about n/2 for log precision) so that one
-- step size suits any starting prior; log(precision) keeps it positive.
local function fit_prior(w, steps, rate)
  for _ = 1, steps do
    local hg = prior:hyper_grad(w)
    local p = prior.precision
    prior.mean = prior.mean - rate * hg.mean / (p * D)
    local du = rate * p * hg.precision / (0.5 * D)
    du = math.max(-1, math.min(1, du))
    prior.precision = p * math.exp(-du)
  end
end

local function fmt(t)
  local parts = {}
  for j = 1, #t do parts[j] = ("%6.3f"):format(t[j]) end
  return table.concat(parts, " ")
end

local function std_of(p) return 1 / math.sqrt(p) end

print(("gaussianreg %s, kernels: %s"):format(gr._VERSION, gr.isa()))
print(("data: %d samples, %d features, noise std %.2f"):format(N, D, SIGMA))
print("starting prior: " .. tostring(prior))

local w = {}
for j = 1, D do w[j] = 0 end
local J = fit_weights(w, 400, 1e-3)
print(("\n1) MAP weights under the starting prior (objective %.3f):"):format(J))
print("   true  " .. fmt(w_true))
print("   MAP   " .. fmt(w))

-- Empirical Bayes: alternate the weights and the prior's mean and precision.
for _ = 1, 20 do
  fit_prior(w, 50, 0.3)
  J = fit_weights(w, 100, 1e-3)
end
print(("\n2) after fitting the prior's hyperparameters (objective %.3f):"):format(J))
print("   true  " .. fmt(w_true))
print("   MAP   " .. fmt(w))

local m, v = 0, 0
for j = 1, D do m = m + w[j] end
m = m / D
for j = 1, D do v = v + (w[j] - m) ^ 2 end
v = v / D
print(("   learned prior: mean %.4f, std %.4f"):format(prior.mean, std_of(prior.precision)))
print(("   the weights' own mean %.4f, std %.4f (the fixed point of the prior fit)"):format(m, math.sqrt(v)))
print("   prior now: " .. tostring(prior))

local err = 0
for j = 1, D do err = err + (w[j] - w_true[j]) ^ 2 end
print(("   weight error |w - w_true| = %.4f"):format(math.sqrt(err)))
-- At the fixed point the hyper-gradient is zero up to rounding, and the
-- rounding residue (a sum's last bits) depends on the kernels' summation
-- order: shown as 0 below 1e-9, so that every build prints the same.
local function near0(g)
  return math.abs(g) < 1e-9 and "0 (< 1e-9)" or ("%.2e"):format(g)
end
local hg = prior:hyper_grad(w)
print(("   hyper-gradient at the end: d/dmean %s, d/dprecision %s"):format(near0(hg.mean), near0(hg.precision)))
