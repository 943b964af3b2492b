-- make test-lua-rock helper (not a spec):
--   lua5.4 spec/rockcheck.lua sources ROCKSPEC FILE...   the rockspec builds with rockspec/rock.mk,
--                                                        and its Windows list of C sources == FILE...
--   lua5.4 spec/rockcheck.lua installed TREE             the tree holds the façade and the module, nothing else
--   lua5.4 spec/rockcheck.lua load TREE                  the installed module loads and computes
local mode = arg[1]

if mode == "sources" then
  local env = {}
  local f = assert(io.open(arg[2], "rb"))
  local chunk = assert((loadstring or load)(f:read("*a"), "=" .. arg[2])) -- luacheck: ignore 113
  f:close()
  if setfenv then setfenv(chunk, env) end -- luacheck: ignore 113
  if not setfenv then -- luacheck: ignore 113
    chunk = assert(load(io.open(arg[2], "rb"):read("*a"), "=" .. arg[2], "t", env))
  end
  chunk()
  local got, want = {}, {}
  local b = env.build
  if b.type ~= "make" or b.makefile ~= "rockspec/rock.mk" then
    error(arg[2] .. " does not build with rockspec/rock.mk", 0)
  end
  for _, s in ipairs(b.platforms.win32.modules["gaussianreg.core"].sources) do got[s] = true end
  for i = 3, #arg do want[arg[i]] = true end
  for s in pairs(want) do
    if not got[s] then error(arg[2] .. " does not list " .. s, 0) end
  end
  for s in pairs(got) do
    if not want[s] then error(arg[2] .. " lists " .. s .. ", which is not a source", 0) end
  end
  print(arg[2] .. ": builds with rockspec/rock.mk, lists every C source for Windows")
elseif mode == "installed" then
  -- every file LuaRocks put where Lua looks for modules
  local tree, v = arg[2], _VERSION:match("%d+%.%d+")
  local want = {
    ("share/lua/%s/gaussianreg/init.lua"):format(v),
    ("lib/lua/%s/gaussianreg/core.so"):format(v),
  }
  local got = {}
  local p = assert(io.popen(("cd '%s' && find share/lua lib/lua -type f | sort"):format(tree)))
  for line in p:lines() do got[#got + 1] = line end
  p:close()
  table.sort(want)
  if table.concat(got, "\n") ~= table.concat(want, "\n") then
    error(("%s holds:\n  %s\nexpected exactly:\n  %s"):format(tree, table.concat(got, "\n  "),
      table.concat(want, "\n  ")), 0)
  end
  print("luarocks installed exactly: " .. table.concat(got, ", "))
elseif mode == "load" then
  local tree, v = arg[2], _VERSION:match("%d+%.%d+")
  package.path = ("%s/share/lua/%s/?.lua;%s/share/lua/%s/?/init.lua"):format(tree, v, tree, v)
  package.cpath = ("%s/lib/lua/%s/?.so"):format(tree, v)
  local gr = require("gaussianreg")
  local reg = gr.new(0, 1, 0.5)
  local prec = 1 / (1 + 1e-8) + 1e-6
  local want = 0.5 * (2 * prec - math.log(prec))
  assert(math.abs(reg:loss({ 1, -1 }) - want) < 1e-12, "wrong loss from the installed module")
  print("luarocks install loads: " .. tostring(reg) .. ", isa " .. gr.isa())
else
  error("usage: rockcheck.lua sources ROCKSPEC FILE... | installed TREE | load TREE", 0)
end
