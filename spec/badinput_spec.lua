-- luacheck: max line length 200
-- Bad-input matrix (issue 7): every public function and assignable field x
-- every kind of bad input -> an error with the expected message (or, where
-- the input is a legal value, a defined result), and afterwards the objects
-- still work and hold their old hyperparameters. Each cell also checks that
-- the call grew the Lua heap by less than 1 MB: bad input is refused before
-- any allocation proportional to what it claims.
--
-- The matrix is data: COLUMNS (the bad values, as code), ROWS (the calls, as
-- code, with SELF standing for the object and `...` for the bad value), and
-- per-kind expectations with per-row overrides. Cells marked `isolate` run in
-- a child interpreter, so that a crash there is a failed test rather than the
-- end of the suite.
local H = require("spec.helpers")
local gr = H.gr

local unpack = table.unpack or unpack -- luacheck: ignore 143

-- The objects every cell sees (rebuilt in a child for isolated cells).
local ENV_CODE = [[
local gr = require("gaussianreg")
local env = { gr = gr, io = io, math = math }
env.reg = gr.new({ 0, 1 }, 1, 0.5)
env.fit = gr.new({ mean = { 0, 1 }, std = { 1, 2 }, weight = 0.25, fit_hyper = true })
env.closed = gr.new({ mean = 0, std = 1, fit_hyper = true })
env.closed:close()
env.closed_open = gr.new({ mean = 0, std = 1 })
env.arr = gr.array({ 1, 2, 3 })
-- a wrong self: a plain table that finds the methods through reg
env.W = setmetatable({}, { __index = function(_, k) return env.reg[k] end })
return env
]]

-- The bad values, as code (evaluated in the environment above).
local COLUMNS = {
  { "nil", "return nil" },
  { "boolean", "return true" },
  { "string", "return 'x'" },
  { "function", "return print" },
  { "ragged table", "return { { 1, 2 }, { 3 } }" },
  { "table with holes", "return { 2, nil, 3 }" },
  { "NaN", "return 0 / 0" },
  { "+Inf", "return math.huge" },
  { "-Inf", "return -math.huge" },
  { "negative dim", "return -2" },
  { "zero dim", "return 0" },
  -- a huge size: for shapes 2^40; for values a small ragged table whose
  -- first elements claim 8^8 elements
  { "huge dim", "return 2^40", value = [[
      local t = { 1, 2, 3, 4, 5, 6, 7, 8 }
      for _ = 1, 7 do t = { t, 1, 1, 1, 1, 1, 1, 1 } end
      return t]] },
  -- an element count that overflows: for shapes 2^31 x 2^31 x 2^31; for
  -- values 8 levels of 256 (256^8 = 2^64 wraps a size_t to 0)
  { "overflowing shape", "return { 2^31, 2^31, 2^31 }", value = [[
      local t = {}
      for i = 1, 256 do t[i] = i end
      for _ = 1, 7 do
        local up = { t }
        for i = 2, 256 do up[i] = 0 end
        t = up
      end
      return t]], isolate = true },
  { "wrong self", "return io.stdout" },
  { "closed object", "return closed" },
}

-- Expected outcomes per kind of argument. A string is the exact message
-- (position prefix removed); { pat = p } a Lua pattern; { ok = f } a call
-- that must succeed with f(results...) true. `n` is the function's name,
-- `a` the argument number.
local function bad(n, a, what)
  return ("bad argument #%d to '%s' (%s)"):format(a, n, what)
end
local function typed(expected)
  return function(n, a, got) return bad(n, a, expected .. " expected, got " .. got) end
end
local value_t = typed("number, table or gaussianreg.array")
local NUMBER_OK = { ok = function(r) return type(r) == "number" or type(r) == "table" end }
local OBJ_OK = { ok = function(r) return type(r) == "userdata" end }
local ANY_OK = { ok = function() return true end }

local KINDS = {}

-- a number, nested table or gaussianreg.array argument (loss, grad, ...)
KINDS.value = function(n, a) return {
  ["nil"] = value_t(n, a, "nil"),
  boolean = value_t(n, a, "boolean"),
  string = value_t(n, a, "string"),
  ["function"] = value_t(n, a, "function"),
  ["ragged table"] = bad(n, a, "ragged nesting: [2] has length 1, expected 2"),
  ["table with holes"] = bad(n, a, "hole at index 2"),
  NaN = NUMBER_OK, ["+Inf"] = NUMBER_OK, ["-Inf"] = NUMBER_OK,
  ["negative dim"] = NUMBER_OK, ["zero dim"] = NUMBER_OK,
  ["huge dim"] = bad(n, a, "ragged nesting: expected table at [1][1][1][1][1][1][2], got number"),
  ["overflowing shape"] = bad(n, a, "table shape (256,256,256,256,256,256,256,256) has too many "
    .. "elements (more than 9007199254740992)"),
  ["wrong self"] = value_t(n, a, "userdata"),
  ["closed object"] = value_t(n, a, "userdata"),
} end

