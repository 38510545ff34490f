"""Benchmark make_lms(1_000_000, 50): time and peak memory.

Run by hand: ``python benchmarks/bench_datasets.py``. The baseline is the
direct way to write the generator: draw the whole unrotated matrix, transform
it column block by column block, then rotate it with one matrix product. The
targets are under 1.5 s and a peak under 3x the returned array.
"""

import argparse
import time
import tracemalloc

import numpy as np

from sklearn_sb import make_lms
from sklearn_sb.datasets._blocks import (
    default_slab_probabilities,
    slab_layout,
)


def baseline_make_lms(n_samples, n_features, n_slabs=5, margin=0.1, random_state=0):
    """Whole-array generator, without chunking or inverse-CDF sampling."""
    rng = np.random.RandomState(random_state)
    q, r = np.linalg.qr(rng.standard_normal((n_features, n_features)))
    rotation = q * np.sign(np.diag(r))
    y = rng.permutation(np.repeat([0, 1], [n_samples // 2, n_samples - n_samples // 2]))
    Z = np.empty((n_samples, n_features))
    Z[:, 0] = (2 * y - 1) * (margin + (1 - margin) * rng.random_sample(n_samples))
    left, width, labels = slab_layout(n_slabs, margin)
    probabilities = default_slab_probabilities(n_slabs)
    shape = (n_samples, n_features - 1)
    slab = np.empty(shape, dtype=np.intp)
    for c in (0, 1):
        rows = y == c
        slab[rows] = rng.choice(
            np.flatnonzero(labels == c), size=(rows.sum(), n_features - 1),
            p=probabilities[c],
        )
    Z[:, 1:] = left[slab] + width * rng.random_sample(shape)
    return Z @ rotation, y


def measure(func, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        X, _ = func()
        times.append(time.perf_counter() - start)
        del X
    tracemalloc.start()
    X, _ = func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return min(times), peak / X.nbytes


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=1_000_000)
    parser.add_argument("--n-features", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    n, d = args.n_samples, args.n_features

    ours = measure(lambda: make_lms(n, d, random_state=0), args.repeats)
    base = measure(lambda: baseline_make_lms(n, d), args.repeats)
    print(f"make_lms({n:_}, {d}), best of {args.repeats}")
    print(f"{'':<22}{'time (s)':>10}{'peak / array':>14}")
    print(f"{'sklearn_sb.make_lms':<22}{ours[0]:>10.3f}{ours[1]:>14.2f}")
    print(f"{'whole-array baseline':<22}{base[0]:>10.3f}{base[1]:>14.2f}")
    print(f"speed-up over the baseline: {base[0] / ours[0]:.2f}x")


if __name__ == "__main__":
    main()
