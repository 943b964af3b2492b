/*
** gaussreg.h -- Gaussian-prior regularizer: the public C API.
**
** The reference is brainstate.nn.GaussianReg(mean, std, weight, fit_hyper):
**
**   precision = 1 / (std^2 + 1e-8)                       (stored; std is not)
**   prec      = relu(precision) + 1e-6                   (what the formulas use)
**   loss(x)   = weight * ( sum_B prec * (x - mean)^2  -  c * sum_P log(prec) )
**
** where B is the numpy broadcast of x, mean and precision, P runs over
** precision's own elements, and c = 1 (GAUSSREG_LOG_PER_PRECISION, brainstate's
** behaviour, the default) or c = numel(B) / numel(P) (GAUSSREG_LOG_PER_ELEMENT,
** the diagonal-Gaussian negative log-likelihood up to constants: the log term
** is counted once for every broadcast element).
**
** Conventions
** - Every function that can fail returns an int status (GAUSSREG_OK == 0, or a
**   negative GAUSSREG_E* code) and takes a last `gaussreg_error *err` that may
**   be NULL; when it is not NULL and the call fails, it receives the code, the
**   name of the offending argument and a message naming the problem, e.g.
**   arg "value", msg "shape (4,3) does not broadcast with mean shape (2)".
** - Arrays are described by gaussreg_array: a data pointer to the first
**   logical element, a dtype (float64 or float32), ndim <= GAUSSREG_MAX_DIMS,
**   a shape and strides counted in ELEMENTS (not bytes). Strides may be
**   negative or zero (zero: a broadcast dimension) on inputs; outputs must
**   not overlap themselves. ndim == 0 is a scalar.
** - Accumulation is in float64 with pairwise/compensated sums whatever the
**   input dtype.
** - Inputs are never written through gaussreg_array.data (it is `void *`
**   only so one struct serves inputs and outputs). On failure no output is
**   written; on success err is left untouched. err->msg is always
**   NUL-terminated (long messages are truncated).
** - Memory: the object and its hyperparameters are allocated through the
**   allocator given at creation (malloc/free when NULL); create copies mean
**   and std, so the caller may free them afterwards; the allocator's ud must
**   outlive every object made with it, and an allocator shared by objects on
**   several threads must itself be thread-safe. It is called only by create,
**   the setters, state_restore and destroy: loss, grad, loss_and_grad,
**   hyper_grad and sample_init never allocate.
** - Thread safety: no global mutable state. Distinct objects may be used from
**   distinct threads freely. One object: the const functions (loss, grad,
**   hyper_grad, getters, state_size, state_save) may run concurrently with
**   each other, but not while a function that takes a non-const gaussreg *
**   (setters, seed, sample_init, set_isa, destroy) runs on it. create,
**   state_restore, array_init, the isa_* functions, strerror and
**   format_shape are safe from any thread.
** - Error codes: EINVAL for NULL pointers, bad dtypes, non-finite values and
**   unknown enums; ESHAPE for shapes that do not broadcast, wrong output
**   shapes, overlapping outputs, ndim > 8, negative dims and sizes that
**   overflow; ENOMEM from create, the setters and state_restore; EFIXED from
**   hyper_grad and the setters without fit_hyper; ESTATE from state_restore;
**   EISA from set_isa.
*/
#ifndef gaussreg_h
#define gaussreg_h

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(GAUSSREG_API)
#  if defined(_WIN32) && defined(GAUSSREG_BUILD_DLL)
#    define GAUSSREG_API __declspec(dllexport)
#  elif (defined(__GNUC__) || defined(__clang__)) && defined(GAUSSREG_SHARED)
#    define GAUSSREG_API __attribute__((visibility("default")))
#  else
#    define GAUSSREG_API
#  endif
#endif

/* Symbols of the core's own units. They include this header through
** gaussreg_internal.h or kernels/gaussreg_kernels.h, which define their
** guards first: from here to the end of such a unit every declaration and
** definition is hidden (GCC, clang; not PE), whatever the compiler flags. So
** a library or Lua module built from these sources by any build system
** (LuaRocks compiles with plain -O2 -fPIC) exports nothing of the core
** except, in a shared-library build (GAUSSREG_SHARED defined), the
** GAUSSREG_API functions. The units include their system headers before
** this one: a hidden declaration of a libc function would not link. */
#if (defined(gaussreg_internal_h) || defined(gaussreg_kernels_h)) &&    \
    (defined(__GNUC__) || defined(__clang__)) && !defined(_WIN32) && \
    !defined(__CYGWIN__)
