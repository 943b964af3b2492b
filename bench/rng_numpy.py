"""rng_numpy.py -- the reference for bench_rng: numpy's
default_rng().standard_normal (PCG64 + ziggurat) filling 1e7 float64,
best of 7, written into a preallocated array (out=) so that, like
gaussreg_sample_init, no allocation is timed. Prints normals/s on stdout.
Run as: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 ...
"""
import time

import numpy as np

N = 10_000_000
rng = np.random.default_rng(42)
out = np.empty(N)
best = float("inf")
for _ in range(7):
    t = time.perf_counter()
    rng.standard_normal(N, out=out)
    best = min(best, time.perf_counter() - t)
print("%.6e" % (N / best))
