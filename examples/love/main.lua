-- examples/love/main.lua -- a live histogram of gaussianreg's sample_init
-- against the density of the prior, in LÖVE 11 (LuaJIT).
--
--   love examples/love [--root DIR] [--cpath PATTERN] [--screenshot FILE.png]
--
-- The native part gaussianreg.core must be built for LuaJIT (`make lua`
-- builds build/luajit/gaussianreg/core.so) and the facade is
-- lua/gaussianreg/init.lua. By default both are found from the repository
-- root, two directories above this one (--root overrides it, --cpath gives
-- the C pattern directly). A shipped game would instead put core.so where
-- love.filesystem.getCRequirePath() looks (the save directory or next to a
-- fused executable) and gaussianreg/init.lua inside the game.
--
-- Keys: up/down move the mean, left/right scale the std, space takes a new
-- seed, r resets, escape quits.
-- --screenshot FILE: presses up, up, right, draws until 40000 draws are in
-- the histogram, writes the window to FILE as PNG, prints the loss, the
-- sample statistics and pixel statistics of the picture, and quits.
-- luacheck: globals love

local Model = require("model")

local BACKGROUND = {0x18, 0x18, 0x20}
local BAR = {0x33, 0x88, 0xcc}
local CURVE = {0xff, 0x99, 0x00}
local AXIS = {0xa0, 0xa0, 0xa0}
local PLOT = {x0 = 60, x1 = 780, y0 = 90, y1 = 540}
local SHOT_DRAWS = 40000
local MAX_SHOT_FRAMES = 600

local opts = {}
local model, load_error, gr
local frames, shot_requested = 0, false

local function rgb(c) return c[1] / 255, c[2] / 255, c[3] / 255 end
local function key_of(c) return c[1] * 65536 + c[2] * 256 + c[3] end

local function say(fmt, ...)
  io.stdout:write("love: ", string.format(fmt, ...), "\n")
  io.stdout:flush()
end

local function parse_args(args)
  local i = 1
  while i <= #args do
    local a = args[i]
    if a == "--screenshot" or a == "--root" or a == "--cpath" then
      opts[a:sub(3)] = args[i + 1]
      i = i + 2
    else
      i = i + 1
    end
  end
end

local function load_module()
  local root = opts.root or (love.filesystem.getSource() .. "/../..")
  package.path = root .. "/lua/?.lua;" .. root .. "/lua/?/init.lua;"
                 .. package.path
  package.cpath = (opts.cpath or (root .. "/build/luajit/?.so")) .. ";"
                  .. package.cpath
  local ok, mod = pcall(require, "gaussianreg")
  if not ok then return nil, mod end
  local where = package.searchpath
                and package.searchpath("gaussianreg.core", package.cpath)
  return mod, where or "?"
end

-- Pixel statistics of the picture: distinct colours, bar and curve pixels.
local function picture_stats(img)
  local w, h = img:getDimensions()
  local seen, colours, bar, curve = {}, 0, 0, 0
  local bar_key, curve_key = key_of(BAR), key_of(CURVE)
  local floor = math.floor
  for y = 0, h - 1 do
    for x = 0, w - 1 do
      local r, g, b = img:getPixel(x, y)
      local k = floor(r * 255 + 0.5) * 65536 + floor(g * 255 + 0.5) * 256
                + floor(b * 255 + 0.5)
      if not seen[k] then
        seen[k] = true
        colours = colours + 1
      end
      if k == bar_key then
        bar = bar + 1
      elseif k == curve_key then
        curve = curve + 1
      end
    end
  end
  return w, h, colours, bar, curve
end

