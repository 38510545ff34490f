"""Benchmark fetch_dominoes with a warm cache: 10,000 pairs.

Run by hand: ``python benchmarks/bench_dominoes.py``. Sources of the real
sizes (MNIST and Fashion-MNIST 60,000 + 10,000 images of 28 x 28,
CIFAR-10 50,000 + 10,000 of 3 x 32 x 32, random pixels, labels spread over
the ten classes as in the real sets) are written to a temporary cache, so
no download happens. Every dominoes call reads and verifies the cached
sources and builds the pairs. Printed side by side: the time of reading the
cache alone (the floor), and a baseline that builds the same pairs the
direct way, one image at a time (pad, replicate, stack). The target is
under 1 s for the second call.
"""

import argparse
import os
import tempfile
import time

import numpy as np

from sklearn_sb.datasets import fetch_dominoes
from sklearn_sb.datasets._cache import write_arrays
from sklearn_sb.datasets._sources import SOURCES, cache_folder, load_source

SIZES = {"train": 60_000, "test": 10_000}
CIFAR_SIZES = {"train": 50_000, "test": 10_000}


def write_sources(data_home, rng):
    folder = cache_folder(data_home)
    for key in ("mnist", "fashion_mnist", "cifar10"):
        shape = SOURCES[key].image_shape
        for split in ("train", "test"):
            n = (CIFAR_SIZES if key == "cifar10" else SIZES)[split]
            labels = rng.permutation(np.arange(n) % 10).astype(np.int64)
            images = rng.integers(0, 256, size=(n, *shape), dtype=np.uint8)
            os.makedirs(folder, exist_ok=True)
            write_arrays(os.path.join(folder, f"{key}-{split}.npz"), images=images,
                         labels=labels)


def baseline(top, bottom, data):
    """The same rows, built one image at a time."""
    rows = []
    for i, j in zip(data.top_index, data.bottom_index):
        if bottom.ndim == 4:  # MNIST over CIFAR-10: pad the digit, replicate it.
            digit = np.repeat(np.pad(top[i], 2)[None], bottom.shape[1], axis=0)
            below = bottom[j]
        else:
            digit, below = top[i][None], bottom[j][None]
        rows.append(np.concatenate([digit, below], axis=1) / 255)
    return np.stack(rows).astype(np.float32)


def timed(func, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_home:
        write_sources(data_home, np.random.default_rng(0))
        for bottom, classes in (("cifar10", (1, 9)), ("fashion_mnist", (4, 3))):
            options = dict(bottom_classes=classes, n_samples=args.n_samples,
                           data_home=data_home, random_state=0, verbose=0)
            start = time.perf_counter()
            fetch_dominoes("mnist", bottom, **options)
            first = time.perf_counter() - start
            warm, data = timed(lambda: fetch_dominoes("mnist", bottom, **options),
                               args.repeats)
            read, sources = timed(lambda: {
                key: load_source(key, ("train",), data_home=data_home, verbose=0)["train"]
                for key in ("mnist", bottom)}, args.repeats)
            direct, images = timed(lambda: baseline(sources["mnist"][0], sources[bottom][0],
                                                    data), 1)
            assert np.array_equal(images.reshape(len(images), -1), data.data)
            print(f"mnist / {bottom}, {len(data.target)} pairs: first call {first:.2f} s, "
                  f"warm call {warm:.2f} s (target < 1 s); reading the cache alone "
                  f"{read:.2f} s ({warm / read:.2f}x of it); one image at a time "
                  f"{direct:.2f} s + reading ({(direct + read) / warm:.1f}x slower)")


if __name__ == "__main__":
    main()
