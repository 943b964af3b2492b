#!/usr/bin/env bash
# deps.sh GROUP... -- installs, with apt-get, the Debian packages a group of
# make targets needs and that this machine lacks. Already-installed packages
# are left alone, so it costs a dpkg query when there is nothing to do.
set -euo pipefail

pkgs_for() {
  case "$1" in
    core)    echo "gcc make libc6-dev pkgconf" ;;
    lua)     echo "lua5.4 liblua5.4-dev lua5.3 liblua5.3-dev lua5.2 liblua5.2-dev lua5.1 liblua5.1-0-dev luajit libluajit-5.1-dev lua-busted luarocks" ;;
    wasm)    echo "emscripten nodejs npm" ;;
    browser) echo "chromium" ;;
    bench)   echo "python3-numpy" ;;
    tools)   echo "clang clang-tidy cppcheck lua-check valgrind libclang-rt-14-dev" ;;
    love)    echo "love xvfb xauth" ;;
    cross)   echo "gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user" ;;
    luasrc)  echo "dpkg-dev" ;;
    windows) echo "gcc-mingw-w64-x86-64 wine64 dpkg-dev" ;;
    *) echo "deps.sh: unknown group '$1'" >&2; exit 2 ;;
  esac
}

# Node.js may come from elsewhere than Debian (nodesource bundles npm in its
# nodejs, and then Debian's npm conflicts): a working command is enough.
have_command_for() {
  case "$1" in
    nodejs) command -v node >/dev/null 2>&1 ;;
    npm) command -v npm >/dev/null 2>&1 ;;
    *) return 1 ;;
  esac
}

missing=()
for group in "$@"; do
  for p in $(pkgs_for "$group"); do
    have_command_for "$p" && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "deps.sh: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
