-- gaussianreg.array: typed, shaped, contiguous buffers.
local H = require("spec.helpers")
local gr = H.gr

describe("gr.array", function()
  it("builds zeros from a length or a shape", function()
    local a = gr.array(4)
    assert.are.equal(4, #a)
    assert.are.same({ 4 }, a.shape)
    assert.are.equal("float64", a.dtype)
    assert.are.equal(1, a.ndim)
    for i = 1, 4 do assert.are.equal(0, a[i]) end
    local b = gr.array({ shape = { 2, 3 } }, "float32")
    assert.are.same({ 2, 3 }, b.shape)
    assert.are.equal(6, #b)
    assert.are.equal("float32", b.dtype)
    assert.are.same({ { 0, 0, 0 }, { 0, 0, 0 } }, b:totable())
    local s = gr.array({ shape = {} })
    assert.are.equal(1, #s)
    assert.are.equal(0, s.ndim)
    assert.are.equal(0, s:totable())
    assert.are.same({ 2, 3 }, gr.zeros({ 2, 3 }).shape)
    assert.are.equal(5, #gr.zeros(5))
  end)

  it("copies nested tables in row-major order", function()
    local a = gr.array({ { 1, 2, 3 }, { 4, 5, 6 } })
    assert.are.same({ 2, 3 }, a.shape)
    for i = 1, 6 do assert.are.equal(i, a[i]) end
    assert.are.same({ { 1, 2, 3 }, { 4, 5, 6 } }, a:totable())
    assert.are.same({}, gr.array({}):totable())
    assert.are.same({ 0 }, gr.array({}).shape)
    assert.are.same({ 1, 0 }, gr.array({ {} }).shape)
  end)

  it("gets and sets elements with bounds checks, rounding float32", function()
    local a = gr.array(3, "float32")
    a[2] = 0.1
    assert.are.equal(0.100000001490116119384765625, a[2])
    a[3] = 1e300
    assert.are.equal(math.huge, a[3])
    a[1] = -1e300
    assert.are.equal(-math.huge, a[1])
    local d = gr.array(2)
    d[1] = 0.1
    assert.are.equal(0.1, d[1])
  end)

  it("converts between dtypes by copying", function()
    local a = gr.array({ 1.5, 0.1 })
    local b = gr.array(a, "float32")
    assert.are.equal("float32", b.dtype)
    assert.are.equal(0.100000001490116119384765625, b[2])
    local c = gr.array(b)
    assert.are.equal("float32", c.dtype)
    c[1] = 7
    assert.are.equal(1.5, b[1]) -- a copy
    assert.are.equal(1.5, a[1])
  end)

  it("passes to the kernels zero-copy and gives arrays back", function()
    local reg = gr.new(0, 1, 1)
    local a = gr.array({ 1, 2 })
    local before = reg:loss(a)
    a[1] = 3
    assert.are_not.equal(before, reg:loss(a))
    H.near(reg:loss(a), reg:loss({ 3, 2 }), 0)
  end)

  it("prints its dtype and shape", function()
    assert.are.equal("gaussianreg.array(float64, (2,3))", tostring(gr.array({ shape = { 2, 3 } })))
    assert.are.equal("gaussianreg.array(float32, ())", tostring(gr.array({ shape = {} }, "float32")))
    assert.is_true(gr.is_array(gr.array(1)))
    assert.is_false(gr.is_array({}))
    assert.is_false(gr.is_array(gr.new(0, 1)))
  end)

  it("is_array checks the metatable, not the printed name", function()
    local fake = io.tmpfile() -- any other full userdata, printed like an array
    debug.setmetatable(fake, { __tostring = function() return "gaussianreg.array(float64, (1))" end })
    assert.are.equal("gaussianreg.array(float64, (1))", tostring(fake))
    assert.is_false(gr.is_array(fake))
    assert.is_false(gr.is_array(nil))
    local ok, err = pcall(function() local r = gr.is_array(); return r end)
    assert.is_false(ok)
    assert.are.equal("bad argument #1 to 'is_array' (value expected)", err:match("bad argument.*"))
  end)
end)

describe("GaussianReg object", function()
  it("prints like the reference", function()
    assert.are.equal("GaussianReg(mean=0, std=1, weight=0.01, fit_hyper=false)",
      tostring(gr.GaussianReg(0.0, 1.0, 0.01)))
    assert.are.equal("GaussianReg(mean=<array (2)>, std=<array (2)>, weight=1, fit_hyper=true)",
      tostring(gr.new({ mean = { 0, 1 }, std = { 1, 2 }, fit_hyper = true })))
    assert.are.equal("GaussianReg(mean=2.5, std=0.5, weight=1, fit_hyper=false, log_mode=per_element)",
      tostring(gr.new({ mean = 2.5, std = 0.5, log_mode = "per_element" })))
    assert.are.equal("GaussianReg(mean=0, std=0, weight=1, fit_hyper=false)", tostring(gr.new(0, 0)))
    -- the std shown is reconstructed from the stored precision: none where it is <= 0
    local r = gr.new({ mean = -1.5, std = 3, weight = 1e-3, fit_hyper = true })
    assert.are.equal("GaussianReg(mean=-1.5, std=3, weight=0.001, fit_hyper=true)", tostring(r))
    r.precision = 0.25 -- sqrt(1/0.25 - 1e-8)
    assert.are.equal("GaussianReg(mean=-1.5, std=1.9999999975, weight=0.001, fit_hyper=true)", tostring(r))
    r.precision = 0
    assert.are.equal("GaussianReg(mean=-1.5, std=inf, weight=0.001, fit_hyper=true)", tostring(r))
    r.precision = -4
    assert.are.equal("GaussianReg(mean=-1.5, std=inf, weight=0.001, fit_hyper=true)", tostring(r))
  end)

  it("exposes gr.GaussianReg == gr.new, the version and the ISA", function()
    assert.are.equal(gr.new, gr.GaussianReg)
    assert.are.equal("0.1.0", gr._VERSION)
    assert.is_true(gr.isa_supported(gr.isa()))
    assert.is_true(gr.isa_supported("scalar"))
    assert.is_false(gr.isa_supported("mmx"))
    local r = gr.new(0, 1)
    assert.are.equal(H.forced_isa or gr.isa(), r:isa())
    assert.are.equal(r, r:set_isa("scalar"))
    assert.are.equal("scalar", r:isa())
    r:set_isa("auto")
    assert.are.equal(gr.isa(), r:isa())
  end)

  it("has a module-level default ISA for new objects", function()
    local prev = gr.set_isa("scalar")
    assert.are.equal(H.forced_isa or "auto", prev)
    assert.are.equal("scalar", gr.new(0, 1):isa())
    assert.are.equal("scalar", gr.from_state(gr.new(0, 1):state()):isa())
    gr.set_isa(prev)
  end)

  it("assigns hyperparameters when fit_hyper, changing shape if asked", function()
    local r = gr.new({ mean = 0, std = 1, fit_hyper = true })
    r.mean = { 1, 2, 3 }
    assert.are.same({ 1, 2, 3 }, r.mean)
    r.precision = gr.array({ 4, 5, 6 }, "float32")
    assert.are.same({ 4, 5, 6 }, r.precision)
    r.weight = 0.25
    assert.are.equal(0.25, r.weight)
    r.log_mode = "per_element"
    assert.are.equal("per_element", r.log_mode)
    local o = H.oracle({ data = { 0, 0, 0 }, shape = { 3 } }, { data = { 1, 2, 3 }, shape = { 3 } },
      { data = { 4, 5, 6 }, shape = { 3 } }, 0.25, "per_element")
    H.near(r:loss({ 0, 0, 0 }), o.loss, 1e-13)
    -- log_mode is a modelling choice: settable without fit_hyper
    local f = gr.new(0, 1)
    f.log_mode = "per_element"
    assert.are.equal("per_element", f.log_mode)
  end)

  it("returns nil for unknown fields", function()
    local r = gr.new(0, 1)
    assert.is_nil(r.foo)
    assert.is_nil(r[1])
  end)
end)
