#!/usr/bin/env bash
# check_visibility.sh HEADER LIB.so LIB.a [MODULE.so...] -- the symbols the
# build products give an engine (make test-visibility):
#  - LIB.so exports (nm -D --defined-only) exactly the functions HEADER
#    declares GAUSSREG_API: every one of them, and nothing else (no internal
#    gaussreg__* helper, no kernel, no stray global);
#  - in LIB.a, every global symbol the header does not declare (gaussreg__*
#    helpers, kernels) has hidden visibility, so a
#    shared object or executable that links the archive does not re-export it;
#  - each Lua module MODULE.so exports luaopen_gaussianreg_core only.
set -euo pipefail
header=$1 so=$2 ar=$3
shift 3
status=0
# Symbols every ELF shared object may define (linker-provided).
linker_syms='^(_init|_fini|_edata|_end|__bss_start)$'

declared=$(tr '\n' ' ' <"$header" | grep -oE 'GAUSSREG_API[^;]*;' |
  grep -oE '\bgaussreg_[a-z0-9_]+[[:space:]]*\(' | tr -d ' (' | sort -u)
exported=$(nm -D --defined-only "$so" | awk '{print $NF}' |
  grep -Ev "$linker_syms" | sort -u)

extra=$(comm -13 <(echo "$declared") <(echo "$exported"))
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
if [ -n "$extra" ]; then
  echo "check_visibility: $so exports symbols the header does not declare:" $extra
  status=1
fi
if [ -n "$missing" ]; then
  echo "check_visibility: $so does not export declared functions:" $missing
  status=1
fi
n_decl=$(echo "$declared" | wc -l)
[ "$n_decl" -ge 30 ] || { echo "check_visibility: only $n_decl declarations parsed from $header"; status=1; }

# readelf -s columns: Num Value Size Type Bind Vis Ndx Name. Every global
# the archive defines that the header does not declare must be HIDDEN.
globals=$(readelf -sW "$ar" | awk '$5 == "GLOBAL" && $7 != "UND" && $6 != "HIDDEN" {print $8}' | sort -u)
leaky=$(comm -13 <(echo "$declared") <(echo "$globals"))
internal=$(readelf -sW "$ar" | awk '$5 == "GLOBAL" && $7 != "UND" && $6 == "HIDDEN" {print $8}' | sort -u | wc -l)
if [ -n "$leaky" ]; then
  echo "check_visibility: $ar has undeclared globals with default visibility:" $leaky
  status=1
fi

for mod in "$@"; do
  got=$(nm -D --defined-only "$mod" | awk '{print $NF}' | grep -Ev "$linker_syms" | tr '\n' ' ')
  if [ "$got" != "luaopen_gaussianreg_core " ]; then
    echo "check_visibility: $mod exports: $got(want luaopen_gaussianreg_core only)"
    status=1
  fi
done

if [ $status -eq 0 ]; then
  echo "check_visibility: ok: $so exports exactly the $n_decl GAUSSREG_API functions;" \
    "$internal internal symbols in $(basename "$ar") are hidden;" \
    "$# Lua module(s) export luaopen_gaussianreg_core only"
fi
exit $status
