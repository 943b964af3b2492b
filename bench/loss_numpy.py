#!/usr/bin/env python3
"""The loss formula in numpy, the reference that bench_loss.c is compared to.

Prints two numbers: milliseconds (best of several runs) for the float64 loss
at n = 1e7 with a scalar prior, then with a per-element prior. As in the C
library, prec = relu(precision) + 1e-6 and sum(log(prec)) are computed once,
outside the timed region, so both sides time the same work.
Run with OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE unset (mk/kernels.mk does).
"""
import sys
import time

import numpy as np

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
REPS = 7


def best(fn):
    t = float("inf")
    for _ in range(REPS):
        t0 = time.perf_counter()
        fn()
        t = min(t, time.perf_counter() - t0)
    return t * 1e3


def main():
    rng = np.random.default_rng(1)
    x = rng.standard_normal(N)
    w = 0.5
    mean_s, prec_s = 0.25, np.maximum(1.0 / (0.8 ** 2 + 1e-8), 0.0) + 1e-6
    log_s = np.log(prec_s)
    mean_v = rng.standard_normal(N)
    std_v = 0.5 + rng.random(N)
    prec_v = np.maximum(1.0 / (std_v ** 2 + 1e-8), 0.0) + 1e-6
    log_v = np.sum(np.log(prec_v))

    def scalar_prior():
        return w * (np.sum(prec_s * (x - mean_s) ** 2) - log_s)

    def per_element():
        return w * (np.sum(prec_v * (x - mean_v) ** 2) - log_v)

    print("%.3f %.3f" % (best(scalar_prior), best(per_element)))


if __name__ == "__main__":
    main()
