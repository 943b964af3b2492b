--- gaussianreg: a Gaussian-prior regularizer (brainstate.nn.GaussianReg) in C.
-- The C part, gaussianreg.core, does the work; this façade only gathers it
-- into the module table that require("gaussianreg") returns (no globals).
-- The functions are the C functions themselves, so error messages name them
-- ("bad argument #1 to 'new' ..."); under LuaJIT, view is a Lua function
-- that reads FFI cdata and then calls the C one.
local core = require("gaussianreg.core")

local M = {}
for name, value in pairs(core) do
  M[name] = value
end

M._DESCRIPTION = "Gaussian-prior regularizer: loss, gradients, hyper-gradients and "
  .. "sampling over numbers, nested tables, typed arrays and views of host memory"

--- zeros(shape [, dtype]): a gaussianreg.array of zeros; shape is an integer
-- or a table of integers.
function M.zeros(shape, dtype)
  if type(shape) == "table" then
    return core.array({ shape = shape }, dtype)
  end
  return core.array(shape, dtype)
end

--- view(ptr, shape [, dtype [, owner]]): a gaussianreg.array over memory it
-- does not own (no copy). ptr: a light userdata, or under LuaJIT an FFI
-- cdata -- an array (double[n], float[?], ...: the view must fit in it, and
-- keeps it alive unless another owner is given) or a pointer (double *,
-- float *, void *: nothing is known of its extent or lifetime). The memory
-- must outlive the view; owner is kept alive as long as the view.
local has_ffi, ffi = false, nil
if rawget(_G, "jit") then has_ffi, ffi = pcall(require, "ffi") end
if has_ffi then
  local view_light, view_box = core.view, core._view_box
  -- One box per dtype, reused: the C side copies the address out at once.
  -- Assigning to it converts the cdata by C's rules, so LuaJIT itself
  -- refuses a float buffer as float64, a const or struct buffer, a number.
  local boxes = { float64 = ffi.new("double *[1]"), float32 = ffi.new("float *[1]") }
  local ctnames = { float64 = "double", float32 = "float" }
  local function put(box, ptr) box[0] = ptr end

  -- (the C functions are called through locals named view, so that their
  -- argument errors read "bad argument #n to 'view'")
  M.view = function(ptr, shape, dtype, owner)
    local v
    if type(ptr) ~= "cdata" then
      local view = view_light
      v = view(ptr, shape, dtype, owner)
      return v
    end
    local box, bytes = boxes[dtype == nil and "float64" or dtype], nil
    if box ~= nil then
      if not pcall(put, box, ptr) then
        local c = ctnames[dtype or "float64"]
        error(("bad argument #1 to 'view' (%s is not a writable %s buffer: expected %s[n] or %s *)")
          :format(tostring(ffi.typeof(ptr)), dtype or "float64", c, c), 2)
      end
      -- The type, from the cdata's own name ("cdata<double [4]>: 0x...";
      -- these types cannot carry a metatype): an array or a reference to
      -- one has a known size, a pointer none; an array owns its memory, so
      -- the view keeps it alive unless given another owner. (Not
      -- ffi.typeof(ptr): some hosts and test runners cache its argument.)
      local ct = tostring(ptr):match("^cdata<(.*)>: ") or ""
      if not ct:find("%*$") then bytes = ffi.sizeof(ptr) end
      if owner == nil and bytes and not ct:find("&", 1, true) then owner = ptr end
    end
    local view = view_box -- a bad dtype: the C side reports it
    v = view(box or ptr, shape, dtype, owner, bytes)
    return v
  end
end

return M
