-- Memory stability: create/collect cycles and error paths keep both the Lua
-- heap (collectgarbage "count") and the core's own allocations flat.
local H = require("spec.helpers")
local gr = H.gr

-- GAUSSREG_TEST_CYCLES overrides. The default is a million (1e4 in the quick
-- per-ISA reruns, which repeat what the full runs already checked).
local CYCLES = tonumber(os.getenv("GAUSSREG_TEST_CYCLES") or "")
  or (H.quick and 10000 or 1000000)

local function settle()
  collectgarbage("collect")
  collectgarbage("collect")
  return collectgarbage("count"), gr._memory()
end

describe("memory", function()
  it("stays flat over " .. CYCLES .. " create/collect cycles", function()
    local kb0, core0 = settle()
    for i = 1, CYCLES do
      local r = gr.new(i % 7, 1 + i % 3, 0.5)
      if i % 1000 == 0 then r:close() end
    end
    local kb1, core1 = settle()
    assert.are.equal(core0, core1)
    assert.is_true(kb1 - kb0 < 64, ("Lua heap grew by %.1f KB"):format(kb1 - kb0))
  end)

  it("releases the core's memory on close and on collection", function()
    local _, core0 = settle()
    local r = gr.new({ mean = { 1, 2, 3, 4 }, std = { 1, 2, 3, 4 } })
    local core1 = gr._memory()
    assert.is_true(core1 > core0)
    r:close()
    assert.are.equal(core0, (gr._memory()))
    r = gr.new({ mean = { 1, 2, 3, 4 }, std = { 1, 2, 3, 4 } }) -- luacheck: ignore 311
    assert.is_true((gr._memory()) > core0)
    r = nil -- luacheck: ignore 311 (drop the only reference; a dead register would keep it)
    local _, core2 = settle()
    assert.are.equal(core0, core2)
  end)

  it("stays flat over error paths", function()
    local reg = gr.new({ mean = { 0, 1 }, std = 1, fit_hyper = true })
    local bad = {
      function() gr.new({ 1, 2 }, { 1, 2, 3 }) end,
      function() gr.new(0 / 0, 1) end,
      function() gr.new({ 1, nil, 3 }, 1) end,
      function() gr.new({ mean = { 1, 2 }, std = { -1, 1 } }) end,
      function() reg:loss({ { 1, 2 }, { 1, "x" } }) end,
      function() reg:grad({ 1, 2, 3 }) end,
      function() reg:hyper_grad({ { 1, 2 }, { 3 } }) end,
      function() reg:sample_init({ 3 }) end,
      function() reg.mean = { 1, 0 / 0 } end,
      function() gr.from_state("junk") end,
      function() gr.array({ 1, {} }) end,
    }
    local n = math.max(CYCLES / 10, 2000)
    local kb0, core0 = settle()
    for i = 1, n do
      assert.is_false(pcall(bad[i % #bad + 1]))
    end
    local kb1, core1 = settle()
    assert.are.equal(core0, core1)
    assert.is_true(kb1 - kb0 < 64, ("Lua heap grew by %.1f KB"):format(kb1 - kb0))
    assert.are.same({ 0, 1 }, reg.mean)
  end)

  it("stays flat when computing with tables and arrays", function()
    local reg = gr.new({ mean = { 0, 1, 2 }, std = 1, fit_hyper = true, seed = 3 })
    local v, a = { { 1, 2, 3 }, { 4, 5, 6 } }, gr.array({ { 1, 2, 3 }, { 4, 5, 6 } })
    local kb0, core0 = settle()
    for _ = 1, math.max(CYCLES / 20, 1000) do
      reg:loss(v)
      reg:grad(v)
      reg:loss_and_grad(a)
      reg:hyper_grad(v)
      reg:sample_init({ 2, 3 }, "array")
      gr.from_state(reg:state())
    end
    local kb1, core1 = settle()
    assert.are.equal(core0, core1)
    assert.is_true(kb1 - kb0 < 64, ("Lua heap grew by %.1f KB"):format(kb1 - kb0))
  end)
end)
