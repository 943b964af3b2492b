-- examples/love/model.lua -- everything the LÖVE example computes, without
-- any drawing: the prior (a gaussianreg.GaussianReg), the keys that change
-- it, the histogram of its sample_init draws, the prior's density and a
-- chi-square comparison of the two. main.lua draws it; test_model.lua runs
-- the same code under plain LuaJIT.

local Model = {}
Model.__index = Model

Model.NBINS = 48          -- histogram bins over mean +- 4 std
Model.BATCH = 5000        -- draws added per frame
Model.MAX_DRAWS = 2000000 -- the histogram stops growing here
Model.DEFAULTS = {mean = 0, std = 1, weight = 0.1, seed = 2024}
-- A fixed vector whose loss under the current prior is displayed: what the
-- regularizer would add to a training loss for these four weights.
Model.PROBE = {-1.0, 0.0, 0.5, 2.0}

local sqrt, exp, log, abs = math.sqrt, math.exp, math.log, math.abs

-- erf, Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): enough for expected
-- bin counts (LuaJIT has no math.erf).
local function erf(x)
  local s = x < 0 and -1 or 1
  x = abs(x)
  local t = 1 / (1 + 0.3275911 * x)
  local y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t
                 - 0.284496736) * t + 0.254829592) * t * exp(-x * x)
  return s * y
end

-- The normal density and distribution function of the prior.
function Model.density(x, mean, std)
  local z = (x - mean) / std
  return exp(-0.5 * z * z) / (std * sqrt(2 * math.pi))
end
function Model.cdf(x, mean, std)
  return 0.5 * (1 + erf((x - mean) / (std * sqrt(2))))
end

-- gr: the gaussianreg module; opts: mean, std, weight, seed (DEFAULTS).
function Model.new(gr, opts)
  opts = opts or {}
  local self = setmetatable({gr = gr}, Model)
  for k, v in pairs(Model.DEFAULTS) do
    if opts[k] ~= nil then self[k] = opts[k] else self[k] = v end
  end
  self:rebuild()
  return self
end

-- A new regularizer for the current parameters and an empty histogram.
function Model:rebuild()
  self.reg = self.gr.new{mean = self.mean, std = self.std,
                         weight = self.weight, seed = self.seed}
  self.lo = self.mean - 4 * self.std
  self.hi = self.mean + 4 * self.std
  self.width = (self.hi - self.lo) / Model.NBINS
  self.counts = {}
  for i = 1, Model.NBINS do self.counts[i] = 0 end
  self.n, self.outside, self.sum, self.sumsq = 0, 0, 0, 0
  self.loss = self.reg:loss(Model.PROBE)
end

-- Keys: up/down move the mean by 0.25, right/left scale the std by 1.25,
-- space draws from a new seed, r restores the defaults. Returns true when
-- the key did something.
function Model:keypressed(key)
  if key == "up" then
    self.mean = self.mean + 0.25
  elseif key == "down" then
    self.mean = self.mean - 0.25
  elseif key == "right" then
    self.std = self.std * 1.25
  elseif key == "left" then
    self.std = self.std / 1.25
  elseif key == "space" then
    self.seed = self.seed + 1
  elseif key == "r" then
    for k, v in pairs(Model.DEFAULTS) do self[k] = v end
  else
    return false
  end
  self:rebuild()
  return true
end

-- One frame: BATCH more draws from sample_init into the histogram.
function Model:step()
  if self.n >= Model.MAX_DRAWS then return end
  local xs = self.reg:sample_init(Model.BATCH)
  local counts, lo, width, nb = self.counts, self.lo, self.width, Model.NBINS
  local sum, sumsq, outside = self.sum, self.sumsq, self.outside
  for i = 1, #xs do
    local x = xs[i]
    local b = math.floor((x - lo) / width) + 1
    if b >= 1 and b <= nb then
      counts[b] = counts[b] + 1
    else
      outside = outside + 1
    end
    sum = sum + x
    sumsq = sumsq + x * x
  end
  self.n = self.n + #xs
  self.sum, self.sumsq, self.outside = sum, sumsq, outside
end

-- Sample mean and standard deviation of the draws so far.
function Model:moments()
  if self.n < 2 then return 0 / 0, 0 / 0 end
  local m = self.sum / self.n
  local var = (self.sumsq - self.n * m * m) / (self.n - 1)
  return m, sqrt(math.max(var, 0))
end

-- Expected count of bin i under the prior.
function Model:expected(i)
  local a = self.lo + (i - 1) * self.width
  return self.n * (Model.cdf(a + self.width, self.mean, self.std)
                   - Model.cdf(a, self.mean, self.std))
end

-- Pearson's chi-square of the histogram against the prior, over the bins
-- expecting at least 5 draws; returns the statistic and its degrees of
-- freedom (bins used - 1).
function Model:chi2()
  local stat, used = 0, 0
  for i = 1, Model.NBINS do
    local e = self:expected(i)
    if e >= 5 then
      stat = stat + (self.counts[i] - e) ^ 2 / e
      used = used + 1
    end
  end
  return stat, used - 1
end

-- The reference loss of the probe, from the formula (an oracle for tests).
function Model:reference_loss()
  local p = math.max(1 / (self.std * self.std + 1e-8), 0) + 1e-6
  local quad = 0
  for _, x in ipairs(Model.PROBE) do quad = quad + p * (x - self.mean) ^ 2 end
  return self.weight * (quad - log(p))
end

return Model
