-- Lua input bugs of issue 11, each with its regression test: holes anywhere
-- in a table raise (whatever order the keys were stored in), the table form
-- of gr.array uses its data and options (shape, dtype) or raises, unknown
-- keys raise, and gr.new names a missing option.
local H = require("spec.helpers")
local gr = H.gr

local function errmsg(f) return H.errmsg(f) end

-- Every table of data 1..m plus one stray integer key past a gap, built in
-- many insertion orders (the stray first, last or between; the data
-- ascending or descending), so the keys land in the array part, the hash
-- part, or both, in every node order. With t[6] = 100; t[3] = 3; t[2] = 2;
-- t[1] = 1 the old check started its walk at key 3 and never saw key 6.
local function layouts()
  local out = {}
  for m = 1, 5 do
    for _, stray in ipairs({ m + 2, m + 3, 2 * m + 3 }) do
      for _, descending in ipairs({ false, true }) do
        for at = 0, m do -- the stray key is stored after `at` data keys
          local keys = {}
          for i = 1, m do keys[i] = descending and m + 1 - i or i end
          table.insert(keys, at + 1, stray)
          out[#out + 1] = { m = m, stray = stray, keys = keys }
        end
      end
    end
  end
  return out
end

local function build(keys, stray)
  local t = {}
  for _, k in ipairs(keys) do t[k] = k == stray and 100 or k end
  return t
end

describe("input", function()
  it("raises on a hole anywhere, in every key layout", function()
    local reg = gr.new(0, 1)
    local n = 0
    for _, l in ipairs(layouts()) do
      local want = ("hole at index %d"):format(l.m + 1)
      local e1 = errmsg(function() reg:loss(build(l.keys, l.stray)) end)
      assert.are.equal("bad argument #1 to 'loss' (" .. want .. ")", e1,
        "keys stored in the order " .. table.concat(l.keys, ","))
      local e2 = errmsg(function() gr.array(build(l.keys, l.stray)) end)
      assert.are.equal("bad argument #1 to 'array' (" .. want .. ")", e2)
      -- the same layout one level down
      local e3 = errmsg(function() reg:loss({ build(l.keys, l.stray) }) end)
      assert.is_truthy(e3:find("hole at index [1][" .. (l.m + 1) .. "]", 1, true), e3)
      -- and without the stray key the data reads back in order
      local keys = {}
      for _, k in ipairs(l.keys) do if k ~= l.stray then keys[#keys + 1] = k end end
      local want_data = {}
      for i = 1, l.m do want_data[i] = i end
      assert.are.same(want_data, gr.array(build(keys)):totable())
      n = n + 1
    end
    assert.are.equal(120, n)
    -- the issue's own example, and a constructor with a stray hash key
    local t = {}
    t[6] = 100; t[3] = 3; t[2] = 2; t[1] = 1
    assert.are.equal("bad argument #1 to 'loss' (hole at index 4)", errmsg(function() reg:loss(t) end))
    assert.are.equal("bad argument #1 to 'loss' (hole at index 4)",
      errmsg(function() reg:loss({ 1, 2, 3, [6] = 100 }) end))
    -- keys that are not positive integers are not data and stay ignored
    assert.are.same({ 1, 2 }, gr.array({ 1, 2, [0] = 5, [-1] = 6, [1.5] = 7 }):totable())
  end)

  it("gr.array's table form uses its data with a shape, or raises", function()
    local a = gr.array({ 1, 2, 3, shape = { 3 } })
    assert.are.same({ 1, 2, 3 }, a:totable())
    local b = gr.array({ 1, 2, 3, 4, 5, 6, shape = { 2, 3 } })
    assert.are.same({ 2, 3 }, b.shape)
    assert.are.same({ { 1, 2, 3 }, { 4, 5, 6 } }, b:totable())
    local c = gr.array({ { 1, 2 }, { 3, 4 }, { 5, 6 }, shape = { 6 } })
    assert.are.same({ 1, 2, 3, 4, 5, 6 }, c:totable())
    assert.are.same({ 0, 0 }, gr.array({ shape = { 2 } }):totable())
    assert.are.equal("bad argument #1 to 'array' (data of shape (4) (4 elements) does not fit shape (2,3) "
      .. "(6 elements))", errmsg(function() gr.array({ 1, 2, 3, 4, shape = { 2, 3 } }) end))
    assert.are.equal("bad argument #1 to 'array' (hole at index 2)",
      errmsg(function() gr.array({ 1, nil, 3, shape = { 3 } }) end))
  end)

  it("gr.array's table form takes its dtype", function()
    local a = gr.array({ shape = { 2 }, dtype = "float32" })
    assert.are.equal("float32", a.dtype)
    assert.are.same({ 0, 0 }, a:totable())
    local b = gr.array({ 0.1, 0.2, dtype = "float32" })
    assert.are.equal("float32", b.dtype)
    assert.are.equal(0.100000001490116119384765625, b[1])
    assert.are.equal("float32", gr.array({ shape = { 2 }, dtype = "float32" }, "float32").dtype)
    assert.are.equal("float64", gr.array({ shape = { 2 } }, "float64").dtype)
    assert.are.equal("bad argument #2 to 'array' (dtype 'float64' contradicts the table's dtype 'float32')",
      errmsg(function() gr.array({ shape = { 2 }, dtype = "float32" }, "float64") end))
    assert.are.equal("bad argument #1 to 'array' (field 'dtype': invalid dtype 'int8' (expected 'float64' "
      .. "or 'float32'))", errmsg(function() gr.array({ shape = { 2 }, dtype = "int8" }) end))
    assert.are.equal("bad argument #1 to 'array' (field 'dtype': string expected, got number)",
      errmsg(function() gr.array({ shape = { 2 }, dtype = 32 }) end))
  end)

  it("gr.array's table form rejects unknown keys, as gr.new does", function()
    assert.are.equal("bad argument #1 to 'array' (unknown key 'shap' (expected data at 1, 2, ... and the "
      .. "options 'shape' and 'dtype'))", errmsg(function() gr.array({ shap = { 2 } }) end))
    assert.are.equal("bad argument #1 to 'array' (unknown key 'name' (expected data at 1, 2, ... and the "
      .. "options 'shape' and 'dtype'))", errmsg(function() gr.array({ 1, 2, name = "w" }) end))
    assert.are.equal("bad argument #1 to 'new' (unknown option 'shap')",
      errmsg(function() gr.new({ mean = 0, std = 1, shap = 2 }) end))
  end)

  it("gr.new names a missing option", function()
    assert.are.equal("bad argument #1 to 'new' (option 'mean' is required)",
      errmsg(function() gr.new({ weight = 1 }) end))
    assert.are.equal("bad argument #1 to 'new' (option 'mean' is required)",
      errmsg(function() gr.new({ std = 1, fit_hyper = true }) end))
    assert.are.equal("bad argument #1 to 'new' (option 'std' is required)",
      errmsg(function() gr.new({ mean = 0 }) end))
    assert.are.equal("bad argument #1 to 'new' (unknown option 'foo')",
      errmsg(function() gr.new({ foo = 1 }) end))
    -- a data table is still a mean
    assert.are.same({ 1, 2 }, gr.new({ 1, 2 }, 1).mean)
    assert.are.same({}, gr.new({}, 1).mean)
  end)
end)
