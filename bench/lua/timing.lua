-- timing.lua -- the one timer of the Lua benchmarks (bench.lua,
-- bench_views.lua, bench_wasm.lua), native and in WebAssembly: seconds per
-- call of f, from os.clock (CPU time), the best of 3 rounds, each of enough
-- calls to run at least min_seconds (default 0.1), after one warm-up call.
-- The scripts find it with package.path "./bench/lua/?.lua" (they run from
-- the repository root).
local M = {}

function M.time(f, min_seconds)
  local floor = min_seconds or 0.1
  local best = math.huge
  f()
  for _ = 1, 3 do
    local reps, t0 = 0, os.clock()
    local t
    repeat
      f()
      reps = reps + 1
      t = os.clock() - t0
    until t >= floor
    best = math.min(best, t / reps)
  end
  return best
end

return M