-- a hyperparameter at construction: like a value, but NaN/Inf/negative
-- std are refused by the core
KINDS.hyper = function(n, a, name, prefix)
  local e = KINDS.value(n, a)
  prefix = prefix or ""
  for k, v in pairs(e) do
    if type(v) == "string" then e[k] = v:gsub("%(", "(" .. prefix, 1) end
  end
  e["negative dim"], e["zero dim"] = OBJ_OK, OBJ_OK
  e.NaN = bad(n, a, name .. " must be finite, got nan")
  e["+Inf"] = bad(n, a, name .. " must be finite, got inf")
  e["-Inf"] = bad(n, a, name .. " must be finite, got -inf")
  if name == "std" then e["negative dim"] = bad(n, a, "std must be >= 0, got -2") end
  e["nil"] = nil -- set by the row
  return e
end

-- a shape (sample_init, array, zeros)
local shape_t = typed("shape (integer or table of integers)")
KINDS.shape = function(n, a) return {
  ["nil"] = shape_t(n, a, "nil"),
  boolean = shape_t(n, a, "boolean"),
  string = shape_t(n, a, "string"),
  ["function"] = shape_t(n, a, "function"),
  ["ragged table"] = bad(n, a, "dimension 1 must be a non-negative integer, got table"),
  ["table with holes"] = bad(n, a, "dimension 2 must be a non-negative integer, got nil"),
  NaN = { pat = "^" .. bad(n, a, "dimension must be a non-negative integer, got X")
    :gsub("%p", "%%%0"):gsub("X", "%%-?nan") .. "$" },
  ["+Inf"] = bad(n, a, "dimension must be a non-negative integer, got inf"),
  ["-Inf"] = bad(n, a, "dimension must be a non-negative integer, got -inf"),
  ["negative dim"] = bad(n, a, "dimension must be a non-negative integer, got -2"),
  ["zero dim"] = { ok = function(r) return type(r) == "table" or type(r) == "userdata" end },
  ["huge dim"] = "result of shape (1099511627776) is too large for a table (use \"array\")",
  ["overflowing shape"] = bad(n, a, "shape (2147483648,2147483648,2147483648) has too many "
    .. "elements (more than 9007199254740992)"),
  ["wrong self"] = shape_t(n, a, "userdata"),
  ["closed object"] = shape_t(n, a, "userdata"),
} end

-- an optional string option (form "table"/"array", dtype, isa names)
KINDS.option = function(n, a, invalid)
  local function got(t) return bad(n, a, "string expected, got " .. t) end
  local function inv(s) return bad(n, a, invalid:format(s)) end
  return {
    ["nil"] = NUMBER_OK, boolean = got("boolean"), string = inv("x"),
    ["function"] = got("function"), ["ragged table"] = got("table"),
    ["table with holes"] = got("table"),
    NaN = { pat = "^" .. inv("X"):gsub("%p", "%%%0"):gsub("X", "%%-?nan") .. "$" },
    ["+Inf"] = inv("inf"), ["-Inf"] = inv("-inf"), ["negative dim"] = inv("-2"),
    ["zero dim"] = inv("0"),
    ["huge dim"] = { pat = "^" .. inv("X"):gsub("%p", "%%%0"):gsub("X", "1%%.?0?99511627776[%%.e0+12]*") .. "$" },
    ["overflowing shape"] = got("table"),
    -- luaL_checkstring names the type by __name where the Lua version does
    ["wrong self"] = { pat = "^" .. got("X"):gsub("%p", "%%%0"):gsub("X", "[%%w%%*]+") .. "$" },
    ["closed object"] = { pat = "^" .. got("X"):gsub("%p", "%%%0"):gsub("X", "[%%w%%.]+") .. "$" },
  }
end

-- a non-negative integer seed
KINDS.seed = function(n, a, prefix)
  prefix = prefix or ""
  local function s(got) return bad(n, a, prefix .. "seed must be a non-negative integer, got " .. got) end
  return {
    ["nil"] = s("nil"), boolean = s("boolean"), string = s("string"),
    ["function"] = s("function"), ["ragged table"] = s("table"),
    ["table with holes"] = s("table"),
    NaN = { pat = "^" .. s("X"):gsub("%p", "%%%0"):gsub("X", "%%-?nan") .. "$" },
    ["+Inf"] = s("inf"), ["-Inf"] = s("-inf"), ["negative dim"] = s("-2"),
    ["zero dim"] = ANY_OK, ["huge dim"] = ANY_OK,
    ["overflowing shape"] = s("table"), ["wrong self"] = s("userdata"),
    ["closed object"] = s("userdata"),
  }
end

local FORM_BAD = "invalid option '%s'"
local function FORM_OR_OUT(t)
  return ("bad argument #2 to 'sample_init' ('table', 'array' or a gaussianreg.array expected, got %s)"):format(t)
end
local FIXED = "hyperparameters are fixed: construct with fit_hyper = true"

local function all(v)
  local e = {}
  for _, c in ipairs(COLUMNS) do e[c[1]] = v end
  return e
end

