-- The behaviour brainstate tests for GaussianReg, ported.
local H = require("spec.helpers")
local gr = H.gr

describe("GaussianReg (brainstate behaviour)", function()
  it("has its loss minimal at the mean", function()
    local reg = gr.GaussianReg(0.5, 1.0, 0.1)
    local at_mean = reg:loss({ 0.5, 0.5, 0.5 })
    for _, dx in ipairs({ -1e-3, 1e-3, -0.5, 0.5, 3 }) do
      assert.is_true(reg:loss({ 0.5 + dx, 0.5, 0.5 }) > at_mean)
    end
  end)

  it("grows with the distance from the mean", function()
    local reg = gr.GaussianReg(0.0, 2.0, 1.0)
    local last = reg:loss(0)
    for _, d in ipairs({ 0.1, 0.5, 1, 2, 10 }) do
      local l = reg:loss(d)
      assert.is_true(l > last)
      assert.are.equal(l, reg:loss(-d)) -- symmetric
      last = l
    end
  end)

  it("scales the loss linearly with the weight", function()
    local v = { 0.3, -1.2, 2.5 }
    local base = gr.GaussianReg(0.1, 0.7, 1.0):loss(v)
    for _, w in ipairs({ 0, 0.01, 0.5, 2, 100 }) do
      H.near(gr.GaussianReg(0.1, 0.7, w):loss(v), w * base, 1e-14, 1e-300)
    end
  end)

  it("samples init values of an int shape and a tuple shape", function()
    local reg = gr.GaussianReg(0.0, 1.0)
    local s = reg:sample_init(10)
    assert.are.equal(10, #s)
    local t = reg:sample_init({ 3, 4 })
    assert.are.equal(3, #t)
    for i = 1, 3 do assert.are.equal(4, #t[i]) end
    local a = reg:sample_init({ 2, 3, 4 }, "array")
    assert.are.same({ 2, 3, 4 }, a.shape)
  end)

  it("returns the mean from reset_value", function()
    assert.are.equal(2.5, gr.GaussianReg(2.5, 1.0):reset_value())
    assert.are.same({ 0, 1, -3 }, gr.GaussianReg({ 0, 1, -3 }, 1.0):reset_value())
    local a = gr.GaussianReg({ { 1, 2 }, { 3, 4 } }, 1.0):reset_value("array")
    assert.are.same({ 2, 2 }, a.shape)
    assert.are.same({ { 1, 2 }, { 3, 4 } }, a:totable())
  end)

  it("accepts array mean and std", function()
    local reg = gr.GaussianReg({ 0.0, 1.0 }, { 1.0, 2.0 })
    H.near(reg.precision, { 1 / (1 + 1e-8), 1 / (4 + 1e-8) }, 1e-15)
    assert.are.same({ 0, 1 }, reg.mean)
    -- loss at the mean is only the log term
    local l = reg:loss({ 0.0, 1.0 })
    H.near(l, -(math.log(1 / (1 + 1e-8) + 1e-6) + math.log(1 / (4 + 1e-8) + 1e-6)), 1e-14)
    local s = reg:sample_init(2)
    assert.are.equal(2, #s)
  end)

  it("stores precision, not std, and fixed hyperparameters by default", function()
    local reg = gr.GaussianReg(0.0, 0.5, 0.01)
    H.near(reg.precision, 1 / (0.25 + 1e-8), 1e-15)
    assert.are.equal(0.01, reg.weight)
    assert.is_false(reg.fit_hyper)
    assert.are.equal("per_precision", reg.log_mode)
  end)
end)
