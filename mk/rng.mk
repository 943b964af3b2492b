# The generator: benchmark against numpy, and the check that the committed
# ziggurat tables in src/gaussreg_rng.c match scripts/gen_ziggurat.py.

$(BUILD)/bench_rng: bench/bench_rng.c bench/roofline.h $(LIBGAUSSREG_A)
	$(CC) $(PROG_CFLAGS) $(CFLAGS) \
	  $< $(LIBGAUSSREG_A) $(LDLIBS_CORE) -o $@

# numpy runs with OpenBLAS's CPU overrides unset (for that command only).
.PHONY: bench-rng
bench-rng: $(BUILD)/bench_rng
	@scripts/deps.sh bench
	@ref=$$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE $(PY) bench/rng_numpy.py) && \
	  ./$(BUILD)/bench_rng "$$ref"

BENCH_TARGETS += bench-rng

.PHONY: check-rng-tables
check-rng-tables:
	$(PY) scripts/gen_ziggurat.py --check

CHECK_TARGETS += check-rng-tables
