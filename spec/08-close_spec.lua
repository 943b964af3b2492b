-- Explicit lifetime: close(), __gc, and Lua 5.4's to-be-closed variables.
local H = require("spec.helpers")
local gr = H.gr

describe("lifetime", function()
  it("frees on close() and keeps working objects apart", function()
    local a, b = gr.new(0, 1), gr.new(1, 1)
    a:close()
    assert.are.equal(1, b.mean)
    assert.are.equal("GaussianReg(closed)", tostring(a))
  end)

  it("closes a <close> variable at the end of its scope (Lua 5.4)", function()
    if not H.lua54 then
      pending("to-be-closed variables need Lua 5.4")
      return
    end
    local chunk = assert((loadstring or load)([[ -- luacheck: ignore 113
      local gr = ...
      local keep
      do
        local reg <close> = gr.new(0, 1)
        keep = reg
        assert(reg:loss(1) > 0)
      end
      return keep
    ]]))
    local core0 = gr._memory()
    local closed = chunk(gr)
    assert.are.equal("GaussianReg(closed)", tostring(closed))
    assert.is_true((gr._memory()) <= core0)
  end)
end)
