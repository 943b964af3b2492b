-- LuaJIT FFI buffers as views (issue 11): gr.view over ffi.new arrays and
-- pointers, out= into them, and a training loop on FFI memory with a flat
-- heap. Pending on interpreters without the FFI.
local H = require("spec.helpers")
local gr = H.gr

local has_ffi, ffi = false, nil
if rawget(_G, "jit") then has_ffi, ffi = pcall(require, "ffi") end

local function ffi_it(name, f)
  it(name, function()
    if not has_ffi then
      pending("LuaJIT FFI only")
      return
    end
    f()
  end)
end

describe("FFI views", function()
  ffi_it("view double and float arrays in place", function()
    local n = 6
    local buf = ffi.new("double[?]", n)
    for i = 0, n - 1 do buf[i] = i * 0.5 end
    local v = gr.view(buf, { 2, 3 })
    assert.are.equal("gaussianreg.array(float64, (2,3), view)", tostring(v))
    assert.are.same({ { 0, 0.5, 1 }, { 1.5, 2, 2.5 } }, v:totable())
    v[1] = 9
    assert.are.equal(9, buf[0])
    buf[5] = -1
    assert.are.equal(-1, v[6])
    local f = ffi.new("float[4]", { 0.1, 0.2, 0.3, 0.4 })
    local fv = gr.view(f, 4, "float32")
    assert.are.equal("gaussianreg.array(float32, (4), view)", tostring(fv))
    assert.are.equal(tonumber(ffi.new("float", 0.1)), fv[1])
    -- a fixed array, a variable-length one, a reference to a struct member
    ffi.cdef("typedef struct gr_spec_layer { int n; double w[3]; } gr_spec_layer;")
    local layer = ffi.new("gr_spec_layer", { 3, { 1, 2, 3 } })
    local wv = gr.view(layer.w, 3, "float64", layer)
    assert.are.same({ 1, 2, 3 }, wv:totable())
    wv[2] = 20
    assert.are.equal(20, layer.w[1])
  end)

  ffi_it("views pointers, with the owner given", function()
    local buf = ffi.new("double[8]")
    for i = 0, 7 do buf[i] = i end
    local p = ffi.cast("double *", buf)
    local v = gr.view(p + 2, 4, "float64", buf)
    assert.are.same({ 2, 3, 4, 5 }, v:totable())
    local vp = ffi.cast("void *", buf)
    assert.are.same({ 0, 1 }, gr.view(vp, 2, nil, buf):totable())
    assert.are.equal(0, #gr.view(ffi.cast("double *", nil), 0))
  end)

  ffi_it("keeps an FFI array alive as its default owner", function()
    local weak = setmetatable({}, { __mode = "v" })
    -- (in a function of its own, so that no stack slot of this one holds it)
    local function make()
      local buf = ffi.new("double[3]", { 7, 8, 9 })
      weak[1] = buf
      return gr.view(buf, 3)
    end
    local v = make()
    for _ = 1, 3 do
      collectgarbage("collect")
      for _ = 1, 1000 do weak[2] = ffi.new("double[3]", { -1, -1, -1 }) end
    end
    assert.is_true(weak[1] ~= nil) -- (not the object: luassert may keep its arguments)
    assert.are.same({ 7, 8, 9 }, v:totable())
    v = nil -- luacheck: ignore 311 (then the buffer may go)
    collectgarbage("collect")
    collectgarbage("collect")
    assert.is_true(weak[1] == nil)
  end)

  ffi_it("works as the value and as out=", function()
    local n = 1000
    local x, g = ffi.new("double[?]", n), ffi.new("float[?]", n)
    for i = 0, n - 1 do x[i] = math.sin(i) end
    local reg = gr.new({ mean = 0.25, std = 0.5, weight = 0.5 })
    local xv, gv = gr.view(x, n), gr.view(g, n, "float32")
    local plain = gr.array(xv)
    assert.are.equal(reg:loss(plain), reg:loss(xv))
    local loss, out = reg:loss_and_grad(xv, gv)
    assert.are.equal(gv, out)
    assert.are.equal((reg:loss_and_grad(plain)), loss)
    local want = gr.array(reg:grad(plain), "float32")
    for i = 1, n, 97 do assert.are.equal(want[i], tonumber(g[i - 1])) end
    -- in place, into the FFI buffer itself
    local y = ffi.new("double[?]", n)
    ffi.copy(y, x, n * 8)
    local yv = gr.view(y, n)
    assert.are.equal(yv, reg:grad(yv, yv))
    local w64 = reg:grad(plain)
    for i = 1, n, 97 do assert.are.equal(w64[i], y[i - 1]) end
    -- sample_init into FFI memory
    reg:seed(3)
    reg:sample_init(n, gr.view(y, n))
    reg:seed(3)
    local s = reg:sample_init(n, "array")
    for i = 1, n, 97 do assert.are.equal(s[i], y[i - 1]) end
  end)

  ffi_it("trains on FFI buffers with zero copies and a flat heap", function()
    local n = 4096
    local w, g = ffi.new("float[?]", n), ffi.new("float[?]", n)
    local t = ffi.new("double[?]", n)
    for i = 0, n - 1 do t[i] = math.cos(i) end
    local prior = gr.new({ mean = 0.25, std = 0.5, weight = 0.5, seed = 1 })
    local wv, gv = gr.view(w, n, "float32"), gr.view(g, n, "float32")
    prior:sample_init(n, wv)
    local function step()
      prior:grad(wv, gv)
      for i = 0, n - 1 do w[i] = w[i] - 0.05 * (2 * (w[i] - t[i]) + g[i]) end
    end
    step()
    collectgarbage("collect")
    local kb0 = collectgarbage("count")
    collectgarbage("stop")
    for _ = 1, 2000 do step() end
    local grew = collectgarbage("count") - kb0
    collectgarbage("restart")
    assert.is_true(grew < 64, ("the heap grew by %.1f KB over 2000 steps"):format(grew))
    local k = 0.5 * (1 / (0.25 + 1e-8) + 1e-6)
    for i = 0, n - 1, 101 do
      assert.is_true(math.abs(w[i] - (t[i] + k * 0.25) / (1 + k)) < 1e-6)
    end
  end)

  ffi_it("refuses what is not a matching buffer, naming it", function()
    local e = H.errmsg
    assert.are.equal("bad argument #1 to 'view' (ctype<float [4]> is not a writable float64 buffer: "
      .. "expected double[n] or double *)", e(function() gr.view(ffi.new("float[4]"), 4) end))
    assert.are.equal("bad argument #1 to 'view' (ctype<double [4]> is not a writable float32 buffer: "
      .. "expected float[n] or float *)", e(function() gr.view(ffi.new("double[4]"), 4, "float32") end))
    assert.are.equal("bad argument #1 to 'view' (ctype<const double *> is not a writable float64 buffer: "
      .. "expected double[n] or double *)", e(function() gr.view(ffi.cast("const double *", nil), 0) end))
    assert.are.equal("bad argument #1 to 'view' (ctype<int64_t> is not a writable float64 buffer: "
      .. "expected double[n] or double *)", e(function() gr.view(ffi.new("int64_t", 5), 1) end))
    assert.are.equal("bad argument #1 to 'view' (a float64 view of shape (5) needs 40 bytes, the cdata has 32)",
      e(function() gr.view(ffi.new("double[4]"), 5) end))
    assert.are.equal("bad argument #1 to 'view' (a float32 view of shape (2,3) needs 24 bytes, the cdata has 20)",
      e(function() gr.view(ffi.new("float[?]", 5), { 2, 3 }, "float32") end))
    assert.are.equal("bad argument #1 to 'view' (NULL pointer for a non-empty view)",
      e(function() gr.view(ffi.cast("double *", nil), 3) end))
    local b = ffi.new("double[4]")
    assert.is_truthy(e(function() gr.view(ffi.cast("void *", ffi.cast("char *", b) + 4), 2) end)
      :find("^bad argument #1 to 'view' %(address 0x%x+ is not aligned for float64 %(8 bytes%)%)$"))
    assert.are.equal("bad argument #3 to 'view' (invalid dtype 'int8' (expected 'float64' or 'float32'))",
      e(function() gr.view(b, 4, "int8") end))
    assert.are.equal("bad argument #2 to 'view' (dimension must be a non-negative integer, got -1)",
      e(function() gr.view(b, -1) end))
    assert.are.equal("bad argument #1 to 'view' (light userdata or FFI cdata expected, got string)",
      e(function() gr.view("x", 1) end))
  end)
end)
