-- Numeric values: the parity fixture, the plain-Lua oracle, broadcasting,
-- and the forms of inputs and results (number, nested table, gr.array).
local H = require("spec.helpers")
local gr = H.gr

local function new_from(case, log_mode)
  return gr.new({
    mean = H.nest(case.mean.data, case.mean.shape),
    std = H.nest(case.std.data, case.std.shape),
    weight = case.weight, fit_hyper = true, log_mode = log_mode,
  })
end

local function flat(v)
  return (H.flatten(v))
end

describe("parity vectors (spec/fixtures/gaussianreg-vectors.json)", function()
  local fixture = H.vectors()
  assert.is_true(#fixture.cases >= 10)
  for _, case in ipairs(fixture.cases) do
    it(case.name, function()
      local reg = new_from(case)
      local value = H.nest(case.value.data, case.value.shape)
      H.near(flat(reg.precision), case.precision.data, 1e-15, 0, "precision")
      H.near(reg:loss(value), case.loss, 1e-12, 1e-15, "loss")
      local g = reg:grad(value)
      H.near(flat(g), case.grad.data, 1e-12, 1e-15, "grad")
      local l2, g2 = reg:loss_and_grad(value)
      assert.are.equal(reg:loss(value), l2)
      assert.are.same(g, g2)
      local hg = reg:hyper_grad(value)
      H.near(flat(hg.mean), case.grad_mean.data, 1e-12, 1e-15, "grad_mean")
      H.near(flat(hg.precision), case.grad_precision.data, 1e-12, 1e-15, "grad_precision")
      H.near(hg.weight, case.grad_weight, 1e-12, 1e-15, "grad_weight")
      H.near(flat(reg:reset_value()), case.reset_value.data, 0, 0, "reset_value")
      -- the same through gr.array, zero-copy
      local a = gr.array(case.value.shape[1] and value or { value })
      if #case.value.shape > 0 then
        H.near(reg:loss(a), case.loss, 1e-12, 1e-15, "loss(array)")
        H.near(flat(reg:grad(a)), case.grad.data, 1e-12, 1e-15, "grad(array)")
      end
      -- the oracle agrees with the fixture too (it checks the oracle)
      local o = H.oracle(case.value, case.mean,
        { data = case.precision.data, shape = case.precision.shape }, case.weight)
      H.near(o.loss, case.loss, 1e-12, 1e-15, "oracle loss")
      H.near(o.grad, case.grad.data, 1e-12, 1e-15, "oracle grad")
      assert.are.same(case.broadcast_shape, o.shape)
    end)
  end
end)

-- Random cases against the oracle, for both log modes and several shapes.
local shapes = {
  -- value, mean, std: broadcasting cases named in the contract
  { name = "row prior over a matrix", x = { 4, 3 }, m = { 3 }, s = { 3 } },
  { name = "column mean with row std", x = { 2, 5 }, m = { 2, 1 }, s = { 5 } },
  { name = "scalar value against a vector prior", x = {}, m = { 6 }, s = { 6 } },
  { name = "vector value, scalar prior", x = { 37 }, m = {}, s = {} },
  { name = "rank-3", x = { 3, 2, 4 }, m = { 3, 1, 4 }, s = { 2, 1 } },
  { name = "value stretched by the prior", x = { 1, 4 }, m = { 3, 1 }, s = { 3, 4 } },
  { name = "long vector, per-element prior", x = { 1031 }, m = { 1031 }, s = { 1031 } },
  { name = "empty value", x = { 0 }, m = {}, s = {} },
}

describe("oracle comparison", function()
  local rand = H.rng(20240611)
  local function fill(shape, lo, hi)
    local t = {}
    for i = 1, H.numel(shape) do t[i] = rand(lo, hi) end
    return t
  end
  for _, mode in ipairs({ "per_precision", "per_element" }) do
    for _, c in ipairs(shapes) do
      it(c.name .. " (" .. mode .. ")", function()
        local x = { data = fill(c.x, -3, 3), shape = c.x }
        local m = { data = fill(c.m, -1, 1), shape = c.m }
        local s = fill(c.s, 0.2, 2)
        local w = rand(0.01, 2)
        local reg = gr.new({ mean = H.nest(m.data, m.shape), std = H.nest(s, c.s),
          weight = w, fit_hyper = true, log_mode = mode })
        local p = { data = H.precision_of(s), shape = c.s }
        local o = H.oracle(x, m, p, w, mode)
        local v = H.nest(x.data, x.shape)
        local scale = math.abs(o.loss) + 1
        H.near(reg:loss(v), o.loss, 1e-11, 1e-11 * scale, "loss")
        local g = reg:grad(v)
        if #c.x == 0 then assert.are.equal("number", type(g)) end
        H.near(flat(g), o.grad, 1e-11, 1e-12, "grad")
        local hg = reg:hyper_grad(v)
        H.near(flat(hg.mean), o.grad_mean, 1e-11, 1e-12, "grad_mean")
        H.near(flat(hg.precision), o.grad_precision, 1e-11, 1e-11 * scale, "grad_precision")
        H.near(hg.weight, o.grad_weight, 1e-11, 1e-11 * scale, "grad_weight")
        -- float32 input: the kernel reads the rounded values
        if #c.x > 0 then
          local a32 = gr.array(v, "float32")
          local x32 = { data = flat(a32), shape = c.x }
          local o32 = H.oracle(x32, m, p, w, mode)
          H.near(reg:loss(a32), o32.loss, 1e-10, 1e-10 * scale, "loss f32")
          local g32 = reg:grad(a32)
          assert.are.equal("float32", g32.dtype)
          H.near(flat(g32), o32.grad, 1e-6, 1e-6, "grad f32")
        end
      end)
    end
  end
end)

describe("result forms", function()
  local reg = gr.new({ mean = { 0, 1, 2 }, std = 1, weight = 0.5, fit_hyper = true })

  it("number in, number out", function()
    local g = reg:grad(1.5)
    assert.are.equal("number", type(g))
    local l, g2 = reg:loss_and_grad(1.5)
    assert.are.equal(reg:loss(1.5), l)
    assert.are.equal(g, g2)
  end)

  it("nested table in, nested table out of the same shape", function()
    local v = { { 1, 2, 3 }, { 4, 5, 6 } }
    local g = reg:grad(v)
    assert.are.equal(2, #g)
    assert.are.equal(3, #g[1])
    assert.are.equal("number", type(g[2][3]))
    local hg = reg:hyper_grad(v)
    assert.are.equal("table", type(hg.mean))
    assert.are.equal("number", type(hg.precision)) -- scalar precision
  end)

  it("gr.array in, gr.array out (dtype kept)", function()
    for _, dt in ipairs({ "float64", "float32" }) do
      local a = gr.array({ { 1, 2, 3 }, { 4, 5, 6 } }, dt)
      local g = reg:grad(a)
      assert.are.equal(dt, g.dtype)
      assert.are.same({ 2, 3 }, g.shape)
      local _, g2 = reg:loss_and_grad(a)
      assert.are.same(g:totable(), g2:totable())
      local hg = reg:hyper_grad(a)
      assert.are.same({ 3 }, hg.mean.shape)
      assert.are.same({}, hg.precision.shape)
      assert.are.equal(a, a) -- the input is left alone
      assert.are.same({ { 1, 2, 3 }, { 4, 5, 6 } }, a:totable())
    end
  end)

  it("reads integers and floats alike", function()
    assert.are.equal(reg:loss({ 1.0, 2.0, 3.0 }), reg:loss({ 1, 2, 3 }))
  end)

  it("reads a table's array part raw (metamethods are not called)", function()
    local v = setmetatable({ 1, 2, 3 }, { __index = function() return 100 end })
    assert.are.equal(reg:loss({ 1, 2, 3 }), reg:loss(v))
  end)

  it("sample_init and reset_value return tables or arrays on request", function()
    assert.are.equal("table", type(reg:sample_init(3)))
    assert.are.equal("table", type(reg:sample_init(3, "table")))
    local a = reg:sample_init({ 2, 3 }, "array")
    assert.are.equal("float64", a.dtype)
    assert.are.same({ 2, 3 }, a.shape)
    assert.are.same({ 0, 1, 2 }, reg:reset_value())
    assert.are.same({ 3 }, reg:reset_value("array").shape)
    local scalar = gr.new(1.5, 1)
    assert.are.equal(1.5, scalar:reset_value())
    assert.are.equal("number", type(scalar:sample_init({})))
    assert.are.same({}, scalar:sample_init({}, "array").shape)
  end)

  it("reset_value copies: changing the copy leaves the mean alone", function()
    local m = reg:reset_value()
    m[1] = 99
    assert.are.same({ 0, 1, 2 }, reg.mean)
    local a = reg:reset_value("array")
    a[1] = 99
    assert.are.same({ 0, 1, 2 }, reg.mean)
  end)
end)
