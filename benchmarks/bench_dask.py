"""Benchmark Table 2's grid search serially and on a local Dask cluster.

Run by hand: ``python benchmarks/bench_dask.py``. The setting: noisy
LMS-7 (``make_lms(n, 50, n_slabs=7, noise=0.1)``, 40,000 samples as in the
paper's training set), FCN(100, 1), SGD for 10 epochs, and a small slice
of Table 2's optimizer grid: lr {0.05, 0.1} x batch size {128, 256} x
momentum {0, 0.9}, 3-fold cross-validation (24 fits). The serial run is
``n_jobs=1`` in this process with torch's default threads; the cluster run
is :func:`sklearn_sb.parallel.dask_backend` with ``'local:N'`` (N worker
processes of one thread each) and ``scatter=[X, y]``. Both give the same
``cv_results_``.
"""

import argparse
import time

import numpy as np
import torch
from sklearn.model_selection import GridSearchCV

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.parallel import dask_backend

GRID = {
    "lr": [0.05, 0.1],
    "batch_size": [128, 256],
    "optimizer__momentum": [0.0, 0.9],
}
TIMING_KEYS = {"mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time"}


def table2_search(epochs, n_jobs):
    net = SBNetClassifier(
        "fcn",
        module__width=100,
        module__depth=1,
        optimizer__weight_decay=5e-4,
        max_epochs=epochs,
        device="cpu",
        random_state=0,
    )
    return GridSearchCV(net, GRID, cv=3, n_jobs=n_jobs, refit=False)


def same_results(first, second):
    return all(
        np.array_equal(np.asarray(first[key]), np.asarray(second[key]))
        for key in set(first) - TIMING_KEYS
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=40_000)
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    X, y = make_lms(args.n_samples, 50, n_slabs=7, noise=0.1, random_state=0)
    table2_search(1, n_jobs=1).fit(X[:1000], y[:1000])  # warm-up

    start = time.perf_counter()
    serial = table2_search(args.epochs, n_jobs=1).fit(X, y)
    serial_time = time.perf_counter() - start

    start = time.perf_counter()
    with dask_backend(f"local:{args.workers}", scatter=[X, y]):
        table2_search(1, n_jobs=None).fit(X[:1000], y[:1000])  # workers import torch
        ready = time.perf_counter()
        on_cluster = table2_search(args.epochs, n_jobs=None).fit(X, y)
    end = time.perf_counter()
    cluster_time = end - ready

    n_fits = len(serial.cv_results_["params"]) * serial.n_splits_
    rows = [
        ("serial (n_jobs=1)", serial_time),
        (f"local cluster, {args.workers} workers x 1 thread", cluster_time),
        ("  with its start, warm-up and close", end - start),
    ]
    print(
        f"GridSearchCV on noisy LMS-7 ({args.n_samples:_} x 50), FCN(100, 1), "
        f"{args.epochs} epochs, {n_fits} fits; this process has "
        f"{torch.get_num_threads()} torch threads"
    )
    print(f"{'':<42}{'time (s)':>10}")
    for name, seconds in rows:
        print(f"{name:<42}{seconds:>10.1f}")
    print(
        f"speed-up: {serial_time / cluster_time:.2f}x "
        f"({serial_time / (end - start):.2f}x with the cluster's start and close)"
    )
    same = same_results(serial.cv_results_, on_cluster.cv_results_)
    print(f"same cv_results_ as serial: {same}")


if __name__ == "__main__":
    main()
