# The compute kernels: loss/grad benchmark against same-run references.
# (The kernels themselves are part of CORE_SRC; their tests are the
# spec/c/test_eval.c and spec/c/test_simd.c that mk/core.mk discovers.)

BENCH_LOSS_BIN := $(BUILD)/bench_loss

$(BENCH_LOSS_BIN): bench/bench_loss.c bench/roofline.h src/gaussreg.h $(LIBGAUSSREG_A)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) \
	  $(CFLAGS) $< $(LIBGAUSSREG_A) $(LDLIBS_CORE) -o $@

# numpy runs with OpenBLAS's overrides unset, for that command only.
.PHONY: bench-kernels
bench-kernels: $(BENCH_LOSS_BIN)
	@scripts/deps.sh bench
	@np=$$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) bench/loss_numpy.py) && \
	  ./$(BENCH_LOSS_BIN) $$np

# Regenerates the committed C header of the parity fixture.
.PHONY: parity-h
parity-h:
	$(PY) scripts/gen_parity_h.py

BENCH_TARGETS += bench-kernels

# Threads 2 vs 1 (issue 15): loss, grad and sample_init at 1e3..1e8, the
# two-core roofline, and the sweep behind GAUSSREG_PARALLEL_MIN. The 1e8
# rows hold about 5 GB; BENCH_THREADS_ARGS=--no-1e8 skips them.
BENCH_THREADS_ARGS ?=
$(BUILD)/bench_threads: bench/bench_threads.c bench/roofline.h $(CORE_HDR) $(LIBGAUSSREG_A)
	@mkdir -p $(dir $@)
	$(CC) $(PROG_CFLAGS) $(CFLAGS) $< $(LIBGAUSSREG_A) $(LDLIBS_CORE) -o $@

.PHONY: bench-threads
bench-threads: $(BUILD)/bench_threads
	./$(BUILD)/bench_threads $(BENCH_THREADS_ARGS)

BENCH_TARGETS += bench-threads