#pragma GCC visibility push(hidden)
#endif

#define GAUSSREG_VERSION_MAJOR 0
#define GAUSSREG_VERSION_MINOR 1
#define GAUSSREG_VERSION_PATCH 0
#define GAUSSREG_VERSION_STRING "0.1.0"

/* Most dimensions an array may have. */
#define GAUSSREG_MAX_DIMS 8

/* The constants of the reference formula. */
#define GAUSSREG_STD_EPS 1e-8   /* precision = 1/(std^2 + GAUSSREG_STD_EPS) */
#define GAUSSREG_PREC_EPS 1e-6  /* prec = relu(precision) + GAUSSREG_PREC_EPS */
#define GAUSSREG_SAMPLE_EPS 1e-8 /* std_eff = 1/sqrt(relu(precision) + this) */

/* Status codes. */
#define GAUSSREG_OK 0
#define GAUSSREG_EINVAL (-1)  /* a bad argument: NULL, NaN, bad dtype, ... */
#define GAUSSREG_ESHAPE (-2)  /* shapes, ndim, strides or sizes are wrong */
#define GAUSSREG_ENOMEM (-3)  /* the allocator returned NULL */
#define GAUSSREG_EFIXED (-4)  /* hyperparameters are fixed (fit_hyper off) */
#define GAUSSREG_ESTATE (-5)  /* a state byte string is corrupt/unsupported */
#define GAUSSREG_EISA (-6)    /* that instruction set is not available */

typedef enum gaussreg_dtype {
  GAUSSREG_F64 = 0,
  GAUSSREG_F32 = 1
} gaussreg_dtype;

typedef enum gaussreg_log_mode {
  GAUSSREG_LOG_PER_PRECISION = 0,  /* brainstate: each precision element once */
  GAUSSREG_LOG_PER_ELEMENT = 1     /* once per broadcast element (full NLL) */
} gaussreg_log_mode;

/* Instruction sets of the compute kernels. AUTO picks the best this CPU and
** build support; the others force one (tests use this to compare paths). */
typedef enum gaussreg_isa {
  GAUSSREG_ISA_AUTO = 0,
  GAUSSREG_ISA_SCALAR = 1,
  GAUSSREG_ISA_SSE2 = 2,
  GAUSSREG_ISA_AVX2 = 3,
  GAUSSREG_ISA_NEON = 4,
  GAUSSREG_ISA_WASM128 = 5
} gaussreg_isa;

/* A strided n-d view of caller memory (see Conventions above). */
typedef struct gaussreg_array {
  void *data;
  gaussreg_dtype dtype;
  int ndim;
  int64_t shape[GAUSSREG_MAX_DIMS];
  int64_t strides[GAUSSREG_MAX_DIMS];  /* in elements */
} gaussreg_array;

/* Error details; `arg` is a static string ("mean", "std", "weight", "value",
** "out", "shape", "state", ...) or "" when no single argument is at fault. */
typedef struct gaussreg_error {
  int code;
  const char *arg;
  char msg[240];
} gaussreg_error;

/* A lua_Alloc-compatible allocator: returns a block of nsize bytes replacing
** ptr (of osize bytes; ptr NULL means a new block), frees ptr and returns
** NULL when nsize == 0. Returning NULL for nsize > 0 means failure. */
typedef void *(*gaussreg_alloc_fn)(void *ud, void *ptr, size_t osize,
                                   size_t nsize);
typedef struct gaussreg_allocator {
  gaussreg_alloc_fn alloc;
  void *ud;
} gaussreg_allocator;

/* Construction parameters. Fill with gaussreg_config_init, then set. */
typedef struct gaussreg_config {
  const gaussreg_array *mean;   /* required; finite values */
  const gaussreg_array *std;    /* required; finite values >= 0 */
  double weight;                /* finite; default 1.0 */
  int fit_hyper;                /* default 0 */
  gaussreg_log_mode log_mode;   /* default GAUSSREG_LOG_PER_PRECISION */
  uint64_t seed;                /* default 0 */
  const gaussreg_allocator *allocator;  /* NULL: malloc/free; copied */
} gaussreg_config;