local function merge(e, over)
  for k, v in pairs(over or {}) do e[k] = v end
  return e
end

-- Cells every method row shares: a wrong self and a closed self.
local function method(n, e)
  e["wrong self"] = ("calling '%s' on bad self (gaussianreg.GaussianReg expected, got table)"):format(n)
  e["closed object"] = ("calling '%s' on bad self (closed regularizer)"):format(n)
  return e
end

-- The rows. code: SELF is the object, `...` the bad value. self: the object
-- the row works on ("wrong self" puts `wrong` (default W) there, "closed
-- object" the closed regularizer, both with the value `good`); rows without
-- self get io.stdout / the closed object as the value in those columns.
-- value: the row takes values, so the columns' value variants apply.
local ROWS = {
  { name = "reg:loss(v)", code = "local r = SELF:loss(...) return r", self = "reg", good = "1",
    value = true, expect = method("loss", KINDS.value("loss", 1)) },
  { name = "reg:grad(v)", code = "local r = SELF:grad(...) return r", self = "reg", good = "1",
    value = true, expect = method("grad", KINDS.value("grad", 1)) },
  { name = "reg:loss_and_grad(v)", code = "local l, g = SELF:loss_and_grad(...) return l, g",
    self = "reg", good = "1", value = true,
    expect = method("loss_and_grad", KINDS.value("loss_and_grad", 1)) },
  { name = "fit:hyper_grad(v)", code = "local r = SELF:hyper_grad(...) return r", self = "fit",
    good = "1", value = true, expect = method("hyper_grad", KINDS.value("hyper_grad", 1)) },
  { name = "reg:hyper_grad(v) (fixed)", code = "local r = SELF:hyper_grad(...) return r",
    self = "reg", good = "1", value = true, expect = method("hyper_grad", all(FIXED)) },
  { name = "reg:sample_init(shape)", code = "local r = SELF:sample_init(...) return r",
    self = "reg", good = "2", expect = method("sample_init", merge(KINDS.shape("sample_init", 1), {
      -- reg's mean has shape (2): (0) and (2^40) do not broadcast with it
      ["zero dim"] = bad("sample_init", 1, "shape (0) does not broadcast with mean shape (2)"),
      ["huge dim"] = bad("sample_init", 1, "shape (1099511627776) does not broadcast with mean shape (2)"),
    })) },
  { name = "fit:sample_init(shape) (scalar prior)", code = "local r = SELF:sample_init(...) return r",
    self = "closed_open", good = "2", expect = method("sample_init", KINDS.shape("sample_init", 1)) },
  { name = "reg:sample_init(2, form)", code = "local r = SELF:sample_init(2, ...) return r",
    self = "reg", good = "'array'", expect = method("sample_init", merge(KINDS.option("sample_init", 2, FORM_BAD), {
      -- the third argument is a form name or an out= array: anything else is named by type
      boolean = FORM_OR_OUT("boolean"), ["function"] = FORM_OR_OUT("function"),
      ["ragged table"] = FORM_OR_OUT("table"), ["table with holes"] = FORM_OR_OUT("table"),
      NaN = FORM_OR_OUT("number"), ["+Inf"] = FORM_OR_OUT("number"), ["-Inf"] = FORM_OR_OUT("number"),
      ["negative dim"] = FORM_OR_OUT("number"), ["zero dim"] = FORM_OR_OUT("number"),
      ["huge dim"] = FORM_OR_OUT("number"), ["overflowing shape"] = FORM_OR_OUT("table"),
    })) },
  { name = "reg:reset_value(form)", code = "local r = SELF:reset_value(...) return r",
    self = "reg", good = "'table'", expect = method("reset_value", KINDS.option("reset_value", 1, FORM_BAD)) },
  { name = "reg:seed(n)", code = "SELF:seed(...)", self = "reg", good = "7",
    expect = method("seed", KINDS.seed("seed", 1)) },
  { name = "reg:set_isa(name)", code = "local r = SELF:set_isa(...) return r", self = "reg",
    good = "'scalar'", expect = method("set_isa", merge(KINDS.option("set_isa", 1,
      "unknown instruction set '%s'"), { ["nil"] = bad("set_isa", 1, "string expected, got nil") })) },
  { name = "reg:state()", code = "local r = SELF:state(...) return r", self = "reg", good = "nil",
    expect = method("state", all({ ok = function(s) return type(s) == "string" end })) },
  { name = "gr.new(mean, 1)", code = "local r = gr.new(..., 1) return r", value = true,
    expect = merge(KINDS.hyper("new", 1, "mean"), {
      ["nil"] = bad("new", 1, "mean expected (number, table or gaussianreg.array)") }) },
  { name = "gr.new(0, std)", code = "local r = gr.new(0, ...) return r", value = true,
    expect = merge(KINDS.hyper("new", 2, "std"), {
      ["nil"] = bad("new", 2, "std expected (number, table or gaussianreg.array)") }) },
  { name = "gr.new{mean = v}", code = "local r = gr.new({ mean = ..., std = 1 }) return r",
    value = true, expect = merge(KINDS.hyper("new", 1, "mean", "mean: "), {
      ["nil"] = bad("new", 1, "option 'mean' is required") }) },
  { name = "gr.new{std = v}", code = "local r = gr.new({ mean = 0, std = ... }) return r",
    value = true, expect = merge(KINDS.hyper("new", 1, "std", "std: "), {
      ["nil"] = bad("new", 1, "option 'std' is required") }) },
  { name = "gr.new{seed = v}", code = "local r = gr.new({ mean = 0, std = 1, seed = ... }) return r",
    expect = merge(KINDS.seed("new", 1), { ["nil"] = OBJ_OK, ["zero dim"] = OBJ_OK,
      ["huge dim"] = OBJ_OK }) },
  { name = "gr.GaussianReg(mean, 1)", code = "local r = gr.GaussianReg(..., 1) return r", value = true,
    expect = merge(KINDS.hyper("GaussianReg", 1, "mean"), {
      ["nil"] = bad("GaussianReg", 1, "mean expected (number, table or gaussianreg.array)") }) },
  { name = "gr.array(3, dtype)", code = "local r = gr.array(3, ...) return r",
    expect = merge(KINDS.option("array", 2, "invalid dtype '%s' (expected 'float64' or 'float32')"),
      { ["nil"] = OBJ_OK }) },
  { name = "gr.set_isa(name)", code = "local r = gr.set_isa(...) return r",
    expect = merge(KINDS.option("set_isa", 1, "unknown instruction set '%s'"), {
      ["nil"] = bad("set_isa", 1, "string expected, got nil") }) },
  -- rows whose cells are listed in full below (GOLDEN)
  { name = "gr.new(0, 1, weight)", code = "local r = gr.new(0, 1, ...) return r" },
  { name = "gr.new(0, 1, 1, fit_hyper)", code = "local r = gr.new(0, 1, 1, ...) return r" },
  { name = "gr.from_state(s)", code = "local r = gr.from_state(...) return r" },
  { name = "gr.array(data)", code = "local r = gr.array(...) return r", value = true },
  { name = "gr.zeros(shape)", code = "local r = gr.zeros(...) return r" },
  { name = "fit.mean = v", code = "SELF.mean = ...", self = "fit", good = "{ 0, 1 }",
    wrong = "arr", value = true },
  { name = "fit.precision = v", code = "SELF.precision = ...", self = "fit", good = "{ 1, 1 }",
    wrong = "arr", value = true },
  { name = "fit.weight = v", code = "SELF.weight = ...", self = "fit", good = "0.25", wrong = "arr" },
  { name = "fit.log_mode = v", code = "SELF.log_mode = ...", self = "fit", good = "'per_precision'",
    wrong = "arr" },
  { name = "reg.weight = v (fixed)", code = "SELF.weight = ...", self = "reg", good = "1", wrong = "arr" },
  { name = "arr[1] = v", code = "SELF[1] = ...", self = "arr", good = "1", wrong = "reg" },
  { name = "arr[v]", code = "local r = SELF[...] return r", self = "arr", good = "1", wrong = "reg" },
}

-- Full expectations of the rows above that have none (GOLDEN[row][column]).
-- (Generated once with GAUSSREG_BADINPUT_DUMP=1 from the binding, then read
-- and kept: each message names the argument and the problem.)
local GOLDEN = {
  ["gr.new(0, 1, weight)"] = {
    ["nil"] = ANY_OK,
    ["boolean"] = "bad argument #3 to 'new' (weight must be a number, got boolean)",
    ["string"] = "bad argument #3 to 'new' (weight must be a number, got string)",
    ["function"] = "bad argument #3 to 'new' (weight must be a number, got function)",
    ["ragged table"] = "bad argument #3 to 'new' (weight must be a number, got table)",
    ["table with holes"] = "bad argument #3 to 'new' (weight must be a number, got table)",
    ["NaN"] = "bad argument #3 to 'new' (weight must be finite, got nan)",
    ["+Inf"] = "bad argument #3 to 'new' (weight must be finite, got inf)",
    ["-Inf"] = "bad argument #3 to 'new' (weight must be finite, got -inf)",
    ["negative dim"] = ANY_OK,
    ["zero dim"] = ANY_OK,
    ["huge dim"] = ANY_OK,
    ["overflowing shape"] = "bad argument #3 to 'new' (weight must be a number, got table)",
    ["wrong self"] = "bad argument #3 to 'new' (weight must be a number, got userdata)",
    ["closed object"] = "bad argument #3 to 'new' (weight must be a number, got userdata)",
  },
  ["gr.new(0, 1, 1, fit_hyper)"] = {
    ["nil"] = ANY_OK,
    ["boolean"] = ANY_OK,
    ["string"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got string)",
    ["function"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got function)",
    ["ragged table"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got table)",
    ["table with holes"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got table)",
    ["NaN"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got number)",
    ["+Inf"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got number)",
    ["-Inf"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got number)",
    ["negative dim"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got number)",
    ["zero dim"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got number)",
    ["huge dim"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got number)",
    ["overflowing shape"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got table)",
    ["wrong self"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got userdata)",
    ["closed object"] = "bad argument #4 to 'new' (fit_hyper must be a boolean, got userdata)",
  },
  ["gr.from_state(s)"] = {
    ["nil"] = "bad argument #1 to 'from_state' (string expected, got nil)",
    ["boolean"] = "bad argument #1 to 'from_state' (string expected, got boolean)",
    ["string"] = "bad argument #1 to 'from_state' (bad magic: not a gaussianreg state)",
    ["function"] = "bad argument #1 to 'from_state' (string expected, got function)",
    ["ragged table"] = "bad argument #1 to 'from_state' (string expected, got table)",
    ["table with holes"] = "bad argument #1 to 'from_state' (string expected, got table)",
    ["NaN"] = "bad argument #1 to 'from_state' (bad magic: not a gaussianreg state)",
    ["+Inf"] = "bad argument #1 to 'from_state' (bad magic: not a gaussianreg state)",
    ["-Inf"] = "bad argument #1 to 'from_state' (bad magic: not a gaussianreg state)",
    ["negative dim"] = "bad argument #1 to 'from_state' (bad magic: not a gaussianreg state)",
    ["zero dim"] = "bad argument #1 to 'from_state' (bad magic: not a gaussianreg state)",
    ["huge dim"] = "bad argument #1 to 'from_state' (bad magic: not a gaussianreg state)",
    ["overflowing shape"] = "bad argument #1 to 'from_state' (string expected, got table)",
    ["wrong self"] = "bad argument #1 to 'from_state' (string expected, got FILE*)",
    ["closed object"] = "bad argument #1 to 'from_state' (string expected, got gaussianreg.GaussianReg)",
  },
  ["gr.array(data)"] = {
    ["nil"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got nil)",
    ["boolean"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got boolean)",
    ["string"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got string)",
    ["function"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got function)",
    ["ragged table"] = "bad argument #1 to 'array' (ragged nesting: [2] has length 1, expected 2)",
    ["table with holes"] = "bad argument #1 to 'array' (hole at index 2)",
    ["NaN"] = "bad argument #1 to 'array' (dimension must be a non-negative integer, got -nan)",
    ["+Inf"] = "bad argument #1 to 'array' (dimension must be a non-negative integer, got inf)",
    ["-Inf"] = "bad argument #1 to 'array' (dimension must be a non-negative integer, got -inf)",
    ["negative dim"] = "bad argument #1 to 'array' (dimension must be a non-negative integer, got -2)",
    ["zero dim"] = ANY_OK,
    ["huge dim"] = "bad argument #1 to 'array' (ragged nesting: expected table at [1][1][1][1][1][1][2], got number)",
    ["overflowing shape"] = "bad argument #1 to 'array' (table shape (256,256,256,256,256,256,256,256) has too many elements (more than 9007199254740992))",
    ["wrong self"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got userdata)",
    ["closed object"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got userdata)",
  },
  ["gr.zeros(shape)"] = {
    ["nil"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got nil)",
    ["boolean"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got boolean)",
    ["string"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got string)",
    ["function"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got function)",
    ["ragged table"] = "bad argument #1 to 'array' (dimension 1 must be a non-negative integer, got table)",
    ["table with holes"] = "bad argument #1 to 'array' (dimension 2 must be a non-negative integer, got nil)",
    ["NaN"] = "bad argument #1 to 'array' (dimension must be a non-negative integer, got -nan)",
    ["+Inf"] = "bad argument #1 to 'array' (dimension must be a non-negative integer, got inf)",
    ["-Inf"] = "bad argument #1 to 'array' (dimension must be a non-negative integer, got -inf)",
    ["negative dim"] = "bad argument #1 to 'array' (dimension must be a non-negative integer, got -2)",
    ["zero dim"] = ANY_OK,
    ["huge dim"] = "not enough memory",
    ["overflowing shape"] = "bad argument #1 to 'array' (shape (2147483648,2147483648,2147483648) has too many elements (more than 9007199254740992))",
    ["wrong self"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got userdata)",
    ["closed object"] = "bad argument #1 to 'array' (length, table or gaussianreg.array expected, got userdata)",
  },
  ["fit.mean = v"] = {
    ["nil"] = "mean: number, table or gaussianreg.array expected, got nil",
    ["boolean"] = "mean: number, table or gaussianreg.array expected, got boolean",
    ["string"] = "mean: number, table or gaussianreg.array expected, got string",
    ["function"] = "mean: number, table or gaussianreg.array expected, got function",
    ["ragged table"] = "mean: ragged nesting: [2] has length 1, expected 2",
    ["table with holes"] = "mean: hole at index 2",
    ["NaN"] = "mean must be finite, got nan",
    ["+Inf"] = "mean must be finite, got inf",
    ["-Inf"] = "mean must be finite, got -inf",
    ["negative dim"] = ANY_OK,
    ["zero dim"] = ANY_OK,
    ["huge dim"] = "mean: ragged nesting: expected table at [1][1][1][1][1][1][2], got number",
    ["overflowing shape"] = "mean: table shape (256,256,256,256,256,256,256,256) has too many elements (more than 9007199254740992)",
    ["wrong self"] = "gaussianreg.array has no assignable field 'mean'",
    ["closed object"] = "closed regularizer",
  },
  ["fit.precision = v"] = {
    ["nil"] = "precision: number, table or gaussianreg.array expected, got nil",
    ["boolean"] = "precision: number, table or gaussianreg.array expected, got boolean",
    ["string"] = "precision: number, table or gaussianreg.array expected, got string",
    ["function"] = "precision: number, table or gaussianreg.array expected, got function",
    ["ragged table"] = "precision: ragged nesting: [2] has length 1, expected 2",
    ["table with holes"] = "precision: hole at index 2",
    ["NaN"] = "precision must be finite, got nan",
    ["+Inf"] = "precision must be finite, got inf",
    ["-Inf"] = "precision must be finite, got -inf",
    ["negative dim"] = ANY_OK,
    ["zero dim"] = ANY_OK,
    ["huge dim"] = "precision: ragged nesting: expected table at [1][1][1][1][1][1][2], got number",
    ["overflowing shape"] = "precision: table shape (256,256,256,256,256,256,256,256) has too many elements (more than 9007199254740992)",
    ["wrong self"] = "gaussianreg.array has no assignable field 'precision'",
    ["closed object"] = "closed regularizer",
  },
  ["fit.weight = v"] = {
    ["nil"] = "weight must be a number, got nil",
    ["boolean"] = "weight must be a number, got boolean",
    ["string"] = "weight must be a number, got string",
    ["function"] = "weight must be a number, got function",
    ["ragged table"] = "weight must be a number, got table",
    ["table with holes"] = "weight must be a number, got table",
    ["NaN"] = "weight must be finite, got nan",
    ["+Inf"] = "weight must be finite, got inf",
    ["-Inf"] = "weight must be finite, got -inf",
    ["negative dim"] = ANY_OK,
    ["zero dim"] = ANY_OK,
    ["huge dim"] = ANY_OK,
    ["overflowing shape"] = "weight must be a number, got table",
    ["wrong self"] = "gaussianreg.array has no assignable field 'weight'",
    ["closed object"] = "closed regularizer",
  },
  ["fit.log_mode = v"] = {
    ["nil"] = "log_mode must be 'per_precision' or 'per_element'",
    ["boolean"] = "log_mode must be 'per_precision' or 'per_element'",
    ["string"] = "log_mode must be 'per_precision' or 'per_element'",
    ["function"] = "log_mode must be 'per_precision' or 'per_element'",
    ["ragged table"] = "log_mode must be 'per_precision' or 'per_element'",
    ["table with holes"] = "log_mode must be 'per_precision' or 'per_element'",
    ["NaN"] = "log_mode must be 'per_precision' or 'per_element'",
    ["+Inf"] = "log_mode must be 'per_precision' or 'per_element'",
    ["-Inf"] = "log_mode must be 'per_precision' or 'per_element'",
    ["negative dim"] = "log_mode must be 'per_precision' or 'per_element'",
    ["zero dim"] = "log_mode must be 'per_precision' or 'per_element'",
    ["huge dim"] = "log_mode must be 'per_precision' or 'per_element'",
    ["overflowing shape"] = "log_mode must be 'per_precision' or 'per_element'",
    ["wrong self"] = "gaussianreg.array has no assignable field 'log_mode'",
    ["closed object"] = "closed regularizer",
  },
  ["reg.weight = v (fixed)"] = {
    ["nil"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["boolean"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["string"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["function"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["ragged table"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["table with holes"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["NaN"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["+Inf"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["-Inf"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["negative dim"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["zero dim"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["huge dim"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["overflowing shape"] = "hyperparameters are fixed: construct with fit_hyper = true",
    ["wrong self"] = "gaussianreg.array has no assignable field 'weight'",
    ["closed object"] = "closed regularizer",
  },
  ["arr[1] = v"] = {
    ["nil"] = "gaussianreg.array element must be a number, got nil",
    ["boolean"] = "gaussianreg.array element must be a number, got boolean",
    ["string"] = "gaussianreg.array element must be a number, got string",
    ["function"] = "gaussianreg.array element must be a number, got function",
    ["ragged table"] = "gaussianreg.array element must be a number, got table",
    ["table with holes"] = "gaussianreg.array element must be a number, got table",
    ["NaN"] = ANY_OK,
    ["+Inf"] = ANY_OK,
    ["-Inf"] = ANY_OK,
    ["negative dim"] = ANY_OK,
    ["zero dim"] = ANY_OK,
    ["huge dim"] = ANY_OK,
    ["overflowing shape"] = "gaussianreg.array element must be a number, got table",
    ["wrong self"] = "GaussianReg has no assignable field number",
    ["closed object"] = "GaussianReg has no assignable field number",
  },
  ["arr[v]"] = {
    ["nil"] = ANY_OK,
    ["boolean"] = ANY_OK,
    ["string"] = ANY_OK,
    ["function"] = ANY_OK,
    ["ragged table"] = ANY_OK,
    ["table with holes"] = ANY_OK,
    ["NaN"] = "gaussianreg.array index -nan out of range (1..3)",
    ["+Inf"] = "gaussianreg.array index inf out of range (1..3)",
    ["-Inf"] = "gaussianreg.array index -inf out of range (1..3)",
    ["negative dim"] = "gaussianreg.array index -2 out of range (1..3)",
    ["zero dim"] = "gaussianreg.array index 0 out of range (1..3)",
    -- 5.3+ prints the float key as 1099511627776.0, older versions without .0
    ["huge dim"] = { pat = "^gaussianreg%.array index 1099511627776%.?0? out of range %(1%.%.3%)$" },
    ["overflowing shape"] = ANY_OK,
    ["wrong self"] = ANY_OK,
    ["closed object"] = ANY_OK,
  },
}

-- Messages that differ between Lua versions or libcs become patterns: NaN
-- prints as "nan" or "-nan"; "got FILE*"/"got gaussianreg.GaussianReg" use
-- __name (5.3+), older versions say "userdata".
local function portable(v)
  if type(v) ~= "string" then return v end
  if not (v:find("nan", 1, true) or v:find("got FILE*", 1, true)
      or v:find("got gaussianreg.GaussianReg)", 1, true)) then return v end
  local p = v:gsub("%p", "%%%0")
  p = p:gsub("%%%-nan", "%%-?nan"):gsub("([^%-])nan", "%1%%-?nan")
  p = p:gsub("got FILE%%%*", "got [%%w%%*]+"):gsub("got gaussianreg%%%.GaussianReg%%%)", "got [%%w%%.]+%%)")
  return { pat = "^" .. p .. "$" }
end
for _, cells in pairs(GOLDEN) do
  for k, v in pairs(cells) do cells[k] = portable(v) end
end
-- 2^40 doubles: Lua reports "not enough memory", LuaJIT its userdata limit
GOLDEN["gr.zeros(shape)"]["huge dim"] = { one_of = { "not enough memory", "userdata length overflow" } }
-- gr.zeros is the façade over core.array: 5.x names the C function
-- ('array'), LuaJIT the caller ('zeros')
for k, v in pairs(GOLDEN["gr.zeros(shape)"]) do
  if type(v) == "string" and v:find("to 'array'", 1, true) then
    GOLDEN["gr.zeros(shape)"][k] = { pat = "^" .. v:gsub("%p", "%%%0"):gsub("to %%'array%%'", "to '%%a+'") .. "$" }
  elseif type(v) == "table" and v.pat then
    v.pat = v.pat:gsub("to %%'array%%'", "to '%%a+'")
  end
end

-- {====================================================================
-- Running a cell
-- =====================================================================

local function load_in(code, name, env)
  if rawget(_G, "setfenv") and not rawget(_G, "jit") and _VERSION == "Lua 5.1" then
    local f = assert(loadstring(code, name)) -- luacheck: ignore 113
    setfenv(f, env) -- luacheck: ignore 113
    return f
  end
  if _VERSION == "Lua 5.1" then -- LuaJIT: load with an environment via setfenv
    local f = assert(loadstring(code, name)) -- luacheck: ignore 113
    setfenv(f, env) -- luacheck: ignore 113
    return f
  end
  return assert(load(code, name, "t", env))
end

local function strip(e)
  return (tostring(e):gsub("^[^\n]-:%d+: ", "", 1))
end

-- The code of a cell: the call with SELF resolved and the value's code.
local function cell_code(row, col)
  local selfname, vcode = row.self, (row.value and col.value) or col[2]
  if col[1] == "wrong self" or col[1] == "closed object" then
    if row.self then
      selfname = col[1] == "wrong self" and (row.wrong or "W") or "closed"
      vcode = "return " .. row.good
    end
  end
  return row.code:gsub("SELF", selfname or "reg"), vcode
end

-- Runs a cell in this state: ok, results (or message), heap growth in KB.
local function run_here(env, row, col)
  local call, vcode = cell_code(row, col)
  local value = load_in(vcode, "=value", env)()
  local f = load_in(call, "=" .. row.name, env)
  collectgarbage("collect")
  collectgarbage("stop")
  local kb0 = collectgarbage("count")
  local res = { pcall(f, value) }
  local grown = collectgarbage("count") - kb0
  collectgarbage("restart")
  local ok = table.remove(res, 1)
  if not ok then res = strip(res[1]) end
  return ok, res, grown
end

-- The interpreter running this suite, for isolated cells.
local function interpreter()
  local e = os.getenv("GAUSSREG_LUA")
  if e then return e end
  if rawget(_G, "jit") then return "luajit" end
  return "lua" .. _VERSION:match("%d+%.%d+")
end

-- Runs a cell in a child interpreter: a crash there is reported, not fatal.
local function run_isolated(row, col)
  local call, vcode = cell_code(row, col)
  local script = ("package.path = %q\npackage.cpath = %q\n"):format(package.path, package.cpath)
    .. "local env = (function()\n" .. ENV_CODE .. "\nend)()\n"
    .. "local load_in = " .. [[function(code, name, e)
         if _VERSION == "Lua 5.1" then local f = assert(loadstring(code, name)) setfenv(f, e) return f end
         return assert(load(code, name, "t", e)) end
       ]] .. "\n"
    .. ("local value = load_in(%q, '=value', env)()\n"):format(vcode)
    .. ("local ok, e = pcall(load_in(%q, '=cell', env), value)\n"):format(call)
    .. "io.write(ok and 'OK\\n' or ('ERR\\t' .. tostring(e):gsub('^[^\\n]-:%d+: ', '', 1) .. '\\n'))\n"
  local path = os.tmpname()
  local fh = assert(io.open(path, "w"))
  fh:write(script)
  fh:close()
  local p = assert(io.popen(interpreter() .. " " .. path .. " 2>&1"))
  local out = p:read("*a")
  p:close()
  os.remove(path)
  local msg = out:match("^ERR\t([^\n]*)\n")
  if msg then return false, msg end
  if out:match("^OK\n") then return true, {} end
  return false, "child interpreter died: " .. out:sub(1, 300)
end

-- Checks an outcome against an expectation; returns nil or a complaint.
local function verdict(want, ok, res)
  if type(want) == "table" and want.one_of then
    if ok then return "expected an error, got success" end
    for _, m in ipairs(want.one_of) do
      if res == m then return nil end
    end
    return ("expected one of %q, got %q"):format(table.concat(want.one_of, " | "), res)
  end
  if type(want) == "string" or (type(want) == "table" and want.pat) then
    if ok then return "expected an error, got success" end
    if type(want) == "string" then
      if res ~= want then return ("expected %q, got %q"):format(want, res) end
    elseif not res:find(want.pat) then
      return ("expected /%s/, got %q"):format(want.pat, res)
    end
    return nil
  end
  if not ok then return "expected success, got error " .. ("%q"):format(res) end
  if not want.ok(unpack(res)) then return "unexpected result" end
  return nil
end

-- }====================================================================

describe("bad-input matrix", function()
  local env = load_in(ENV_CODE, "=env", setmetatable({}, { __index = _G }))()
  env.print = print
  local reg, fit = env.reg, env.fit
  local loss_reg, loss_fit = reg:loss({ 3, -1 }), fit:loss({ 3, -1 })
  local default_isa = gr.set_isa("auto")
  gr.set_isa(default_isa)
  local dump = os.getenv("GAUSSREG_BADINPUT_DUMP")

  -- puts fit back after a cell that legally changed it
  local function restore()
    fit.mean, fit.precision, fit.weight, fit.log_mode = { 0, 1 }, { 1 / (1 + 1e-8), 1 / (4 + 1e-8) },
      0.25, "per_precision"
    reg:set_isa(default_isa)
    gr.set_isa(default_isa)
  end

  for _, row in ipairs(ROWS) do
    it(row.name, function()
      local expect = row.expect or GOLDEN[row.name]
      local problems, lines = {}, {}
      for _, col in ipairs(COLUMNS) do
        local ok, res, grown
        if col.isolate and row.value then
          ok, res = run_isolated(row, col)
          grown = 0
        else
          ok, res, grown = run_here(env, row, col)
        end
        if dump and not row.expect then
          lines[#lines + 1] = ("    [%q] = %s,"):format(col[1], ok and "OK" or ("%q"):format(res))
        end
        local want = expect and expect[col[1]]
        local complaint = want and verdict(want, ok, res)
        if not want and not dump then complaint = "no expectation for this cell" end
        if complaint then problems[#problems + 1] = col[1] .. ": " .. complaint end
        if grown > 1024 then
          problems[#problems + 1] = ("%s: the Lua heap grew by %.0f KB"):format(col[1], grown)
        end
        -- the objects still work, unchanged by a refused call
        if not ok then
          assert.are.equal(loss_reg, reg:loss({ 3, -1 }))
          assert.are.equal(loss_fit, fit:loss({ 3, -1 }))
          assert.are.same({ 0, 1 }, fit.mean)
          assert.are.equal(0.25, fit.weight)
        end
        restore()
        assert.are.equal(loss_fit, fit:loss({ 3, -1 }))
      end
      if dump and #lines > 0 then
        print(("  [%q] = {\n%s\n  },"):format(row.name, table.concat(lines, "\n")))
      end
      assert(#problems == 0, row.name .. ":\n  " .. table.concat(problems, "\n  "))
    end)
  end

  it("has " .. #ROWS .. " rows x " .. #COLUMNS .. " columns", function()
    local cells = 0
    for _, row in ipairs(ROWS) do
      local expect = row.expect or GOLDEN[row.name] or {}
      for _, col in ipairs(COLUMNS) do
        if expect[col[1]] then cells = cells + 1 end
      end
    end
    assert.are.equal(#ROWS * #COLUMNS, cells)
  end)
end)
