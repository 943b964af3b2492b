#!/usr/bin/env bash
# lua-src.sh [DEST] -- unpacks the source of Debian's Lua 5.4 package (with
# Debian's patches applied, as `apt-get source` does) under DEST (default
# build/lua-src) and prints the directory it is in, e.g.
# build/lua-src/lua5.4-5.4.4 (Lua's own src/ is below it).
#
# For builds of Lua that Debian does not package (Windows DLLs, WebAssembly);
# nothing of Lua is committed. Idempotent: when the source is already there
# it only prints the directory. Otherwise it adds a deb-src entry for this
# machine's suite if apt has none (copied from the suite's `deb` entry, in
# /etc/apt/sources.list.d/gaussianreg-deb-src.sources), refreshes the lists of
# that entry only, and runs `apt-get source`. Needs root (or sudo) only for
# that first step, and dpkg-dev (scripts/deps.sh luasrc).
#
#   LUA_SRC_PACKAGE   the source package (default lua5.4)
set -euo pipefail

dest=${1:-build/lua-src}
pkg=${LUA_SRC_PACKAGE:-lua5.4}

# The unpacked tree: DEST/<pkg>-<version>/ with Lua's src/lua.h.
find_tree() {
  local d
  for d in "$dest/$pkg"-*/; do
    [ -f "$d/src/lua.h" ] && { echo "${d%/}"; return 0; }
  done
  return 1
}

mkdir -p "$dest"
if tree=$(find_tree); then echo "$tree"; exit 0; fi

# One unpacking at a time (other builds may ask for the same tree).
exec 9>"$dest/.lock"
flock 9
if tree=$(find_tree); then echo "$tree"; exit 0; fi

bash "$(dirname "$0")/deps.sh" luasrc >&2

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# apt-get with the lists lock possibly held by another apt run.
apt_retry() {
  local i
  for i in 1 2 3 4 5; do
    "$@" && return 0
    echo "lua-src.sh: '$*' failed (attempt $i), retrying" >&2
    sleep 10
  done
  return 1
}

# (grep reads everything: with pipefail, -q could SIGPIPE apt-cache.)
if ! apt-cache showsrc "$pkg" 2>/dev/null | grep "^Package: $pkg\$" >/dev/null; then
  suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
  [ -n "$suite" ] || { echo "lua-src.sh: no VERSION_CODENAME in /etc/os-release" >&2; exit 1; }
  # The suite's archive: the URI (and key) of its `deb` entry, from the
  # deb822 files (Types/URIs/Suites/Signed-By paragraphs) or the one-line
  # files ("deb [options] URI suite components").
  entry=$(
    for f in /etc/apt/sources.list.d/*.sources; do
      [ -f "$f" ] || continue
      awk -v suite="$suite" '
        function flush() {
          if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " suite " ") && uri != "")
            { print uri "|" key; found = 1; exit }
          types = ""; suites = ""; uri = ""; key = ""
        }
        /^[ \t]*#/ { next }
        /^[ \t]*$/ { flush(); next }
        /^Types:/     { sub(/^Types:[ \t]*/, ""); types = $0 }
        /^URIs:/      { uri = $2 }
        /^Suites:/    { sub(/^Suites:[ \t]*/, ""); suites = $0 }
        /^Signed-By:/ { key = $2 }
        END { if (!found) flush() }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
      [ -f "$f" ] || continue
      awk -v suite="$suite" '
        $1 == "deb" {
          i = 2
          if ($2 ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
          if ($(i + 1) == suite) { print $i "|"; exit }
        }' "$f"
    done
  )
  entry=${entry%%$'\n'*}
  uri=${entry%%|*}
  key=${entry#*|}
  [ -n "$uri" ] || uri=http://deb.debian.org/debian
  list=/etc/apt/sources.list.d/gaussianreg-deb-src.sources
  echo "lua-src.sh: adding $list (deb-src $uri $suite main)" >&2
  {
    echo "Types: deb-src"
    echo "URIs: $uri"
    echo "Suites: $suite"
    echo "Components: main"
    [ -z "$key" ] || echo "Signed-By: $key"
  } | $sudo tee "$list" >/dev/null
  # Refresh the lists of that entry only.
  apt_retry $sudo apt-get update -qq -o "Dir::Etc::SourceList=$list" \
    -o Dir::Etc::SourceParts=- \
    -o APT::Get::List-Cleanup=0 >&2
fi

(cd "$dest" && apt_retry apt-get source -qq "$pkg" >&2)
tree=$(find_tree) || { echo "lua-src.sh: apt-get source $pkg left no $dest/$pkg-*/src/lua.h" >&2; exit 1; }
echo "$tree"
