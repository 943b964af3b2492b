-- out= (issue 11): grad(x, out), loss_and_grad(x, out), sample_init(shape,
-- out) and hyper_grad(x, out) write into a given gaussianreg.array or view,
-- return it, and allocate nothing on the Lua heap when x is an array.
local H = require("spec.helpers")
local gr = H.gr

local function settle()
  collectgarbage("collect")
  collectgarbage("collect")
  return collectgarbage("count")
end

-- The Lua heap growth (KB) of n calls of f with the collector stopped.
local function growth(n, f)
  f() -- the first call may set things up (LuaJIT compiles traces)
  local kb0 = settle()
  collectgarbage("stop")
  for _ = 1, n do f() end
  local kb1 = collectgarbage("count")
  collectgarbage("restart")
  return kb1 - kb0
end

local X = { { 0.3, -1.2, 2.5 }, { 1.5, 0.25, -0.75 } }

describe("out=", function()
  local reg
  before_each(function()
    reg = gr.new({ mean = { 0, 1, 2 }, std = { 1, 2, 3 }, weight = 0.5, fit_hyper = true, seed = 9 })
  end)

  it("grad and loss_and_grad write the allocating results' bits into out", function()
    for _, dt in ipairs({ "float64", "float32" }) do
      local x = gr.array(X, dt)
      for _, odt in ipairs({ "float64", "float32" }) do
        local out = gr.array({ shape = { 2, 3 } }, odt)
        assert.are.equal(out, reg:grad(x, out))
        -- (float32 values convert to float64 exactly: the float64 gradient
        -- of x, rounded to out's dtype)
        local want = gr.array(reg:grad(gr.array(x, "float64")), odt)
        assert.are.same(want:totable(), out:totable())
        local out2 = gr.array({ shape = { 2, 3 } }, odt)
        local loss, g = reg:loss_and_grad(x, out2)
        assert.are.equal(out2, g)
        assert.are.equal((reg:loss_and_grad(x)), loss)
        assert.are.same(want:totable(), out2:totable())
      end
    end
  end)

  it("takes numbers and tables as x too (out has x's shape)", function()
    local out = gr.array({ shape = { 2, 3 } })
    assert.are.equal(out, reg:grad(X, out))
    assert.are.same(reg:grad(X), out:totable())
    local s = gr.array({ shape = {} })
    local r0 = gr.new(0.5, 2, 3)
    assert.are.equal(s, r0:grad(1.25, s))
    assert.are.equal(r0:grad(1.25), s:totable())
    local l, g = r0:loss_and_grad(1.25, s)
    assert.are.equal(r0:loss(1.25), l)
    assert.are.equal(s, g)
  end)

  it("computes in place when out is x (the exact alias the C API allows)", function()
    local x = gr.array(X)
    local want = reg:grad(x):totable()
    assert.are.equal(x, reg:grad(x, x))
    assert.are.same(want, x:totable())
    -- two views of the same memory with the same shape are the same alias
    local y = gr.array(X)
    local v = gr._view(y)
    local l0 = reg:loss(y)
    local l, g = reg:loss_and_grad(y, v)
    assert.are.equal(l0, l)
    assert.are.equal(v, g)
    assert.are.same(want, y:totable())
  end)

  it("sample_init(shape, out) draws what sample_init(shape) draws", function()
    local out = gr.array({ shape = { 4, 3 } })
    reg:seed(5)
    assert.are.equal(out, reg:sample_init({ 4, 3 }, out))
    reg:seed(5)
    assert.are.same(reg:sample_init({ 4, 3 }), out:totable())
    local o32 = gr.array(3, "float32")
    reg:seed(5)
    reg:sample_init(3, o32)
    reg:seed(5)
    assert.are.same(gr.array(reg:sample_init(3, "array"), "float32"):totable(), o32:totable())
  end)

  it("hyper_grad(x, out) fills the arrays of an out table", function()
    local x = gr.array(X)
    local want = reg:hyper_grad(x)
    local out = { mean = gr.array(3), precision = gr.array(3, "float32") }
    assert.are.equal(out, reg:hyper_grad(x, out))
    assert.are.same(want.mean:totable(), out.mean:totable())
    assert.are.same(gr.array(want.precision, "float32"):totable(), out.precision:totable())
    assert.are.equal(want.weight, out.weight)
    -- a field left nil is not computed
    local only = { mean = gr.array(3) }
    reg:hyper_grad(x, only)
    assert.is_nil(only.precision)
    assert.are.same(want.mean:totable(), only.mean:totable())
    assert.are.equal(want.weight, only.weight)
  end)

  it("allocates nothing on the Lua heap (2000 calls, collector stopped)", function()
    local x, x32 = gr.array(X), gr.array(X, "float32")
    local out, o32 = gr.array({ shape = { 2, 3 } }), gr.array({ shape = { 2, 3 } }, "float32")
    local s = gr.array({ shape = { 2, 3 } })
    local hout = { mean = gr.array(3), precision = gr.array(3), weight = 0 }
    local shape = { 2, 3 }
    local cases = {
      grad = function() reg:grad(x, out) end,
      grad_f32 = function() reg:grad(x32, o32) end,
      in_place = function() reg:grad(out, out) end,
      loss_and_grad = function() reg:loss_and_grad(x, out) end,
      sample_init = function() reg:sample_init(shape, s) end,
      sample_init_n = function() reg:sample_init(3, hout.mean) end,
      hyper_grad = function() reg:hyper_grad(x, hout) end,
      loss = function() reg:loss(x) end,
    }
    for name, f in pairs(cases) do
      local kb = growth(2000, f)
      assert.is_true(kb < 64, ("%s: the Lua heap grew by %.1f KB over 2000 calls"):format(name, kb))
    end
    -- the allocating form, for contrast: a new array per call
    local kb = growth(2000, function() reg:grad(x) end)
    assert.is_true(kb > 2000 * 48 / 1024, ("grad without out grew by only %.1f KB"):format(kb))
  end)

  it("names the out argument and the problem", function()
    local x = gr.array(X)
    local e = H.errmsg
    assert.are.equal("bad argument #2 to 'grad' (out shape (3) does not match value shape (2,3))",
      e(function() reg:grad(x, gr.array(3)) end))
    assert.are.equal("bad argument #2 to 'loss_and_grad' (out shape (3,2) does not match value shape (2,3))",
      e(function() reg:loss_and_grad(x, gr.array({ shape = { 3, 2 } })) end))
    assert.are.equal("bad argument #2 to 'grad' (out must be a gaussianreg.array, got table)",
      e(function() reg:grad(x, { 0, 0, 0 }) end))
    assert.are.equal("bad argument #2 to 'grad' (out must be a gaussianreg.array, got number)",
      e(function() reg:grad(x, 1) end))
    assert.are.equal("bad argument #2 to 'grad' (out shape () does not match value shape (3))",
      e(function() reg:grad({ 1, 2, 3 }, gr.array({ shape = {} })) end))
    -- the value's own errors still name the value
    assert.are.equal("bad argument #1 to 'grad' (shape (4) does not broadcast with mean shape (3))",
      e(function() reg:grad({ 1, 2, 3, 4 }, gr.array(4)) end))
    -- a view overlapping the value other than exactly
    local y = gr.array({ 1, 2, 3, 4, 5, 6 })
    assert.are.equal("bad argument #2 to 'grad' (out overlaps value (only an exact alias is allowed))",
      e(function() reg:grad(gr._view(y, { 2, 3 }), gr._view(y, { 2, 3 }, "float32")) end))
    assert.are.equal("bad argument #2 to 'grad' (out overlaps value (only an exact alias is allowed))",
      e(function() reg:grad(gr._view(y, { 1, 3 }), gr._view(y, { 1, 3 }, "float32")) end))
    assert.are.equal("bad argument #2 to 'sample_init' (out shape (4) does not match sample shape (3))",
      e(function() reg:sample_init(3, gr.array(4)) end))
    assert.are.equal("bad argument #1 to 'sample_init' (shape (2) does not broadcast with mean shape (3))",
      e(function() reg:sample_init(2, gr.array(2)) end))
    assert.are.equal("bad argument #2 to 'hyper_grad' (out.mean shape (2) does not match mean shape (3))",
      e(function() reg:hyper_grad(x, { mean = gr.array(2) }) end))
    assert.are.equal("bad argument #2 to 'hyper_grad' (out.precision overlaps value)",
      e(function() reg:hyper_grad(x, { precision = gr._view(x, 3) }) end))
    assert.are.equal("bad argument #2 to 'hyper_grad' (out has an unknown field 'prec' (expected mean, "
      .. "precision and weight))", e(function() reg:hyper_grad(x, { prec = gr.array(3) }) end))
    assert.are.equal("bad argument #2 to 'hyper_grad' (out.mean must be a gaussianreg.array or nil, got table)",
      e(function() reg:hyper_grad(x, { mean = { 0, 0, 0 } }) end))
    assert.are.equal("bad argument #2 to 'hyper_grad' (out must be a table {mean = array, precision = array}, "
      .. "got userdata)", e(function() reg:hyper_grad(x, gr.array(3)) end))
    -- a failed call writes nothing
    local out = gr.array({ shape = { 2, 3 } })
    out[1] = 42
    assert.is_false(pcall(reg.grad, reg, gr.array({ 1, 2, 3, 4 }), out))
    assert.are.equal(42, out[1])
  end)
end)
