--- Shared spec helpers: the module (with the forced instruction set of
-- GAUSSREG_TEST_ISA applied), a small JSON reader for the parity fixture, a
-- plain-Lua oracle of the formula (independent of the C code), and numeric
-- utilities. Works on Lua 5.1-5.4 and LuaJIT.
-- The module under test is the build busted points at (.busted or --cpath:
-- the first entry of package.cpath). When it is missing, fail instead of
-- letting require fall back to another gaussianreg/core.so further down the
-- path (a stray ./gaussianreg/core.so in the checkout, an installed rock).
do
  local first = package.cpath:match("^[^;]+")
  local file = first and first:gsub("%?", "gaussianreg/core")
  local f = file and io.open(file, "rb")
  if not f then
    error(("spec/helpers.lua: the module under test %s is not built (make lua)"):format(tostring(file)), 0)
  end
  f:close()
end
local gr = require("gaussianreg")

local H = {}
H.gr = gr
H.unpack = table.unpack or unpack -- luacheck: ignore 143

-- GAUSSREG_TEST_ISA=scalar (etc.): every object created in this state uses
-- that instruction set (gr.set_isa is the module-level default).
H.forced_isa = os.getenv("GAUSSREG_TEST_ISA")
if H.forced_isa and H.forced_isa ~= "" then
  gr.set_isa(H.forced_isa)
end
-- GAUSSREG_TEST_QUICK: shorter memory loops in the per-ISA reruns.
H.quick = (os.getenv("GAUSSREG_TEST_QUICK") or "") ~= ""

------------------------------------------------------------------------------
-- JSON (objects, arrays, strings without \u escapes beyond ASCII, numbers,
-- true/false/null) -- enough for spec/fixtures/gaussianreg-vectors.json.
------------------------------------------------------------------------------
local json = {}

