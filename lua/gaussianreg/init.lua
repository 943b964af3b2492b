--- gaussianreg: a Gaussian-prior regularizer (brainstate.nn.GaussianReg) in C.
-- The C part, gaussianreg.core, does the work; this façade only gathers it
-- into the module table that require("gaussianreg") returns (no globals).
-- The functions are the C functions themselves, so error messages name them
-- ("bad argument #1 to 'new' ...").
local core = require("gaussianreg.core")

local M = {}
for name, value in pairs(core) do
  M[name] = value
end

M._DESCRIPTION = "Gaussian-prior regularizer: loss, gradients, hyper-gradients and "
  .. "sampling over numbers, nested tables and typed arrays"

--- zeros(shape [, dtype]): a gaussianreg.array of zeros; shape is an integer
-- or a table of integers.
function M.zeros(shape, dtype)
  if type(shape) == "table" then
    return core.array({ shape = shape }, dtype)
  end
  return core.array(shape, dtype)
end

return M
