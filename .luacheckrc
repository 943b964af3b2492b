-- luacheck configuration (make luacheck): every Lua file of the project.
std = "max"
max_line_length = 120
codes = true

files["spec/**/*_spec.lua"] = { std = "+busted" }
files["spec/rockcheck.lua"] = { globals = { "arg" } }
files["rockspec/*.rockspec"] = {
  std = "lua51",
  globals = { "rockspec_format", "package", "version", "source", "description",
    "dependencies", "build" },
}
exclude_files = { "build/**" }
