/*
** lua_wasi.c -- files for Lua's io and os libraries in gaussreg-lua*.wasm,
** over the WASI preview1 calls the host provides.
**
** Emscripten's standalone libc reads, writes, seeks and closes descriptors
** through WASI, but opens nothing beyond the standard streams: open(),
** unlink(), rmdir(), rename() and lstat() are system calls it leaves to
** JavaScript glue that this module does not have. Here they are, resolved
** against the host's preopened directories (fd_prestat_get): a relative path
** is looked up in the preopen named ".", an absolute one in the preopen whose
** name is its longest leading directory. The host decides what is reachable
** (gaussianreg-lua preopens the current directory as "." and under its
** absolute name; a browser preopens nothing). A path outside them, or one
** that leaves them with "..", fails with EACCES ("Permission denied"), so
** io.open returns nil and that message. Nothing here is exported; libc
** calls these by their names.
**
** The errno values of Emscripten's libc are WASI's, so a WASI error code is
** returned as is (negated, as system calls do), except ENOTCAPABLE, which
** has no message in libc: it becomes EACCES.
**
** Also here, the other two things Emscripten's glue would supply: system()
** (no shell) and the setjmp bookkeeping's setTempRet0/getTempRet0.
*/
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wasi/api.h>

/* Every declaration libc's headers do not give (syscall_arch.h is private). */
long __syscall_open(long path, long flags, ...);
long __syscall_unlink(long path);
long __syscall_rmdir(long path);
long __syscall_rename(long old_path, long new_path);
long __syscall_lstat64(long path, long buf);
long __syscall_dup3(long fd, long suggestfd, long flags);
int system(const char *command);
void setTempRet0(uint32_t value);
uint32_t getTempRet0(void);

/* System call arguments arrive as long (musl's syscall ABI), pointers
** among them: the one place they become pointers again. */
static void *arg_ptr(long v) {
  return (void *)v; /* NOLINT(performance-no-int-to-ptr) */
}

#define LW_MAX_PREOPENS 8
#define LW_NAME_MAX 1024

typedef struct lw_preopen {
  __wasi_fd_t fd;
  size_t len;
  char name[LW_NAME_MAX];
} lw_preopen;

/* Read once, at the first file operation (the host's preopens are fixed
** when the module is instantiated). */
static lw_preopen preopens[LW_MAX_PREOPENS];
static int npreopens = -1;

static void scan_preopens(void) {
  __wasi_fd_t fd;
  npreopens = 0;
  for (fd = 3; npreopens < LW_MAX_PREOPENS; fd++) {
    __wasi_prestat_t ps;
    lw_preopen *p = &preopens[npreopens];
    if (__wasi_fd_prestat_get(fd, &ps) != __WASI_ERRNO_SUCCESS) break;
    if (ps.pr_type != __WASI_PREOPENTYPE_DIR || ps.u.dir.pr_name_len >= LW_NAME_MAX)
      continue;
    if (__wasi_fd_prestat_dir_name(fd, (uint8_t *)p->name, ps.u.dir.pr_name_len) !=
        __WASI_ERRNO_SUCCESS)
      continue;
    p->len = ps.u.dir.pr_name_len;
    p->name[p->len] = '\0';
    /* "/a/b/" and "/a/b" are the same directory. */
    while (p->len > 1 && p->name[p->len - 1] == '/') p->name[--p->len] = '\0';
    p->fd = fd;
    npreopens++;
  }
}

/* The preopen that holds path, and path relative to it (never empty: "."
** for the directory itself); -EACCES when none does. */
static long resolve(const char *path, const char **rel) {
  int i, best = -1;
  size_t best_len = 0;
  if (npreopens < 0) scan_preopens();
  if (path[0] == '\0') return -ENOENT; /* as open("") */
  if (path[0] != '/') {
    for (i = 0; i < npreopens; i++) {
      if (strcmp(preopens[i].name, ".") == 0) {
        while (path[0] == '.' && path[1] == '/') path += 2;
        *rel = path[0] != '\0' ? path : ".";
        return preopens[i].fd;
      }
    }
    return -EACCES;
  }
  for (i = 0; i < npreopens; i++) {
    const lw_preopen *p = &preopens[i];
    if (p->name[0] != '/' || p->len < best_len) continue;
    if (p->len == 1 || (strncmp(path, p->name, p->len) == 0 &&
                        (path[p->len] == '/' || path[p->len] == '\0'))) {
      best = i;
      best_len = p->len;
    }
  }
  if (best < 0) return -EACCES;
  path += best_len == 1 ? 0 : best_len;
  while (path[0] == '/') path++;
  *rel = path[0] != '\0' ? path : ".";
  return preopens[best].fd;
}

/* A WASI error as a system call's result. */
static long sysret(__wasi_errno_t err) {
  if (err == __WASI_ERRNO_NOTCAPABLE) return -EACCES;
  return -(long)err;
}

#define RIGHTS_READ (__WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_READDIR)
#define RIGHTS_WRITE (__WASI_RIGHTS_FD_DATASYNC | __WASI_RIGHTS_FD_WRITE | \
                      __WASI_RIGHTS_FD_ALLOCATE | __WASI_RIGHTS_FD_FILESTAT_SET_SIZE)
/* What any open descriptor may do besides reading and writing. */
#define RIGHTS_OTHER (__WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | \
                      __WASI_RIGHTS_FD_FDSTAT_SET_FLAGS | __WASI_RIGHTS_FD_SYNC | \
                      __WASI_RIGHTS_FD_ADVISE | __WASI_RIGHTS_FD_FILESTAT_GET | \
                      __WASI_RIGHTS_FD_FILESTAT_SET_TIMES | __WASI_RIGHTS_PATH_OPEN)

