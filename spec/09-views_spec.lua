-- Views (issue 11): arrays over memory they do not own, on every
-- interpreter. A script gets one from gr.view(ptr, shape [, dtype [, owner]])
-- with a host's light userdata or a LuaJIT FFI buffer (spec/11-ffi_spec.lua;
-- light userdata from a C host: make test-embed, make test-install); here the
-- test hook gr._view(a [, shape [, dtype]]) makes the same kind of view over
-- an owned array's memory (its owner, checked to fit), so that plain Lua
-- never sees a raw address.
local H = require("spec.helpers")
local gr = H.gr

-- An owned array and a view of its memory (the array is the view's owner).
local function host(data, dtype)
  local a = gr.array(data, dtype)
  return a, gr._view(a)
end

describe("gr.view", function()
  it("reads and writes the memory it views, without a copy", function()
    local a, v = host({ { 1, 2, 3 }, { 4, 5, 6 } })
    assert.is_true(gr.is_array(v))
    assert.are.same({ 2, 3 }, v.shape)
    assert.are.equal(6, #v)
    assert.are.equal("float64", v.dtype)
    assert.are.equal(2, v.ndim)
    assert.are.equal("gaussianreg.array(float64, (2,3), view)", tostring(v))
    assert.are.equal("gaussianreg.array(float64, (2,3))", tostring(a))
    assert.are.same({ { 1, 2, 3 }, { 4, 5, 6 } }, v:totable())
    v[2] = 20
    assert.are.equal(20, a[2]) -- the view writes the owner's memory
    a[6] = 60
    assert.are.equal(60, v[6]) -- and sees its writes
    local c = gr.array(v) -- a copy owns its data
    assert.are.equal("gaussianreg.array(float64, (2,3))", tostring(c))
    c[1] = -1
    assert.are.equal(1, v[1])
  end)

  it("views float32 memory, with float32 rounding on writes", function()
    local a, v = host({ 0.5, 0.25 }, "float32")
    assert.are.equal("gaussianreg.array(float32, (2), view)", tostring(v))
    v[1] = 0.1
    assert.are.equal(0.100000001490116119384765625, a[1])
    v[2] = 1e300
    assert.are.equal(math.huge, a[2])
  end)

  it("takes a shape as an integer or a table, and 0-d and empty shapes", function()
    local a = gr.array({ 7, 8, 9, 10 })
    assert.are.same({ 4 }, gr._view(a, 4).shape)
    assert.are.same({ 2, 2 }, gr._view(a, { 2, 2 }, "float64").shape)
    local s = gr._view(a, {})
    assert.are.equal(0, s.ndim)
    assert.are.equal(7, s:totable())
    assert.are.equal(0, #gr._view(a, { 0 }))
    -- float32 over float64 memory: the bytes reinterpreted, 8 of them fit
    assert.are.equal("gaussianreg.array(float32, (8), view)", tostring(gr._view(a, 8, "float32")))
    -- a view of a view
    local vv = gr._view(gr._view(a, { 2, 2 }), 2)
    vv[2] = 80
    assert.are.equal(80, a[2])
    assert.are.equal("bad argument #2 to '_view' (a float64 view of shape (5) does not fit in the array)",
      H.errmsg(function() gr._view(a, 5) end))
  end)

  it("keeps its owner alive", function()
    local weak = setmetatable({}, { __mode = "v" })
    -- (in a function of its own, so that no stack slot of this one holds a)
    local function make()
      local a = gr.array({ 3, 1, 4, 1, 5 })
      weak[1] = a
      return gr._view(a)
    end
    local v = make()
    collectgarbage("collect")
    collectgarbage("collect")
    assert.is_true(weak[1] ~= nil) -- (not the object: luassert may keep its arguments)
    assert.are.same({ 3, 1, 4, 1, 5 }, v:totable())
    v = nil -- luacheck: ignore 311 (drop the view: then its owner may go)
    collectgarbage("collect")
    collectgarbage("collect")
    assert.is_true(weak[1] == nil)
  end)

  it("works everywhere an array does: values, hyperparameters, results", function()
    local reg = gr.new({ mean = { 0, 1, 2 }, std = { 1, 2, 3 }, weight = 0.5, fit_hyper = true })
    local _, x = host({ 0.3, -1.2, 2.5 })
    local _, x32 = host({ 0.3, -1.2, 2.5 }, "float32")
    local plain = gr.array({ 0.3, -1.2, 2.5 })
    assert.are.equal(reg:loss(plain), reg:loss(x))
    assert.are.equal(reg:loss(gr.array(plain, "float32")), reg:loss(x32))
    local l1, g1 = reg:loss_and_grad(plain)
    local l2, g2 = reg:loss_and_grad(x)
    assert.are.equal(l1, l2)
    assert.are.same(g1:totable(), g2:totable())
    assert.are.equal("gaussianreg.array(float64, (3))", tostring(g2)) -- results are owned
    assert.are.same(reg:hyper_grad(plain).mean:totable(), reg:hyper_grad(x).mean:totable())
    -- as hyperparameters (copied by the core)
    local _, m = host({ 5, 6, 7 })
    reg.mean = m
    m[1] = 0
    assert.are.same({ 5, 6, 7 }, reg.mean)
    local _, sd = host({ 1, 2, 3 })
    local r2 = gr.new(m, sd, 0.5)
    assert.are.same({ 0, 6, 7 }, r2.mean)
    assert.are.equal(gr.new({ 0, 6, 7 }, { 1, 2, 3 }, 0.5):loss(plain), r2:loss(x))
  end)

  it("names the argument and the problem when misused", function()
    local a = gr.array(4)
    local e = H.errmsg
    assert.are.equal("bad argument #1 to 'view' (light userdata or FFI cdata expected, got number)",
      e(function() gr.view(5, 4) end))
    assert.are.equal("bad argument #1 to 'view' (light userdata or FFI cdata expected, got table)",
      e(function() gr.view({}, 4) end))
    assert.are.equal("bad argument #1 to 'view' (light userdata or FFI cdata expected, got userdata)",
      e(function() gr.view(a, 4) end))
    assert.are.equal("bad argument #1 to 'view' (light userdata or FFI cdata expected, got nil)",
      e(function() gr.view(nil, 4) end))
    -- the shape and dtype checks are the ones gr._view shares with gr.view
    assert.are.equal("bad argument #2 to '_view' (dimension must be a non-negative integer, got -1)",
      e(function() gr._view(a, -1) end))
    assert.are.equal("bad argument #2 to '_view' (dimension 2 must be a non-negative integer, got 1.5)",
      e(function() gr._view(a, { 2, 1.5 }) end))
    assert.are.equal("bad argument #3 to '_view' (invalid dtype 'int8' (expected 'float64' or 'float32'))",
      e(function() gr._view(a, 4, "int8") end))
    assert.are.equal("bad argument #2 to '_view' (shape (2147483648,2147483648,2147483648) has too many "
      .. "elements (more than 9007199254740992))", e(function() gr._view(a, { 2 ^ 31, 2 ^ 31, 2 ^ 31 }) end))
    assert.are.equal("bad argument #1 to '_view' (gaussianreg.array expected, got table)",
      e(function() gr._view({}, 1) end))
  end)
end)