typedef struct gaussreg gaussreg;  /* opaque */

/* ---- arrays and errors --------------------------------------------------- */

/* Fills *a as a C-contiguous (row-major) view of data. shape may be NULL when
** ndim == 0. Fails with ESHAPE on ndim outside 0..8, negative dims or an
** element count that does not fit in size_t bytes. */
GAUSSREG_API int gaussreg_array_init(gaussreg_array *a, void *data,
                                     gaussreg_dtype dtype, int ndim,
                                     const int64_t *shape, gaussreg_error *err);
/* Number of elements of a (validated) array: product of its shape. */
GAUSSREG_API size_t gaussreg_array_numel(const gaussreg_array *a);
/* The library's version, GAUSSREG_VERSION_STRING (for run-time checks). */
GAUSSREG_API const char *gaussreg_version(void);
/* Short description of a status code ("invalid argument", ...); for
** EFIXED the whole message ("hyperparameters are fixed: construct with
** fit_hyper = true"), which the bindings show as is. */
GAUSSREG_API const char *gaussreg_strerror(int code);
/* Formats "(4,3)" (or "()" for a scalar) into buf; returns buf. */
GAUSSREG_API char *gaussreg_format_shape(char *buf, size_t size, int ndim,
                                         const int64_t *shape);

/* ---- lifetime ------------------------------------------------------------ */

GAUSSREG_API void gaussreg_config_init(gaussreg_config *cfg);
/* Creates a regularizer; *out is NULL on failure. Errors: EINVAL, ESHAPE,
** ENOMEM (see Conventions). */
GAUSSREG_API int gaussreg_create(const gaussreg_config *cfg, gaussreg **out,
                                 gaussreg_error *err);
/* Frees g and everything it owns through its allocator. NULL is a no-op. */
GAUSSREG_API void gaussreg_destroy(gaussreg *g);

/* ---- the regularizer ----------------------------------------------------- */

/* *loss = the loss of value x. */
GAUSSREG_API int gaussreg_loss(const gaussreg *g, const gaussreg_array *x,
                               double *loss, gaussreg_error *err);
/* gx (same shape as x, any dtype/strides) = dL/dx, summed over the broadcast
** dimensions that x was stretched along. */
GAUSSREG_API int gaussreg_grad(const gaussreg *g, const gaussreg_array *x,
                               gaussreg_array *gx, gaussreg_error *err);
/* Both in one pass over memory. In grad and loss_and_grad, gx may alias x
** exactly (same data, strides and dtype: an in-place gradient); any other
** overlap is an error. The output's arg name in errors is "out". */
GAUSSREG_API int gaussreg_loss_and_grad(const gaussreg *g,
                                        const gaussreg_array *x, double *loss,
                                        gaussreg_array *gx,
                                        gaussreg_error *err);
/* Gradients with respect to the hyperparameters: gmean (mean's shape),
** gprec (precision's shape; 0 where precision <= 0), *gweight (the
** bracket). Any output may be NULL. Requires fit_hyper (EFIXED otherwise). */
GAUSSREG_API int gaussreg_hyper_grad(const gaussreg *g,
                                     const gaussreg_array *x,
                                     gaussreg_array *gmean,
                                     gaussreg_array *gprec, double *gweight,
                                     gaussreg_error *err);

/* The shape of sample_init(shape): broadcast(shape, mean, precision). */
GAUSSREG_API int gaussreg_sample_shape(const gaussreg *g, int ndim,
                                       const int64_t *shape, int *out_ndim,
                                       int64_t *out_shape, gaussreg_error *err);
/* out (of the shape gaussreg_sample_shape gives) = mean + std_eff * N(0,1),
** std_eff = 1/sqrt(relu(precision) + 1e-8); draws in row-major order from
** g's generator. */
GAUSSREG_API int gaussreg_sample_init(gaussreg *g, int ndim,
                                      const int64_t *shape, gaussreg_array *out,
                                      gaussreg_error *err);