long __syscall_open(long path_arg, long flags, ...) {
  const char *path = arg_ptr(path_arg);
  const char *rel = NULL;
  __wasi_oflags_t oflags = 0;
  __wasi_fdflags_t fdflags = 0;
  __wasi_rights_t base = RIGHTS_OTHER;
  __wasi_fd_t fd;
  __wasi_errno_t err;
  long dir;
  if (!strcmp(path, "/dev/stdin")) return 0;
  if (!strcmp(path, "/dev/stdout")) return 1;
  if (!strcmp(path, "/dev/stderr")) return 2;
  dir = resolve(path, &rel);
  if (dir < 0) return dir;
  switch (flags & O_ACCMODE) {
    case O_RDONLY: base |= RIGHTS_READ; break;
    case O_WRONLY: base |= RIGHTS_WRITE; break;
    default: base |= RIGHTS_READ | RIGHTS_WRITE; break;
  }
  if (flags & O_CREAT) oflags |= __WASI_OFLAGS_CREAT;
  if (flags & O_EXCL) oflags |= __WASI_OFLAGS_EXCL;
  if (flags & O_TRUNC) oflags |= __WASI_OFLAGS_TRUNC;
  if (flags & O_DIRECTORY) oflags |= __WASI_OFLAGS_DIRECTORY;
  if (flags & O_APPEND) fdflags |= __WASI_FDFLAGS_APPEND;
  err = __wasi_path_open((__wasi_fd_t)dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, rel,
                         strlen(rel), oflags, base, base, fdflags, &fd);
  return err == __WASI_ERRNO_SUCCESS ? (long)fd : sysret(err);
}

long __syscall_unlink(long path) {
  const char *rel = NULL;
  long dir = resolve(arg_ptr(path), &rel);
  if (dir < 0) return dir;
  return sysret(__wasi_path_unlink_file((__wasi_fd_t)dir, rel, strlen(rel)));
}

long __syscall_rmdir(long path) {
  const char *rel = NULL;
  long dir = resolve(arg_ptr(path), &rel);
  if (dir < 0) return dir;
  return sysret(__wasi_path_remove_directory((__wasi_fd_t)dir, rel, strlen(rel)));
}

long __syscall_rename(long old_path, long new_path) {
  const char *old_rel = NULL, *new_rel = NULL;
  long old_dir = resolve(arg_ptr(old_path), &old_rel);
  long new_dir = old_dir < 0 ? old_dir : resolve(arg_ptr(new_path), &new_rel);
  if (new_dir < 0) return new_dir;
  return sysret(__wasi_path_rename((__wasi_fd_t)old_dir, old_rel, strlen(old_rel),
                                   (__wasi_fd_t)new_dir, new_rel, strlen(new_rel)));
}

/* What tmpnam needs (does the name exist?), with the usual fields. */
long __syscall_lstat64(long path, long buf) {
  struct stat *st = arg_ptr(buf);
  __wasi_filestat_t fs;
  const char *rel = NULL;
  __wasi_errno_t err;
  long dir = resolve(arg_ptr(path), &rel);
  if (dir < 0) return dir;
  err = __wasi_path_filestat_get((__wasi_fd_t)dir, 0, rel, strlen(rel), &fs);
  if (err != __WASI_ERRNO_SUCCESS) return sysret(err);
  memset(st, 0, sizeof *st);
  st->st_dev = (dev_t)fs.dev;
  st->st_ino = (ino_t)fs.ino;
  st->st_nlink = (nlink_t)fs.nlink;
  st->st_size = (off_t)fs.size;
  switch (fs.filetype) {
    case __WASI_FILETYPE_DIRECTORY: st->st_mode = S_IFDIR; break;
    case __WASI_FILETYPE_SYMBOLIC_LINK: st->st_mode = S_IFLNK; break;
    case __WASI_FILETYPE_CHARACTER_DEVICE: st->st_mode = S_IFCHR; break;
    case __WASI_FILETYPE_BLOCK_DEVICE: st->st_mode = S_IFBLK; break;
    default: st->st_mode = S_IFREG; break;
  }
  st->st_atim.tv_sec = (time_t)(fs.atim / 1000000000u);
  st->st_atim.tv_nsec = (long)(fs.atim % 1000000000u);
  st->st_mtim.tv_sec = (time_t)(fs.mtim / 1000000000u);
  st->st_mtim.tv_nsec = (long)(fs.mtim % 1000000000u);
  st->st_ctim.tv_sec = (time_t)(fs.ctim / 1000000000u);
  st->st_ctim.tv_nsec = (long)(fs.ctim % 1000000000u);
  return 0;
}

/* freopen onto another file; WASI has no dup. */
long __syscall_dup3(long fd, long suggestfd, long flags) {
  (void)fd;
  (void)suggestfd;
  (void)flags;
  return -ENOSYS;
}

/* No shell: os.execute() is false, os.execute(cmd) fails with ENOSYS. */
int system(const char *command) {
  if (command == NULL) return 0;
  errno = ENOSYS;
  return -1;
}

/* compiler-rt's setjmp bookkeeping (saveSetjmp) reports a size through
** setTempRet0, which Emscripten's JavaScript glue supplies elsewhere. */
static uint32_t temp_ret0;
void setTempRet0(uint32_t value) { temp_ret0 = value; }
uint32_t getTempRet0(void) { return temp_ret0; }
