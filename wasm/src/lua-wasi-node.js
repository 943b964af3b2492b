// The WASI preview1 calls gaussreg-lua*.wasm imports, for the gaussianreg-lua
// command, over node:fs (synchronous): the standard streams, the process's
// environment and clocks, and files under the preopened directories.
//
// Not node:wasi: on the Node versions this package supports it keeps the
// module's memory buffer from the start and reads freed memory once Lua has
// grown it (any script that allocates a few MB aborts the process), and it
// prints an ExperimentalWarning. These are the dozen calls Lua's io and os
// libraries make (wasm/lua/lua_wasi.c, Emscripten's libc), nothing more.
import {
  closeSync, constants, fstatSync, lstatSync, openSync, readSync, renameSync, rmdirSync, statSync, unlinkSync,
  writeSync,
} from "node:fs";
import { isAbsolute, relative, resolve, sep } from "node:path";
import process from "node:process";

// WASI errno values by Node's error code (the rest become EIO).
const ERRNO = {
  E2BIG: 1, EACCES: 2, EAGAIN: 6, EBADF: 8, EBUSY: 10, EEXIST: 20, EFBIG: 22, EINVAL: 28, EIO: 29, EISDIR: 31,
  ELOOP: 32, EMFILE: 33, ENAMETOOLONG: 37, ENFILE: 41, ENOENT: 44, ENOMEM: 48, ENOSPC: 51, ENOSYS: 52,
  ENOTDIR: 54, ENOTEMPTY: 55, ENOTSUP: 58, ENXIO: 60, EPERM: 63, EPIPE: 64, EROFS: 69, ESPIPE: 70, EXDEV: 75,
  ENOTCAPABLE: 76,
};
const SUCCESS = 0;
const errnoOf = (e) => ERRNO[e?.code] ?? ERRNO.EIO;

const RIGHTS_FD_READ = 2n;
const RIGHTS_FD_WRITE = 64n;
const OFLAGS_CREAT = 1;
const OFLAGS_DIRECTORY = 2;
const OFLAGS_EXCL = 4;
const OFLAGS_TRUNC = 8;
const FDFLAGS_APPEND = 1;
const FILETYPE = { dir: 3, file: 4, link: 7, char: 2, block: 1, other: 0 };

function filetype(st) {
  if (st.isDirectory()) return FILETYPE.dir;
  if (st.isFile()) return FILETYPE.file;
  if (st.isSymbolicLink()) return FILETYPE.link;
  if (st.isCharacterDevice()) return FILETYPE.char;
  if (st.isBlockDevice()) return FILETYPE.block;
  return FILETYPE.other;
}

