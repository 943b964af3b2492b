#!/usr/bin/env bash
# check_pe_exports.sh FILE.dll --header HEADER | FILE.dll NAME... -- checks
# that a Windows DLL exports exactly the expected functions (make
# test-windows): the functions HEADER declares GAUSSREG_API (every one of
# them and nothing else: no gaussreg__* helper, no kernel, no stray global),
# or exactly the NAMEs given. Reads the export table with $OBJDUMP -p
# (default x86_64-w64-mingw32-objdump).
set -euo pipefail
objdump=${OBJDUMP:-x86_64-w64-mingw32-objdump}
dll=$1
shift

if [ "${1:-}" = "--header" ]; then
  expected=$(tr '\n' ' ' <"$2" | grep -oE 'GAUSSREG_API[^;]*;' |
    grep -oE '\bgaussreg_[a-z0-9_]+[[:space:]]*\(' | tr -d ' (' | sort -u)
  n=$(echo "$expected" | wc -l)
  [ "$n" -ge 30 ] || { echo "check_pe_exports: only $n declarations parsed from $2" >&2; exit 1; }
else
  expected=$(printf '%s\n' "$@" | sort -u)
fi

# objdump -p lists the names under "[Ordinal/Name Pointer] Table" as
# "\t[   0] name", up to the next blank line.
exported=$("$objdump" -p "$dll" | awk '
  /\[Ordinal\/Name Pointer\] Table/ { on = 1; next }
  on && /^[[:space:]]*$/ { on = 0 }
  on && match($0, /\[ *[0-9]+\] /) { print substr($0, RSTART + RLENGTH) }' | sort -u)

status=0
extra=$(comm -13 <(echo "$expected") <(echo "$exported"))
missing=$(comm -23 <(echo "$expected") <(echo "$exported"))
if [ -n "$extra" ]; then
  echo "check_pe_exports: $dll exports unexpected symbols:" $extra
  status=1
fi
if [ -n "$missing" ]; then
  echo "check_pe_exports: $dll does not export:" $missing
  status=1
fi
[ $status -ne 0 ] || echo "check_pe_exports: ok: $dll exports exactly $(echo "$expected" | wc -l) function(s)"
exit $status
