-- Gradients and hyper-gradients against central finite differences of loss.
local H = require("spec.helpers")
local gr = H.gr

local h = 1e-6

local function fd_check(label, f, x, g)
  -- x: flat list (perturbed in place); g: flat analytic gradient
  for i = 1, #x do
    local keep = x[i]
    x[i] = keep + h
    local up = f()
    x[i] = keep - h
    local down = f()
    x[i] = keep
    local num = (up - down) / (2 * h)
    H.near(g[i], num, 1e-6, 1e-7, label .. " d/d" .. i)
  end
end

local cases = {
  { name = "vector value, vector prior", x = { 4 }, m = { 4 }, s = { 4 } },
  { name = "matrix value, row prior", x = { 3, 4 }, m = { 4 }, s = {} },
  { name = "scalar value, vector prior (summed grad)", x = {}, m = { 5 }, s = { 5 } },
  { name = "value stretched on both sides", x = { 1, 3 }, m = { 2, 1 }, s = { 3 } },
  { name = "rank-3", x = { 2, 2, 3 }, m = { 2, 1, 3 }, s = { 1, 2, 1 } },
}

describe("finite differences", function()
  local rand = H.rng(7)
  for _, mode in ipairs({ "per_precision", "per_element" }) do
    for _, c in ipairs(cases) do
      it(c.name .. " (" .. mode .. ")", function()
        local xs, ms, ss = {}, {}, {}
        for i = 1, H.numel(c.x) do xs[i] = rand(-2, 2) end
        for i = 1, H.numel(c.m) do ms[i] = rand(-1, 1) end
        for i = 1, H.numel(c.s) do ss[i] = rand(0.3, 1.5) end
        local w = rand(0.1, 2)
        local reg = gr.new({ mean = H.nest(ms, c.m), std = H.nest(ss, c.s), weight = w,
          fit_hyper = true, log_mode = mode })
        -- d/dx
        local g = H.flatten(reg:grad(H.nest(xs, c.x)))
        fd_check("value", function() return reg:loss(H.nest(xs, c.x)) end, xs, g)
        local v = H.nest(xs, c.x)
        local hg = reg:hyper_grad(v)
        -- d/dmean: move the mean through the assignable field
        local gm = H.flatten(hg.mean)
        fd_check("mean", function()
          reg.mean = H.nest(ms, c.m)
          return reg:loss(v)
        end, ms, gm)
        reg.mean = H.nest(ms, c.m)
        -- d/dprecision
        local ps = H.flatten(reg.precision)
        local gp = H.flatten(hg.precision)
        local hp = function()
          reg.precision = H.nest(ps, c.s)
          return reg:loss(v)
        end
        -- precision is ~1..10: use a relative step through the same helper
        fd_check("precision", hp, ps, gp)
        reg.precision = H.nest(ps, c.s)
        -- d/dweight: the loss is linear in weight, the bracket is loss/weight
        H.near(hg.weight, reg:loss(v) / w, 1e-12, 1e-14, "weight")
        reg.weight = w + h
        local up = reg:loss(v)
        reg.weight = w - h
        local down = reg:loss(v)
        H.near(hg.weight, (up - down) / (2 * h), 1e-6, 1e-7, "weight fd")
      end)
    end
  end

  it("gives zero precision gradient where precision <= 0 (relu)", function()
    local reg = gr.new({ mean = { 0, 0 }, std = { 1, 1 }, fit_hyper = true })
    reg.precision = { -1, 2 }
    local hg = reg:hyper_grad({ 1, 1 })
    assert.are.equal(0, hg.precision[1])
    assert.is_true(hg.precision[2] ~= 0)
    -- and the loss treats it as prec = 1e-6
    local o = H.oracle({ data = { 1, 1 }, shape = { 2 } }, { data = { 0, 0 }, shape = { 2 } },
      { data = { -1, 2 }, shape = { 2 } }, 1)
    H.near(reg:loss({ 1, 1 }), o.loss, 1e-13)
  end)
end)
