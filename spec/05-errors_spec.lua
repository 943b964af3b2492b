-- Every error: Lua errors naming the function, the argument and the problem.
local H = require("spec.helpers")
local gr = H.gr
local msg = H.errmsg

describe("errors", function()
  local reg = gr.new({ 0, 1 }, 1, 0.01)
  local fixed = gr.new(0, 1)
  local fit = gr.new({ mean = 0, std = 1, fit_hyper = true })

  it("reports shapes that do not broadcast", function()
    assert.are.equal("bad argument #1 to 'loss' (shape (4,3) does not broadcast with mean shape (2))",
      msg(function() reg:loss({ { 1, 2, 3 }, { 1, 2, 3 }, { 1, 2, 3 }, { 1, 2, 3 } }) end))
    assert.are.equal("bad argument #1 to 'grad' (shape (3) does not broadcast with mean shape (2))",
      msg(function() reg:grad(gr.array(3)) end))
    local r = gr.new({ mean = 0, std = { 1, 2 }, fit_hyper = true })
    assert.are.equal("bad argument #1 to 'hyper_grad' (shape (3) does not broadcast with precision shape (2))",
      msg(function() r:hyper_grad({ 1, 2, 3 }) end))
    assert.are.equal("bad argument #1 to 'sample_init' (shape (5) does not broadcast with mean shape (2))",
      msg(function() reg:sample_init(5) end))
    assert.are.equal("bad argument #2 to 'new' (std shape (3) does not broadcast with mean shape (2))",
      msg(function() gr.new({ 1, 2 }, { 1, 2, 3 }) end))
  end)

  it("reports holes, wrong element types and ragged nesting", function()
    assert.are.equal("bad argument #1 to 'loss' (hole at index 3)",
      msg(function() fixed:loss({ 1, 2, nil, 4 }) end))
    assert.are.equal("bad argument #1 to 'loss' (expected number at [2][1], got string)",
      msg(function() fixed:loss({ { 1, 2 }, { "x", 2 } }) end))
    assert.are.equal("bad argument #1 to 'loss' (expected number at [2], got boolean)",
      msg(function() fixed:loss({ 1, true }) end))
    assert.are.equal("bad argument #1 to 'grad' (hole at index [2][2])",
      msg(function() fixed:grad({ { 1, 2, 3 }, { 1, nil, 3 } }) end))
    assert.are.equal("bad argument #1 to 'loss' (ragged nesting: [2] has length 1, expected 2)",
      msg(function() fixed:loss({ { 1, 2 }, { 1 } }) end))
    assert.are.equal("bad argument #1 to 'loss' (ragged nesting: expected table at [2], got number)",
      msg(function() fixed:loss({ { 1, 2 }, 3 }) end))
    assert.are.equal("bad argument #1 to 'loss' (expected number at [2], got table)",
      msg(function() fixed:loss({ 1, { 2 } }) end))
    assert.are.equal("bad argument #1 to 'loss' (too many nesting levels (at most 8))",
      msg(function()
        local deep = 1
        for _ = 1, 9 do deep = { deep } end
        fixed:loss(deep)
      end))
    assert.are.equal("bad argument #1 to 'loss' (number, table or gaussianreg.array expected, got string)",
      msg(function() fixed:loss("1") end))
    assert.are.equal("bad argument #1 to 'loss' (number, table or gaussianreg.array expected, got no value)",
      msg(function() fixed:loss() end))
    assert.are.equal("bad argument #1 to 'new' (hole at index 2)",
      msg(function() gr.new({ 1, nil, 3 }, 1) end))
    assert.are.equal("bad argument #1 to 'new' (std: expected number at [1], got string)",
      msg(function() gr.new({ mean = 0, std = { "a" } }) end))
  end)

  it("rejects NaN, infinite and negative hyperparameters at construction", function()
    assert.are.equal("bad argument #1 to 'new' (mean must be finite, got nan)",
      msg(function() gr.new(0 / 0, 1) end))
    assert.are.equal("bad argument #1 to 'new' (mean must be finite, got inf)",
      msg(function() gr.new({ 1, math.huge }, 1) end))
    assert.are.equal("bad argument #2 to 'new' (std must be finite, got nan)",
      msg(function() gr.new(0, { 1, 0 / 0 }) end))
    assert.are.equal("bad argument #2 to 'new' (std must be >= 0, got -1)",
      msg(function() gr.new(0, -1) end))
    assert.are.equal("bad argument #1 to 'new' (std must be >= 0, got -0.5)",
      msg(function() gr.new({ mean = 0, std = { 1, -0.5 } }) end))
    assert.are.equal("bad argument #3 to 'new' (weight must be finite, got inf)",
      msg(function() gr.new(0, 1, math.huge) end))
    assert.are.equal("bad argument #3 to 'new' (weight must be a number, got string)",
      msg(function() gr.new(0, 1, "0.1") end))
    assert.are.equal("bad argument #4 to 'new' (fit_hyper must be a boolean, got number)",
      msg(function() gr.new(0, 1, 1, 1) end))
    assert.are.equal("bad argument #1 to 'new' (mean expected (number, table or gaussianreg.array))",
      msg(function() gr.new() end))
    assert.are.equal("bad argument #2 to 'new' (std expected (number, table or gaussianreg.array))",
      msg(function() gr.new(0) end))
    assert.are.equal("bad argument #1 to 'GaussianReg' (mean must be finite, got nan)",
      msg(function() gr.GaussianReg(0 / 0, 1) end))
  end)

  it("checks the options of a table argument", function()
    assert.are.equal("bad argument #1 to 'new' (unknown option 'stdev')",
      msg(function() gr.new({ mean = 0, std = 1, stdev = 1 }) end))
    assert.are.equal("bad argument #1 to 'new' (option 'std' is required)",
      msg(function() gr.new({ mean = 0 }) end))
    assert.are.equal("bad argument #1 to 'new' (option 'mean' is required)",
      msg(function() gr.new({ std = 0 }) end))
    assert.are.equal("bad argument #1 to 'new' (seed must be a non-negative integer, got -1)",
      msg(function() gr.new({ mean = 0, std = 1, seed = -1 }) end))
    assert.are.equal("bad argument #1 to 'new' (seed must be a non-negative integer, got 1.5)",
      msg(function() gr.new({ mean = 0, std = 1, seed = 1.5 }) end))
    assert.are.equal("bad argument #1 to 'new' (log_mode must be 'per_precision' or 'per_element', got 'full')",
      msg(function() gr.new({ mean = 0, std = 1, log_mode = "full" }) end))
    assert.are.equal("bad argument #1 to 'new' (fit_hyper must be a boolean, got string)",
      msg(function() gr.new({ mean = 0, std = 1, fit_hyper = "yes" }) end))
    assert.are.equal("bad argument #1 to 'new' (weight must be finite, got nan)",
      msg(function() gr.new({ mean = 0, std = 1, weight = 0 / 0 }) end))
  end)

  it("refuses to change fixed hyperparameters", function()
    local fixed_msg = "hyperparameters are fixed: construct with fit_hyper = true"
    assert.are.equal(fixed_msg, msg(function() fixed.mean = 1 end))
    assert.are.equal(fixed_msg, msg(function() fixed.precision = 1 end))
    assert.are.equal(fixed_msg, msg(function() fixed.weight = 1 end))
    assert.are.equal(fixed_msg, msg(function() fixed:hyper_grad(1) end))
    assert.are.equal(0, fixed.mean) -- unchanged
    assert.are.equal("field 'fit_hyper' is read-only", msg(function() fit.fit_hyper = false end))
    assert.are.equal("GaussianReg has no assignable field 'std'", msg(function() fit.std = 1 end))
    assert.are.equal("GaussianReg has no assignable field 'loss'", msg(function() fit.loss = 1 end))
  end)

  it("validates assigned hyperparameters and keeps the old ones on error", function()
    assert.are.equal("mean must be finite, got nan", msg(function() fit.mean = 0 / 0 end))
    assert.are.equal("precision must be finite, got inf", msg(function() fit.precision = math.huge end))
    assert.are.equal("weight must be finite, got nan", msg(function() fit.weight = 0 / 0 end))
    assert.are.equal("weight must be a number, got string", msg(function() fit.weight = "1" end))
    assert.are.equal("mean: hole at index 2", msg(function() fit.mean = { 1, nil, 3 } end))
    assert.are.equal("mean: number, table or gaussianreg.array expected, got nil",
      msg(function() fit.mean = nil end))
    assert.are.equal("log_mode must be 'per_precision' or 'per_element'",
      msg(function() fit.log_mode = "x" end))
    local r = gr.new({ mean = { 1, 2 }, std = { 1, 2 }, fit_hyper = true })
    assert.are.equal("precision shape (3) does not broadcast with mean shape (2)",
      msg(function() r.precision = { 1, 2, 3 } end))
    assert.are.same({ 1, 2 }, r.mean)
    assert.are.equal(0, fit.mean)
    assert.are.equal(1, fit.weight)
  end)

  it("checks self", function()
    assert.are.equal("bad argument #1 to 'loss' (gaussianreg.GaussianReg expected, got number)",
      msg(function() local _ = reg.loss(3, 4) end))
    -- __name in "got ..." is 5.3+ (luaL_typeerror); older Lua says userdata
    local named = _VERSION >= "Lua 5.3" and not rawget(_G, "jit")
    assert.are.equal("bad argument #1 to 'loss' (gaussianreg.GaussianReg expected, got "
      .. (named and "gaussianreg.array" or "userdata") .. ")",
      msg(function() local a = gr.array(2) local _ = reg.loss(a, 1) end))
    local impostor = { loss = reg.loss }
    assert.are.equal("calling 'loss' on bad self (gaussianreg.GaussianReg expected, got table)",
      msg(function() local _ = impostor:loss(1) end))
    assert.are.equal("bad argument #1 to 'totable' (gaussianreg.array expected, got "
      .. (named and "gaussianreg.GaussianReg" or "userdata") .. ")",
      msg(function() local a = gr.array(2) local _ = a.totable(reg) end))
  end)

  it("rejects bad shapes in sample_init", function()
    assert.are.equal("bad argument #1 to 'sample_init' (dimension must be a non-negative integer, got -1)",
      msg(function() fixed:sample_init(-1) end))
    assert.are.equal("bad argument #1 to 'sample_init' (dimension 2 must be a non-negative integer, got 1.5)",
      msg(function() fixed:sample_init({ 2, 1.5 }) end))
    assert.are.equal("bad argument #1 to 'sample_init' (dimension 1 must be a non-negative integer, got string)",
      msg(function() fixed:sample_init({ "2" }) end))
    assert.are.equal("bad argument #1 to 'sample_init' (shape has 9 dimensions (at most 8))",
      msg(function() fixed:sample_init({ 1, 1, 1, 1, 1, 1, 1, 1, 1 }) end))
    assert.are.equal("bad argument #1 to 'sample_init' (shape (1000000000,1000000000,1000000000) "
      .. "has too many elements (more than 9007199254740992))",
      msg(function() fixed:sample_init({ 1e9, 1e9, 1e9 }, "array") end))
    assert.are.equal("result of shape (100000,100000) is too large for a table (use \"array\")",
      msg(function() fixed:sample_init({ 1e5, 1e5 }) end))
    assert.are.equal("bad argument #2 to 'sample_init' (invalid option 'list')",
      msg(function() fixed:sample_init(3, "list") end))
    assert.are.equal("bad argument #1 to 'sample_init' (shape (integer or table of integers) expected, got nil)",
      msg(function() fixed:sample_init(nil) end))
  end)

  it("rejects bad seeds, states and instruction sets", function()
    assert.are.equal("bad argument #1 to 'seed' (seed must be a non-negative integer, got -3)",
      msg(function() fixed:seed(-3) end))
    assert.are.equal("bad argument #1 to 'seed' (seed must be a non-negative integer, got no value)",
      msg(function() fixed:seed() end))
    assert.are.equal("bad argument #1 to 'from_state' (bad magic: not a gaussianreg state)",
      msg(function() gr.from_state("not a state") end))
    local s = fit:state()
    assert.are.equal("bad argument #1 to 'from_state' (truncated: need " .. #s .. " bytes, got "
      .. (#s - 1) .. ")", msg(function() gr.from_state(s:sub(1, #s - 1)) end))
    local flipped = s:sub(1, 20) .. string.char((s:byte(21) + 1) % 256) .. s:sub(22)
    assert.is_truthy(msg(function() gr.from_state(flipped) end)
      :find("^bad argument #1 to 'from_state' %(checksum mismatch %(stored %x+, computed %x+%)%)$"))
    assert.are.equal("bad argument #1 to 'from_state' (string expected, got no value)",
      msg(function() gr.from_state() end))
    assert.are.equal("bad argument #1 to 'set_isa' (unknown instruction set 'mmx')",
      msg(function() fixed:set_isa("mmx") end))
    assert.are.equal("bad argument #1 to 'set_isa' (unknown instruction set 'mmx')",
      msg(function() gr.set_isa("mmx") end))
    for _, isa in ipairs({ "sse2", "avx2", "neon", "wasm128" }) do
      if not gr.isa_supported(isa) then
        assert.are.equal("bad argument #1 to 'set_isa' (instruction set '" .. isa
          .. "' is not available on this CPU or build)", msg(function() fixed:set_isa(isa) end))
      end
    end
  end)

  it("rejects use after close", function()
    local r = gr.new(0, 1)
    r:close()
    r:close() -- idempotent
    assert.are.equal("calling 'loss' on bad self (closed regularizer)", msg(function() r:loss(1) end))
    assert.are.equal("calling 'sample_init' on bad self (closed regularizer)",
      msg(function() r:sample_init(1) end))
    assert.are.equal("closed regularizer", msg(function() return r.mean end))
    assert.are.equal("closed regularizer", msg(function() r.log_mode = "per_element" end))
    assert.are.equal("GaussianReg(closed)", tostring(r))
  end)

  it("reports gr.array misuse", function()
    local a = gr.array({ 1, 2, 3 })
    assert.are.equal("gaussianreg.array index 4 out of range (1..3)", msg(function() return a[4] end))
    assert.are.equal("gaussianreg.array index 0 out of range (1..3)", msg(function() a[0] = 1 end))
    assert.are.equal("gaussianreg.array index 1.5 out of range (1..3)", msg(function() return a[1.5] end))
    assert.are.equal("gaussianreg.array index 1 out of range (the array is empty)",
      msg(function() return gr.array(0)[1] end))
    assert.are.equal("gaussianreg.array element must be a number, got string", msg(function() a[1] = "x" end))
    assert.are.equal("gaussianreg.array has no assignable field 'shape'", msg(function() a.shape = {} end))
    assert.are.equal("bad argument #2 to 'array' (invalid dtype 'int8' (expected 'float64' or 'float32'))",
      msg(function() gr.array(3, "int8") end))
    assert.are.equal("bad argument #1 to 'array' (length, table or gaussianreg.array expected, got boolean)",
      msg(function() gr.array(true) end))
    assert.are.equal("bad argument #1 to 'array' (dimension must be a non-negative integer, got -2)",
      msg(function() gr.array(-2) end))
    assert.are.equal("bad argument #1 to 'array' (hole at index 2)",
      msg(function() gr.array({ 1, nil, 3 }) end))
    assert.are.equal("bad argument #1 to 'array' (dimension 1 must be a non-negative integer, got 0.5)",
      msg(function() gr.array({ shape = { 0.5 } }) end))
  end)
end)
