-- gaussianreg: Gaussian-prior regularizer (brainstate.nn.GaussianReg) in C.
-- luarocks make rockspec/gaussianreg-scm-1.rockspec   (from the repository root)
local package_name = "gaussianreg"
local package_version = "scm"
local rockspec_revision = "1"

rockspec_format = "3.0"
package = package_name
version = package_version .. "-" .. rockspec_revision

source = {
  url = "git+https://github.com/gaussianreg/gaussianreg.git",
  branch = "main",
}

description = {
  summary = "Gaussian-prior regularizer: loss, gradients, hyper-gradients, sampling",
  detailed = [[
    GaussianReg(mean, std, weight, fit_hyper) as in brainstate.nn: the loss
    weight * (sum prec*(x-mean)^2 - sum log prec) with numpy broadcasting, its
    gradients with respect to the value and the hyperparameters, and seeded
    sampling of initial values. The kernels are C (SIMD where available);
    values are numbers, nested tables or typed gaussianreg.array buffers.
  ]],
  license = "MIT",
  labels = { "math", "machine-learning", "regularization" },
}

dependencies = { "lua >= 5.1" }

-- Unix-like systems build with rockspec/rock.mk (build.type "make"): every
-- object and the module go to build/rock/, nothing next to the sources or at
-- the root of the checkout. Windows uses the builtin backend with the list
-- below: every C file of the core (make test-lua-rock checks it against
-- src/*.c src/kernels/*.c) plus the binding (src/lua/; lua/ holds only the
-- Lua façade, since LuaRocks installs the lua/ folder as it is). AVX2 kernels
-- use per-function target attributes, so no special flags are needed; the
-- sources hide every symbol but luaopen_gaussianreg_core.
local core_sources = {
  "src/gaussreg.c",
  "src/gaussreg_dispatch.c",
  "src/gaussreg_eval.c",
  "src/gaussreg_rng.c",
  "src/gaussreg_sample.c",
  "src/gaussreg_state.c",
  "src/gaussreg_walk.c",
  "src/kernels/gaussreg_avx2.c",
  "src/kernels/gaussreg_neon.c",
  "src/kernels/gaussreg_scalar.c",
  "src/kernels/gaussreg_sse2.c",
  "src/kernels/gaussreg_wasm128.c",
}
local sources = { "src/lua/lgaussreg.c" }
for i = 1, #core_sources do sources[#sources + 1] = core_sources[i] end

-- The make passes get LuaRocks' compiler, flags and Lua headers; the module
-- lands in LIBDIR, the façade is installed by install.lua.
local function make_variables(extra)
  local v = {
    CC = "$(CC)",
    LD = "$(LD)",
    CFLAGS = "$(CFLAGS)",
    LIBFLAG = "$(LIBFLAG)",
    LUA_INCDIR = "$(LUA_INCDIR)",
    LIB_EXTENSION = "$(LIB_EXTENSION)",
  }
  if extra then v.LIBDIR = extra end
  return v
end

build = {
  type = "make",
  makefile = "rockspec/rock.mk",
  build_variables = make_variables(),
  install_variables = make_variables("$(LIBDIR)"),
  install = {
    lua = { ["gaussianreg.init"] = "lua/gaussianreg/init.lua" },
  },
  platforms = {
    win32 = {
      type = "builtin",
      modules = {
        ["gaussianreg.core"] = {
          sources = sources,
          incdirs = { "src" },
          libraries = {},
        },
      },
    },
  },
}