// A write to a pipe whose reader is slow may see EAGAIN when the descriptor
// is non-blocking: wait a little and retry.
function retrying(f) {
  for (;;) {
    try {
      return f();
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/**
 * The wasi_snapshot_preview1 functions (proc_exit excepted: lua-core.js's
 * importsFor supplies it). memory() returns the instance's memory;
 * preopens maps a guest name ("." or an absolute path) to a host directory.
 */
export function nodeWasi({ memory, preopens = {}, env = process.env }) {
  const view = () => new DataView(memory().buffer);
  const bytes = (ptr, len) => new Uint8Array(memory().buffer, ptr, len);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  // Guest descriptors: 0-2 the process's, then the preopens, then open files.
  const fds = new Map([
    [0, { host: 0, stream: true }],
    [1, { host: 1, stream: true }],
    [2, { host: 2, stream: true }],
  ]);
  let next = 3;
  for (const [name, dir] of Object.entries(preopens)) {
    fds.set(next++, { preopen: name, dir: resolve(dir) });
  }
  const envBytes = Object.entries(env).map(([k, v]) => encoder.encode(`${k}=${v}\0`));

  // The host path of path under the preopen dirfd, or an errno when it
  // leaves that directory.
  function hostPath(dirfd, ptr, len) {
    const d = fds.get(dirfd);
    if (!d?.dir) return ERRNO.EBADF;
    const rel = decoder.decode(bytes(ptr, len));
    if (isAbsolute(rel)) return ERRNO.ENOTCAPABLE;
    const full = resolve(d.dir, rel);
    const up = relative(d.dir, full);
    if (up === ".." || up.startsWith(`..${sep}`) || isAbsolute(up)) return ERRNO.ENOTCAPABLE;
    return full;
  }

  function iovecs(iovs, count) {
    const dv = view();
    const list = [];
    for (let i = 0; i < count; i++) {
      list.push([dv.getUint32(iovs + 8 * i, true), dv.getUint32(iovs + 8 * i + 4, true)]);
    }
    return list;
  }

  return {
    fd_write(fd, iovs, count, nwritten) {
      const f = fds.get(fd);
      if (!f || f.dir) return ERRNO.EBADF;
      let total = 0;
      try {
        for (const [ptr, len] of iovecs(iovs, count)) {
          let done = 0;
          while (done < len) {
            const chunk = bytes(ptr + done, len - done);
            const n = f.stream
              ? retrying(() => writeSync(f.host, chunk))
              : writeSync(f.host, chunk, 0, chunk.length, f.append ? null : f.pos);
            if (!f.stream) f.pos = f.append ? fstatSync(f.host).size : f.pos + n;
            done += n;
          }
          total += len;
        }
      } catch (e) {
        return errnoOf(e);
      }
      view().setUint32(nwritten, total, true);
      return SUCCESS;
    },
    fd_read(fd, iovs, count, nread) {
      const f = fds.get(fd);
      if (!f || f.dir) return ERRNO.EBADF;
      let total = 0;
      try {
        for (const [ptr, len] of iovecs(iovs, count)) {
          if (len === 0) continue;
          const n = f.stream
            ? retrying(() => readSync(f.host, bytes(ptr, len), 0, len, null))
            : readSync(f.host, bytes(ptr, len), 0, len, f.pos);
          if (!f.stream) f.pos += n;
          total += n;
          if (n < len) break;
        }
      } catch (e) {
        if (e.code === "EOF") return SUCCESS; // a TTY's end of input on some systems
        return errnoOf(e);
      }
      view().setUint32(nread, total, true);
      return SUCCESS;
    },
    fd_close(fd) {
      const f = fds.get(fd);
      if (!f || f.dir) return ERRNO.EBADF;
      fds.delete(fd);
      if (f.stream) return SUCCESS;
      try {
        closeSync(f.host);
      } catch (e) {
        return errnoOf(e);
      }
      return SUCCESS;
    },
    fd_seek(fd, offset, whence, newoffset) {
      const f = fds.get(fd);
      if (!f || f.dir) return ERRNO.EBADF;
      if (f.stream) return ERRNO.ESPIPE;
      let base;
      try {
        base = whence === 0 ? 0 : whence === 1 ? f.pos : fstatSync(f.host).size;
      } catch (e) {
        return errnoOf(e);
      }
      const pos = BigInt(base) + offset;
      if (pos < 0n || whence > 2) return ERRNO.EINVAL;
      f.pos = Number(pos);
      view().setBigUint64(newoffset, pos, true);
      return SUCCESS;
    },
    fd_prestat_get(fd, buf) {
      const f = fds.get(fd);
      if (!f?.dir) return ERRNO.EBADF;
      const dv = view();
      dv.setUint8(buf, 0); // a directory
      dv.setUint32(buf + 4, encoder.encode(f.preopen).length, true);
      return SUCCESS;
    },
    fd_prestat_dir_name(fd, ptr, len) {
      const f = fds.get(fd);
      if (!f?.dir) return ERRNO.EBADF;
      const name = encoder.encode(f.preopen);
      if (name.length > len) return ERRNO.EINVAL;
      bytes(ptr, name.length).set(name);
      return SUCCESS;
    },
    path_open(dirfd, dirflags, ptr, len, oflags, rightsBase, rightsInheriting, fdflags, opened) {
      const path = hostPath(dirfd, ptr, len);
      if (typeof path === "number") return path;
      const read = (rightsBase & RIGHTS_FD_READ) !== 0n;
      const write = (rightsBase & RIGHTS_FD_WRITE) !== 0n;
      let flags = write ? (read ? constants.O_RDWR : constants.O_WRONLY) : constants.O_RDONLY;
      if (oflags & OFLAGS_CREAT) flags |= constants.O_CREAT;
      if (oflags & OFLAGS_EXCL) flags |= constants.O_EXCL;
      if (oflags & OFLAGS_TRUNC) flags |= constants.O_TRUNC;
      if (oflags & OFLAGS_DIRECTORY) flags |= constants.O_DIRECTORY ?? 0;
      if (fdflags & FDFLAGS_APPEND) flags |= constants.O_APPEND;
      let host;
      try {
        host = openSync(path, flags, 0o666);
      } catch (e) {
        return errnoOf(e);
      }
      const fd = next++;
      fds.set(fd, { host, pos: 0, append: (fdflags & FDFLAGS_APPEND) !== 0 });
      view().setUint32(opened, fd, true);
      return SUCCESS;
    },
    path_filestat_get(dirfd, flags, ptr, len, buf) {
      const path = hostPath(dirfd, ptr, len);
      if (typeof path === "number") return path;
      let st;
      try {
        st = (flags & 1 ? statSync : lstatSync)(path, { bigint: true });
      } catch (e) {
        return errnoOf(e);
      }
      const dv = view();
      dv.setBigUint64(buf, st.dev, true);
      dv.setBigUint64(buf + 8, st.ino, true);
      dv.setUint8(buf + 16, filetype(st));
      dv.setBigUint64(buf + 24, st.nlink, true);
      dv.setBigUint64(buf + 32, st.size, true);
      dv.setBigUint64(buf + 40, st.atimeNs, true);
      dv.setBigUint64(buf + 48, st.mtimeNs, true);
      dv.setBigUint64(buf + 56, st.ctimeNs, true);
      return SUCCESS;
    },
    path_unlink_file(dirfd, ptr, len) {
      const path = hostPath(dirfd, ptr, len);
      if (typeof path === "number") return path;
      try {
        unlinkSync(path);
      } catch (e) {
        return errnoOf(e);
      }
      return SUCCESS;
    },
    path_remove_directory(dirfd, ptr, len) {
      const path = hostPath(dirfd, ptr, len);
      if (typeof path === "number") return path;
      try {
        rmdirSync(path);
      } catch (e) {
        return errnoOf(e);
      }
      return SUCCESS;
    },
    path_rename(oldfd, oldptr, oldlen, newfd, newptr, newlen) {
      const from = hostPath(oldfd, oldptr, oldlen);
      if (typeof from === "number") return from;
      const to = hostPath(newfd, newptr, newlen);
      if (typeof to === "number") return to;
      try {
        renameSync(from, to);
      } catch (e) {
        return errnoOf(e);
      }
      return SUCCESS;
    },
    clock_time_get(id, precision, out) {
      let ns;
      if (id === 0) ns = BigInt(Date.now()) * 1000000n;
      else if (id === 1) ns = process.hrtime.bigint();
      else {
        const { user, system } = process.cpuUsage();
        ns = BigInt(user + system) * 1000n;
      }
      view().setBigUint64(out, ns, true);
      return SUCCESS;
    },
    environ_sizes_get(count, size) {
      const dv = view();
      dv.setUint32(count, envBytes.length, true);
      dv.setUint32(size, envBytes.reduce((n, b) => n + b.length, 0), true);
      return SUCCESS;
    },
    environ_get(ptrs, buf) {
      const dv = view();
      let p = buf;
      envBytes.forEach((b, i) => {
        dv.setUint32(ptrs + 4 * i, p, true);
        bytes(p, b.length).set(b);
        p += b.length;
      });
      return SUCCESS;
    },
  };
}
