-- sample_init: moments and a KS bound over 1e5 draws, broadcasting,
-- fixed-seed determinism, and state round-trips.
local H = require("spec.helpers")
local gr = H.gr

local N = 100000

local function moments(t)
  local n, s = #t, 0
  for i = 1, n do s = s + t[i] end
  local m, v = s / n, 0
  for i = 1, n do v = v + (t[i] - m) ^ 2 end
  return m, v / (n - 1)
end

local function ks(t, mu, sigma)
  local z = {}
  for i = 1, #t do z[i] = t[i] end
  table.sort(z)
  local n, d = #z, 0
  for i = 1, n do
    local f = H.normal_cdf((z[i] - mu) / sigma)
    d = math.max(d, math.abs(f - (i - 1) / n), math.abs(i / n - f))
  end
  return d
end

describe("sample_init statistics", function()
  it("draws N(mean, std^2): moments and KS over 1e5 draws", function()
    local reg = gr.new({ mean = 1.5, std = 0.25, seed = 12345 })
    local a = reg:sample_init(N, "array")
    local t = {}
    for i = 1, N do t[i] = a[i] end
    local m, v = moments(t)
    assert.is_true(math.abs(m - 1.5) < 5 * 0.25 / math.sqrt(N))
    assert.is_true(math.abs(v / 0.0625 - 1) < 5 * math.sqrt(2 / N))
    -- KS: the 0.1% critical value is 1.95/sqrt(n)
    assert.is_true(ks(t, 1.5, 0.25) < 1.95 / math.sqrt(N))
  end)

  it("uses each element's own mean and std under broadcasting", function()
    local reg = gr.new({ mean = { -2, 0, 3 }, std = { 0.5, 1, 2 }, seed = 99 })
    local rows = N / 4
    local a = reg:sample_init({ rows, 3 }, "array")
    assert.are.same({ rows, 3 }, a.shape)
    local mus, sds = { -2, 0, 3 }, { 0.5, 1, 2 }
    for j = 1, 3 do
      local col = {}
      for i = 1, rows do col[i] = a[(i - 1) * 3 + j] end
      local m, v = moments(col)
      assert.is_true(math.abs(m - mus[j]) < 5 * sds[j] / math.sqrt(rows))
      assert.is_true(math.abs(v / sds[j] ^ 2 - 1) < 5 * math.sqrt(2 / rows))
      assert.is_true(ks(col, mus[j], sds[j]) < 1.95 / math.sqrt(rows))
    end
  end)

  it("returns the broadcast of the shape with mean and std", function()
    local reg = gr.new({ mean = { { 0 }, { 1 } }, std = { 1, 1, 1 } })
    assert.are.same({ 2, 3 }, reg:sample_init({}, "array").shape)
    assert.are.same({ 4, 2, 3 }, reg:sample_init({ 4, 1, 1 }, "array").shape)
    assert.are.same({ 2, 3 }, reg:sample_init(3, "array").shape)
  end)

  it("gives the mean exactly when std is 0", function()
    local reg = gr.new({ 2, -1 }, 0)
    local s = reg:sample_init({ 5, 2 })
    for i = 1, 5 do
      H.near(s[i], { 2, -1 }, 0, 1e-3) -- std_eff = 1/sqrt(1e8 + 1e-8) = 1e-4
    end
  end)
end)

describe("determinism and state", function()
  it("repeats draws for the same seed and differs for another", function()
    local a = gr.new({ mean = 0, std = 1, seed = 7 }):sample_init(1000)
    local b = gr.new({ mean = 0, std = 1, seed = 7 }):sample_init(1000)
    local c = gr.new({ mean = 0, std = 1, seed = 8 }):sample_init(1000)
    assert.are.same(a, b)
    assert.are_not.same(a, c)
    local r = gr.new({ mean = 0, std = 1, seed = 123 })
    local first = r:sample_init(50)
    assert.are_not.same(first, r:sample_init(50)) -- the stream advances
    r:seed(123)
    assert.are.same(first, r:sample_init(50))
    -- default seed is 0
    assert.are.same(gr.new(0, 1):sample_init(10), gr.new({ mean = 0, std = 1, seed = 0 }):sample_init(10))
  end)

  it("draws the same numbers whatever the instruction set", function()
    local ref = gr.new({ mean = { 1, 2, 3 }, std = { 1, 2, 3 }, seed = 5 })
    ref:set_isa("scalar")
    local want = ref:sample_init({ 333, 3 }, "array")
    for _, isa in ipairs({ "sse2", "avx2", "neon", "wasm128" }) do
      if gr.isa_supported(isa) then
        local r = gr.new({ mean = { 1, 2, 3 }, std = { 1, 2, 3 }, seed = 5 })
        r:set_isa(isa)
        assert.are.equal(isa, r:isa())
        assert.are.same(want:totable(), r:sample_init({ 333, 3 }, "array"):totable())
      end
    end
  end)

  it("round-trips through state(): same fields, same next draws", function()
    local r = gr.new({ mean = { { 1, 2 }, { 3, 4 } }, std = { 0.5, 2 }, weight = 0.3,
      fit_hyper = true, seed = 2024, log_mode = "per_element" })
    r:sample_init({ 17, 2, 2 }) -- advance the generator
    local s = r:state()
    assert.are.equal("string", type(s))
    local q = gr.from_state(s)
    assert.are.same(r.mean, q.mean)
    assert.are.same(r.precision, q.precision)
    assert.are.equal(r.weight, q.weight)
    assert.are.equal(true, q.fit_hyper)
    assert.are.equal("per_element", q.log_mode)
    assert.are.equal(tostring(r), tostring(q))
    assert.are.same(r:sample_init({ 3, 2, 2 }), q:sample_init({ 3, 2, 2 }))
    assert.are.equal(r:loss({ 1, 1 }), q:loss({ 1, 1 }))
    assert.are.equal(s:len(), r:state():len())
    -- a state with a fixed regularizer stays fixed
    local f = gr.from_state(gr.new(0, 1):state())
    assert.is_false(f.fit_hyper)
  end)

  it("keeps state independent of the source object afterwards", function()
    local r = gr.new({ mean = 0, std = 1, seed = 1, fit_hyper = true })
    local q = gr.from_state(r:state())
    r.mean = 5
    r:close()
    assert.are.equal(0, q.mean)
    assert.are.equal("number", type(q:sample_init({})))
  end)
end)