/* Reseeds g's generator: the same seed gives the same draws everywhere. */
GAUSSREG_API void gaussreg_seed(gaussreg *g, uint64_t seed);

/* ---- hyperparameters ----------------------------------------------------- */

/* Read-only views of the stored float64, contiguous mean and precision
** (valid until the next setter, restore or destroy). reset_value() is a copy
** of gaussreg_mean. */
GAUSSREG_API const gaussreg_array *gaussreg_mean(const gaussreg *g);
GAUSSREG_API const gaussreg_array *gaussreg_precision(const gaussreg *g);
GAUSSREG_API double gaussreg_weight(const gaussreg *g);
GAUSSREG_API int gaussreg_fit_hyper(const gaussreg *g);
GAUSSREG_API gaussreg_log_mode gaussreg_get_log_mode(const gaussreg *g);
/* Writes a one-line description of g into buf (truncated to size, always
** NUL-terminated) and returns buf: "GaussianReg(mean=0, std=1, weight=0.01,
** fit_hyper=false)". Scalars print as %.14g, arrays by shape ("<array (2)>");
** the std shown is reconstructed from the stored precision as
** sqrt(1/precision - 1e-8) (inf where precision <= 0); ", log_mode=
** per_element" is added in that mode. What the bindings' tostring shows. */
GAUSSREG_API char *gaussreg_format(const gaussreg *g, char *buf, size_t size);
/* Setters need fit_hyper (EFIXED). Values must be finite (EINVAL); the shape
** may change. On failure g is unchanged. */
GAUSSREG_API int gaussreg_set_mean(gaussreg *g, const gaussreg_array *mean,
                                   gaussreg_error *err);
GAUSSREG_API int gaussreg_set_precision(gaussreg *g,
                                        const gaussreg_array *precision,
                                        gaussreg_error *err);
GAUSSREG_API int gaussreg_set_weight(gaussreg *g, double weight,
                                     gaussreg_error *err);
/* The log mode is a modelling choice, not a trained hyperparameter: it may be
** set whatever fit_hyper is. */
GAUSSREG_API int gaussreg_set_log_mode(gaussreg *g, gaussreg_log_mode mode,
                                       gaussreg_error *err);

/* ---- instruction sets ---------------------------------------------------- */

/* 1 when this build and CPU can run isa (AUTO and SCALAR always can). */
GAUSSREG_API int gaussreg_isa_supported(gaussreg_isa isa);
/* The best supported set ("what AUTO means here"). */
GAUSSREG_API gaussreg_isa gaussreg_isa_best(void);
/* "auto", "scalar", "sse2", "avx2", "neon", "wasm128"; NULL if unknown. */
GAUSSREG_API const char *gaussreg_isa_name(gaussreg_isa isa);
/* Parses a name as above; returns -1 when unknown. */
GAUSSREG_API int gaussreg_isa_from_name(const char *name);
/* Forces g's kernels (EISA when unsupported); AUTO restores the best. */
GAUSSREG_API int gaussreg_set_isa(gaussreg *g, gaussreg_isa isa,
                                  gaussreg_error *err);
/* The set g's kernels use now (never AUTO). */
GAUSSREG_API gaussreg_isa gaussreg_get_isa(const gaussreg *g);

/* ---- checkpoints --------------------------------------------------------- */

/* Bytes needed by gaussreg_state_save. */
GAUSSREG_API size_t gaussreg_state_size(const gaussreg *g);
/* Writes the full state (hyperparameters, fit_hyper, log mode, generator
** state) as a versioned little-endian byte string; *written = its length.
** ESHAPE (arg "state") when cap is too small. */
GAUSSREG_API int gaussreg_state_save(const gaussreg *g, void *buf, size_t cap,
                                     size_t *written, gaussreg_error *err);
/* Creates a new object from a state string (validated before any allocation
** proportional to it); allocator as in the config (NULL: malloc/free).
** ESTATE (arg "state") names what is wrong; *out is NULL on failure. */
GAUSSREG_API int gaussreg_state_restore(const void *buf, size_t len,
                                        const gaussreg_allocator *allocator,
                                        gaussreg **out, gaussreg_error *err);

#ifdef __cplusplus
}
#endif

#endif
