-- examples/love/conf.lua -- LÖVE 11 configuration: a fixed 800x600 window,
-- no audio or physics (the example needs neither, and a headless machine
-- has no sound card).
-- luacheck: globals love
function love.conf(t)
  t.identity = "gaussianreg-histogram"
  t.version = "11.0"
  t.console = false
  t.window.title = "gaussianreg: sample_init vs the prior"
  t.window.width = 800
  t.window.height = 600
  t.window.resizable = false
  t.window.vsync = 1
  t.modules.audio = false
  t.modules.sound = false
  t.modules.physics = false
  t.modules.joystick = false
  t.modules.video = false
end
