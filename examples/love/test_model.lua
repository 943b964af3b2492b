-- examples/love/test_model.lua -- the LÖVE example's model (model.lua, the
-- code main.lua draws) under plain LuaJIT, without LÖVE: same keys, same
-- draws, same printed lines as `love examples/love --screenshot`.
--
--   luajit examples/love/test_model.lua      (from the repository root, with
--   LUA_CPATH pointing at build/luajit/?.so; `make test-love` does this)

package.path = "examples/love/?.lua;lua/?.lua;lua/?/init.lua;" .. package.path
local gr = require("gaussianreg")
local Model = require("model")

local checks = 0
local function check(cond, what)
  if not cond then error("check failed: " .. what, 2) end
  checks = checks + 1
end
local function near(a, b, tol, what)
  check(math.abs(a - b) <= tol, string.format("%s: %.17g vs %.17g", what, a, b))
end

-- The distribution function against known quantiles.
near(Model.cdf(0, 0, 1), 0.5, 1e-7, "cdf(0)")
near(Model.cdf(1.959963984540054, 0, 1), 0.975, 2e-7, "cdf(1.96)")
near(Model.cdf(-1, 2, 3), 0.15865525393145707, 2e-7, "cdf(-1; 2, 3)")

-- Keys.
local m = Model.new(gr)
check(m.mean == 0 and m.std == 1 and m.weight == 0.1, "defaults")
near(m.loss, m:reference_loss(), 1e-12 * math.abs(m.loss), "default loss")
check(m:keypressed("x") == false, "an unknown key does nothing")
check(m:keypressed("left") and m.std == 0.8, "left divides the std by 1.25")
check(m:keypressed("down") and m.mean == -0.25, "down lowers the mean")
check(m:keypressed("r") and m.mean == 0 and m.std == 1, "r resets")
for _, k in ipairs({"up", "up", "right"}) do m:keypressed(k) end
check(m.mean == 0.5 and m.std == 1.25, "up, up, right: N(0.5, 1.25^2)")
near(m.loss, m:reference_loss(), 1e-12 * math.abs(m.loss),
     "probe loss against the formula")

-- Eight frames of draws, as the screenshot mode renders.
for _ = 1, 8 do m:step() end
check(m.n == 40000, "8 frames give 40000 draws")
local total = m.outside
for i = 1, Model.NBINS do total = total + m.counts[i] end
check(total == m.n, "every draw is counted once")
check(m.outside <= 20, "about 2.5 draws expected beyond 4 std, got " .. m.outside)
local mu, sd = m:moments()
near(mu, 0.5, 6 * 1.25 / math.sqrt(m.n), "sample mean")
near(sd, 1.25, 6 * 1.25 / math.sqrt(2 * m.n), "sample std")
local chi2, dof = m:chi2()
check(dof >= 30, "enough bins in the chi-square")
check(chi2 < dof + 6 * math.sqrt(2 * dof),
      string.format("chi2 %.2f with %d dof", chi2, dof))

-- A new seed gives other draws; the same seed the same ones.
local again = Model.new(gr, {mean = 0.5, std = 1.25})
again:step()
local first = Model.new(gr, {mean = 0.5, std = 1.25})
first:step()
check(again.sum == first.sum, "same seed, same draws")
again:keypressed("space")
again:step()
check(again.sum ~= first.sum, "space: another seed, other draws")

-- The lines the LÖVE screenshot mode prints, for make test-love to compare.
print(string.format("model: loss(probe)=%.17g", m.loss))
print(string.format("model: draws=%d sample_mean=%.6f sample_std=%.6f chi2=%.3f dof=%d",
                    m.n, mu, sd, chi2, dof))
print(string.format("model: %d checks passed under %s", checks,
                    jit and jit.version or _VERSION))