function json.decode(s)
  local pos = 1
  local function fail(what)
    error(("json: %s at byte %d"):format(what, pos), 0)
  end
  local function ws()
    pos = s:find("[^ \t\r\n]", pos) or #s + 1
  end
  local value
  local function str()
    local out, i = {}, pos + 1
    while true do
      local c = s:sub(i, i)
      if c == "" then fail("unterminated string") end
      if c == '"' then break end
      if c == "\\" then
        local e = s:sub(i + 1, i + 1)
        local map = { b = "\b", f = "\f", n = "\n", r = "\r", t = "\t" }
        if e == "u" then
          out[#out + 1] = string.char(tonumber(s:sub(i + 2, i + 5), 16) % 256)
          i = i + 6
        else
          out[#out + 1] = map[e] or e
          i = i + 2
        end
      else
        out[#out + 1] = c
        i = i + 1
      end
    end
    pos = i + 1
    return table.concat(out)
  end
  function value()
    ws()
    local c = s:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1
      ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1 return t end
      while true do
        ws()
        if s:sub(pos, pos) ~= '"' then fail("expected key") end
        local k = str()
        ws()
        if s:sub(pos, pos) ~= ":" then fail("expected ':'") end
        pos = pos + 1
        t[k] = value()
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "}" then return t end
        if d ~= "," then fail("expected ',' or '}'") end
      end
    elseif c == "[" then
      local t, n = {}, 0
      pos = pos + 1
      ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1 return t end
      while true do
        n = n + 1
        t[n] = value()
        ws()
        local d = s:sub(pos, pos)
        pos = pos + 1
        if d == "]" then return t end
        if d ~= "," then fail("expected ',' or ']'") end
      end
    elseif c == '"' then
      return str()
    elseif s:sub(pos, pos + 3) == "true" then
      pos = pos + 4 return true
    elseif s:sub(pos, pos + 4) == "false" then
      pos = pos + 5 return false
    elseif s:sub(pos, pos + 3) == "null" then
      pos = pos + 4 return nil
    else
      local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
      if not num or num == "" then fail("unexpected character") end
      pos = pos + #num
      return tonumber(num)
    end
  end
  local v = value()
  ws()
  if pos <= #s then fail("trailing characters") end
  return v
end
H.json = json

--- The parity vectors (one committed fixture; GAUSSREG_VECTORS overrides).
function H.vectors()
  local path = os.getenv("GAUSSREG_VECTORS") or "spec/fixtures/gaussianreg-vectors.json"
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return json.decode(text)
end

------------------------------------------------------------------------------
-- Shapes and nested tables
------------------------------------------------------------------------------
function H.numel(shape)
  local n = 1
  for i = 1, #shape do n = n * shape[i] end
  return n
end

--- Nested table (or number for shape {}) from flat row-major data.
function H.nest(flat, shape)
  if #shape == 0 then return flat[1] end
  local pos = 0
  local function build(level)
    local t = {}
    for i = 1, shape[level] do
      if level == #shape then
        pos = pos + 1
        t[i] = flat[pos]
      else
        t[i] = build(level + 1)
      end
    end
    return t
  end
  return build(1)
end

--- Flat row-major data and shape of a number, nested table or gr.array.
function H.flatten(v)
  if type(v) == "number" then return { v }, {} end
  if type(v) == "userdata" then
    local flat = {}
    for i = 1, #v do flat[i] = v[i] end
    return flat, v.shape
  end
  local shape, t = {}, v
  while type(t) == "table" do
    shape[#shape + 1] = #t
    t = t[1]
  end
  local flat = {}
  local function walk(x)
    if type(x) == "table" then
      for i = 1, #x do walk(x[i]) end
    else
      flat[#flat + 1] = x
    end
  end
  walk(v)
  return flat, shape
end

function H.shape_str(shape)
  local parts = {}
  for i = 1, #shape do parts[i] = tostring(shape[i]) end
  return "(" .. table.concat(parts, ",") .. ")"
end

------------------------------------------------------------------------------
-- Oracle: the formula in plain Lua, numpy broadcasting, naive sums.
------------------------------------------------------------------------------
local function broadcast(a, b)
  local nd = math.max(#a, #b)
  local out = {}
  for i = 1, nd do
    local da = a[i - (nd - #a)] or 1
    local db = b[i - (nd - #b)] or 1
    if da ~= db and da ~= 1 and db ~= 1 then return nil end
    out[i] = da == 1 and db or da
  end
  return out
end
H.broadcast = broadcast

-- Flat offset into an operand of `shape` for multi-index idx of the
-- broadcast shape (length nd): right-aligned, size-1 dims read index 1.
local function offset(idx, nd, shape)
  local off, stride = 0, 1
  for k = #shape, 1, -1 do
    local i = idx[k + (nd - #shape)]
    if shape[k] == 1 then i = 1 end
    off = off + (i - 1) * stride
    stride = stride * shape[k]
  end
  return off + 1
end

--- Every quantity of the formula. x, mean, precision: {data=, shape=}
-- (flat row-major); c: "per_precision" (default) or "per_element".
-- Returns {loss, grad (x shape), grad_mean, grad_precision, grad_weight,
-- shape (broadcast)}.
function H.oracle(x, mean, precision, weight, log_mode)
  local bs = assert(broadcast(broadcast(x.shape, mean.shape), precision.shape))
  local nb, np = H.numel(bs), #precision.data
  local c = log_mode == "per_element" and nb / np or 1
  local pe = {}
  for i = 1, np do
    pe[i] = math.max(precision.data[i], 0) + 1e-6
  end
  local gx, gm, gp, sq = {}, {}, {}, {}
  for i = 1, #x.data do gx[i] = 0 end
  for i = 1, #mean.data do gm[i] = 0 end
  for i = 1, np do sq[i] = 0 end
  local quad, idx, nd = 0, {}, #bs
  for k = 1, nd do idx[k] = 1 end
  for _ = 1, nb do
    local xo, mo, po = offset(idx, nd, x.shape), offset(idx, nd, mean.shape),
      offset(idx, nd, precision.shape)
    local d = x.data[xo] - mean.data[mo]
    quad = quad + pe[po] * d * d
    gx[xo] = gx[xo] + weight * 2 * pe[po] * d
    gm[mo] = gm[mo] - weight * 2 * pe[po] * d
    sq[po] = sq[po] + d * d
    for k = nd, 1, -1 do -- odometer
      idx[k] = idx[k] + 1
      if idx[k] <= bs[k] then break end
      idx[k] = 1
    end
  end
  local logs = 0
  for i = 1, np do
    logs = logs + math.log(pe[i])
    gp[i] = precision.data[i] > 0 and weight * (sq[i] - c / pe[i]) or 0
  end
  local bracket = quad - c * logs
  return {
    loss = weight * bracket, grad = gx, grad_mean = gm, grad_precision = gp,
    grad_weight = bracket, shape = bs,
  }
end

--- precision = 1/(std^2 + 1e-8), elementwise over flat data.
function H.precision_of(std)
  local p = {}
  for i = 1, #std do p[i] = 1 / (std[i] * std[i] + 1e-8) end
  return p
end

------------------------------------------------------------------------------
-- Numbers
------------------------------------------------------------------------------
--- |a - b| <= atol + rtol * |b| for numbers or (flat) lists; raises a
-- descriptive failure.
function H.near(actual, expected, rtol, atol, what)
  rtol, atol = rtol or 1e-12, atol or 0
  local a = type(actual) == "table" and actual or { actual }
  local e = type(expected) == "table" and expected or { expected }
  assert(#a == #e, ("%s: %d values, expected %d"):format(what or "value", #a, #e))
  for i = 1, #e do
    local ok = math.abs(a[i] - e[i]) <= atol + rtol * math.abs(e[i])
    if not ok then
      error(("%s[%d]: got %.17g, expected %.17g (rtol %g, atol %g)"):format(
        what or "value", i, a[i], e[i], rtol, atol), 2)
    end
  end
  return true
end

--- Deterministic pseudo-random numbers in [lo, hi) (the same on every Lua).
function H.rng(seed)
  local s = seed % 2147483647
  if s <= 0 then s = s + 2147483646 end
  return function(lo, hi)
    s = (s * 16807) % 2147483647
    return lo + (hi - lo) * (s - 1) / 2147483646
  end
end

--- Standard normal CDF (W. J. Cody-quality erfc is overkill; A&S 7.1.26
-- has |error| < 1.5e-7, far below the KS bounds used).
function H.normal_cdf(z)
  local x = math.abs(z) / math.sqrt(2)
  local t = 1 / (1 + 0.3275911 * x)
  local y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t
    - 0.284496736) * t + 0.254829592) * t * math.exp(-x * x)
  if z >= 0 then return 0.5 * (1 + y) end
  return 0.5 * (1 - y)
end

--- The error message of f(...) without the "file:line: " position.
function H.errmsg(f, ...)
  local ok, err = pcall(f, ...)
  assert(not ok, "expected an error")
  return (tostring(err):gsub("^[^\n]-:%d+: ", "", 1))
end

--- A regularizer; the forced ISA (if any) is already the module default.
function H.new(...)
  return gr.new(...)
end

--- Lua 5.4 only pieces are loaded from strings so other versions can parse
-- the spec files.
H.lua54 = _VERSION == "Lua 5.4"

return H
