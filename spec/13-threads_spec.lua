-- Threads (issue 15): gr.new{threads = n}, reg.threads, and the same bits
-- whatever the count. The inputs are larger than the core's threshold
-- (GAUSSREG_PARALLEL_MIN = 262144 elements), so the work is really split.
local H = require("spec.helpers")
local gr = H.gr
local msg = H.errmsg

local N = 300007 -- above the threshold, not a multiple of the chunk

-- The bits of a number, for exact comparison (NaN-safe, -0 apart from 0).
local function same(a, b)
  return a == b and 1 / a == 1 / b
end

local function same_arrays(a, b)
  if #a ~= #b then return false end
  for i = 1, #a do
    if a[i] ~= b[i] then return false end
  end
  return true
end

describe("threads", function()
  it("defaults to 1 and takes 0 (one per core) to 256", function()
    assert.are.equal(1, gr.new(0, 1).threads)
    assert.are.equal(1, gr.new({ mean = 0, std = 1 }).threads)
    assert.are.equal(3, gr.new({ mean = 0, std = 1, threads = 3 }).threads)
    local cores = gr.new({ mean = 0, std = 1, threads = 0 }).threads
    assert.is_true(math.type == nil or math.type(cores) == "integer")
    assert.is_true(cores >= 1 and cores <= 256)
    local r = gr.new(0, 1)
    r.threads = 256
    assert.are.equal(256, r.threads)
    r.threads = 0
    assert.are.equal(cores, r.threads)
    r.threads = 1
    assert.are.equal(1, r.threads)
  end)

  it("rejects other counts, naming the option", function()
    assert.are.equal("bad argument #1 to 'new' (threads must be an integer from 0 (one per core) to 256, got -1)",
      msg(function() gr.new({ mean = 0, std = 1, threads = -1 }) end))
    assert.are.equal("bad argument #1 to 'new' (threads must be an integer from 0 (one per core) to 256, got 257)",
      msg(function() gr.new({ mean = 0, std = 1, threads = 257 }) end))
    assert.are.equal("bad argument #1 to 'new' (threads must be an integer from 0 (one per core) to 256, got 1.5)",
      msg(function() gr.new({ mean = 0, std = 1, threads = 1.5 }) end))
    assert.are.equal("bad argument #1 to 'new' (threads must be an integer from 0 (one per core) to 256, got string)",
      msg(function() gr.new({ mean = 0, std = 1, threads = "2" }) end))
    local r = gr.new({ mean = 0, std = 1, threads = 2 })
    assert.are.equal("threads must be an integer from 0 (one per core) to 256, got -3",
      msg(function() r.threads = -3 end))
    assert.are.equal("threads must be an integer from 0 (one per core) to 256, got boolean",
      msg(function() r.threads = true end))
    assert.are.equal(2, r.threads) -- unchanged
    r:close()
    assert.are.equal("closed regularizer", msg(function() return r.threads end))
    assert.are.equal("closed regularizer", msg(function() r.threads = 2 end))
  end)

  it("is not a hyperparameter: settable without fit_hyper, not in a checkpoint", function()
    local r = gr.new({ mean = 0, std = 1, threads = 2 })
    r.threads = 3
    assert.are.equal(3, r.threads)
    assert.are.equal(1, gr.from_state(r:state()).threads)
    assert.is_nil(tostring(r):find("thread"))
  end)

  it("gives the bits of one thread: loss, grad, loss_and_grad, hyper_grad", function()
    local rnd = H.rng(15)
    local x, mean, std = gr.zeros(N), gr.zeros(N), gr.zeros(N)
    for i = 1, N do
      x[i] = rnd(-2, 2)
      mean[i] = rnd(-0.5, 0.5)
      std[i] = rnd(0.25, 1.25)
    end
    local function run(threads)
      local r = gr.new({ mean = mean, std = std, weight = 0.75, fit_hyper = true, threads = threads })
      local out = {}
      out.loss = r:loss(x)
      out.grad = r:grad(x):totable()
      out.lg_loss, out.lg_grad = r:loss_and_grad(x)
      out.lg_grad = out.lg_grad:totable()
      local h = r:hyper_grad(x)
      out.gmean, out.gprec, out.gweight = h.mean:totable(), h.precision:totable(), h.weight
      r:close()
      return out
    end
    local one = run(1)
    -- real values: the plain-Lua formula at a few elements, the loss overall
    for _, i in ipairs({ 1, 2, 65536, 65537, N }) do
      local p = 1 / (std[i] * std[i] + 1e-8) + 1e-6
      H.near(one.grad[i], 0.75 * 2 * p * (x[i] - mean[i]), 1e-12, 0, "grad")
      H.near(one.gmean[i], -one.grad[i], 0, 0, "gmean")
    end
    do
      local quad, logs = 0, 0
      for i = 1, N do
        local p = 1 / (std[i] * std[i] + 1e-8) + 1e-6
        local d = x[i] - mean[i]
        quad = quad + p * d * d
        logs = logs + math.log(p)
      end
      H.near(one.loss, 0.75 * (quad - logs), 1e-9, 0, "loss")
    end
    assert.is_true(same(one.loss, one.lg_loss))
    for _, t in ipairs({ 2, 3, 8 }) do
      local got = run(t)
      assert.is_true(same(one.loss, got.loss), "loss, threads " .. t)
      assert.is_true(same(one.lg_loss, got.lg_loss), "loss_and_grad, threads " .. t)
      assert.is_true(same(one.gweight, got.gweight), "gweight, threads " .. t)
      assert.is_true(same_arrays(one.grad, got.grad), "grad, threads " .. t)
      assert.is_true(same_arrays(one.lg_grad, got.lg_grad), "loss_and_grad grad, threads " .. t)
      assert.is_true(same_arrays(one.gmean, got.gmean), "gmean, threads " .. t)
      assert.is_true(same_arrays(one.gprec, got.gprec), "gprec, threads " .. t)
    end
  end)

  it("gives the bits of one thread with tables and broadcast shapes", function()
    -- x (rows, 3) as nested tables, a mean per column: a reduction for
    -- hyper_grad's mean, the loss over 3 * rows elements
    local rows, rnd = 100003, H.rng(7)
    local x = {}
    for i = 1, rows do x[i] = { rnd(-1, 1), rnd(-1, 1), rnd(-1, 1) } end
    local function run(threads)
      local r = gr.new({ mean = { 0.5, -0.5, 0 }, std = { 1, 2, 0.5 }, fit_hyper = true, threads = threads })
      local l = r:loss(x)
      local h = r:hyper_grad(x)
      local g = r:grad(x)
      return l, h.mean, h.precision, h.weight, g[rows][3]
    end
    local l1, m1, p1, w1, g1 = run(1)
    local l2, m2, p2, w2, g2 = run(2)
    assert.is_true(same(l1, l2) and same(w1, w2) and same(g1, g2))
    assert.is_true(same_arrays(m1, m2) and same_arrays(p1, p2))
    H.near(g1, 2 * (1 / (0.25 + 1e-8) + 1e-6) * (x[rows][3] - 0), 1e-12, 0, "grad")
  end)

  it("draws the same samples whatever the count", function()
    local function draws(threads, seed)
      local r = gr.new({ mean = { 1, -1 }, std = 0.5, seed = seed, threads = threads })
      local a = r:sample_init({ 150001, 2 }, "array")
      local b = r:sample_init({ 150001, 2 }, "array") -- the state moved on alike
      return a:totable(), b:totable()
    end
    local a1, b1 = draws(1, 11)
    local a3, b3 = draws(3, 11)
    assert.is_true(#a1 == 150001 and #a1[1] == 2)
    local flat1, flat3, next1, next3 = {}, {}, {}, {}
    for i = 1, #a1 do
      flat1[#flat1 + 1], flat1[#flat1 + 2] = a1[i][1], a1[i][2]
      flat3[#flat3 + 1], flat3[#flat3 + 2] = a3[i][1], a3[i][2]
      next1[#next1 + 1], next3[#next3 + 1] = b1[i][1], b3[i][1]
    end
    assert.is_true(same_arrays(flat1, flat3))
    assert.is_true(same_arrays(next1, next3))
    assert.is_false(same_arrays(flat1, next1))
    -- N(mean, 0.5^2) per column: 5-sigma bounds on the column means
    local s1, s2 = 0, 0
    for i = 1, #a1 do s1, s2 = s1 + a1[i][1], s2 + a1[i][2] end
    local n, se = #a1, 0.5 / math.sqrt(#a1)
    assert.is_true(math.abs(s1 / n - 1) < 5 * se and math.abs(s2 / n + 1) < 5 * se)
  end)

  it("frees its threads' pool with the object", function()
    collectgarbage()
    collectgarbage() -- earlier objects first
    local before = gr._memory()
    local r = gr.new({ mean = 0, std = 1, threads = 4 })
    local with_pool = gr._memory()
    local one = gr.new({ mean = 0, std = 1 })
    -- the pool is a block of its own, through the state's allocator
    assert.is_true(with_pool - before > gr._memory() - with_pool)
    one:close()
    local x = gr.zeros(N)
    r:loss(x) -- starts the workers
    r.threads = 2
    r:loss(x)
    r:close()
    collectgarbage()
    assert.are.equal(before, (gr._memory()))
  end)
end)
