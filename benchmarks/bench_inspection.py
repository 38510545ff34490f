"""Benchmark RandomizedFeatureScorer against the estimator's own predict.

Run by hand: ``python benchmarks/bench_inspection.py``. An FCN(100, 2)
trained on LMS-5 scores 100,000 test rows; the scorer with ``n_repeats=1``
randomizes a block (S, then S^c) in the unrotated basis and evaluates the
metric. Target (issue 4): scorer time / predict time <= 1.3.
"""

import argparse
import time

from sklearn.model_selection import train_test_split

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.inspection import RandomizedFeatureScorer


def best_time(func, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-test", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    data = make_lms(20_000 + args.n_test, 50, random_state=0, return_X_y=False)
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=args.n_test, random_state=0
    )
    net = SBNetClassifier(module__width=100, module__depth=2, max_epochs=5,
                          random_state=0).fit(X_train, y_train)

    scorers = {
        f"{block} block, {metric}": RandomizedFeatureScorer.from_dataset(
            data, block, metric=metric, random_state=0
        )
        for block in ("simple", "complex")
        for metric in ("accuracy", "roc_auc")
    }
    # Interleave the runs so that the machine's state (caches, thread pools)
    # affects the baseline and the scorers alike.
    times = {"net.predict": [], **{label: [] for label in scorers}}
    for _ in range(args.repeats):
        times["net.predict"].append(best_time(lambda: net.predict(X_test), 1))
        for label, scorer in scorers.items():
            times[label].append(best_time(lambda: scorer(net, X_test, y_test), 1))
    predict = min(times["net.predict"])
    print(f"FCN(100, 2) on {args.n_test:_} rows of LMS-5 (50 features), "
          f"best of {args.repeats}, interleaved")
    print(f"{'':<34}{'time (s)':>10}{'/ predict':>11}")
    for label, runs in times.items():
        print(f"{label:<34}{min(runs):>10.4f}{min(runs) / predict:>11.2f}")

if __name__ == "__main__":
    main()
