// Emscripten JavaScript library, used at link time only: it names the WASI
// preview1 calls that wasm/lua/lua_wasi.c imports and that Emscripten's own
// library does not list, so that emcc accepts them (they stay imports from
// wasi_snapshot_preview1, supplied by the host at run time: node:wasi in
// gaussianreg-lua, wasm/src/lua-core.js in browsers) while any other
// undefined symbol is still an error. None of these bodies is ever emitted.
mergeInto(LibraryManager.library, {
  fd_prestat_get: function () {},
  fd_prestat_dir_name: function () {},
  path_open: function () {},
  path_filestat_get: function () {},
  path_unlink_file: function () {},
  path_remove_directory: function () {},
  path_rename: function () {},
});