local function write_screenshot(img)
  local data = img:encode("png"):getString()
  local f = assert(io.open(opts.screenshot, "wb"))
  assert(f:write(data))
  assert(f:close())
  local m, s = model:moments()
  local chi2, dof = model:chi2()
  local w, h, colours, bar, curve = picture_stats(img)
  say("prior mean=%.17g std=%.17g weight=%.17g seed=%d",
      model.mean, model.std, model.weight, model.seed)
  say("loss(probe)=%.17g", model.loss)
  say("draws=%d sample_mean=%.6f sample_std=%.6f chi2=%.3f dof=%d",
      model.n, m, s, chi2, dof)
  say("screenshot %s %dx%d bytes=%d colours=%d bar_pixels=%d curve_pixels=%d",
      opts.screenshot, w, h, #data, colours, bar, curve)
end

function love.load(args)
  parse_args(args or {})
  local mod, where = load_module()
  if not mod then
    load_error = where
    say("cannot load gaussianreg: %s", tostring(where))
    if opts.screenshot then love.event.quit(1) end
    return
  end
  gr = mod
  say("gaussianreg %s, gaussianreg.core from %s, isa %s, %s",
      tostring(gr._VERSION), where, tostring(gr.isa and gr.isa()),
      jit and jit.version or _VERSION)
  model = Model.new(gr)
  if opts.screenshot then
    for _, k in ipairs({"up", "up", "right"}) do love.keypressed(k) end
  end
end

function love.keypressed(key)
  if key == "escape" then
    love.event.quit(0)
  elseif model then
    model:keypressed(key)
  end
end

function love.update()
  -- A fixed batch per frame (not scaled by dt): the screenshot mode is then
  -- deterministic whatever the frame rate.
  if model then model:step() end
end

local function draw_plot()
  local p = PLOT
  local nb = Model.NBINS
  local bw = (p.x1 - p.x0) / nb
  local peak = Model.density(model.mean, model.mean, model.std)
               * model.n * model.width
  local top = 1
  for i = 1, nb do top = math.max(top, model.counts[i]) end
  top = math.max(top, peak) * 1.1
  local sy = (p.y1 - p.y0) / top

  love.graphics.setColor(rgb(BAR))
  for i = 1, nb do
    local hgt = model.counts[i] * sy
    love.graphics.rectangle("fill", p.x0 + (i - 1) * bw + 1, p.y1 - hgt,
                            bw - 2, hgt)
  end

  local pts = {}
  for j = 0, 240 do
    local x = model.lo + j / 240 * (model.hi - model.lo)
    local y = Model.density(x, model.mean, model.std) * model.n * model.width
    pts[#pts + 1] = p.x0 + j / 240 * (p.x1 - p.x0)
    pts[#pts + 1] = p.y1 - y * sy
  end
  love.graphics.setLineStyle("rough")
  love.graphics.setLineWidth(3)
  love.graphics.setColor(rgb(CURVE))
  love.graphics.line(pts)

  love.graphics.setLineWidth(1)
  love.graphics.setColor(rgb(AXIS))
  love.graphics.line(p.x0, p.y1, p.x1, p.y1)
  for k = -4, 4, 2 do
    local x = p.x0 + (k + 4) / 8 * (p.x1 - p.x0)
    love.graphics.line(x, p.y1, x, p.y1 + 6)
    love.graphics.print(string.format("%.2f", model.mean + k * model.std),
                        x - 14, p.y1 + 10)
  end
end

function love.draw()
  love.graphics.clear(rgb(BACKGROUND))
  if not model then
    love.graphics.setColor(1, 0.4, 0.4)
    love.graphics.printf("gaussianreg did not load:\n" .. tostring(load_error),
                         20, 20, 760)
    return
  end
  draw_plot()
  local m, s = model:moments()
  love.graphics.setColor(1, 1, 1)
  love.graphics.print(string.format(
    "prior N(%.3f, %.3f^2), weight %g    draws %d    sample mean %.3f  std %.3f",
    model.mean, model.std, model.weight, model.n, m, s), 20, 14)
  love.graphics.print(string.format(
    "loss of the probe {-1, 0, 0.5, 2}: %.6f    up/down: mean   left/right: std"
    .. "   space: seed   r: reset", model.loss), 20, 36)
  love.graphics.setColor(rgb(BAR))
  love.graphics.print("sample_init histogram", 20, 58)
  love.graphics.setColor(rgb(CURVE))
  love.graphics.print("prior density", 200, 58)

  frames = frames + 1
  if opts.screenshot and not shot_requested and model.n >= SHOT_DRAWS then
    shot_requested = true
    love.graphics.captureScreenshot(function(img)
      local ok, err = pcall(write_screenshot, img)
      if not ok then say("screenshot failed: %s", tostring(err)) end
      love.event.quit(ok and 0 or 1)
    end)
  elseif opts.screenshot and frames > MAX_SHOT_FRAMES then
    say("no screenshot after %d frames", frames)
    love.event.quit(1)
  end
end

-- In screenshot mode an error must end the program (nobody is there to
-- close LÖVE's error screen): print it and quit with status 1.
local default_errorhandler = love.errorhandler
function love.errorhandler(msg)
  if opts.screenshot then
    io.stderr:write("love: error: ", tostring(msg), "\n",
                    debug.traceback("", 2), "\n")
    return function() return 1 end
  end
  if default_errorhandler then return default_errorhandler(msg) end
  error(msg, 0)
end
