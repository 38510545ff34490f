"""Benchmark RandomizedFeatureScorer against the estimator's own predict.

Run by hand: ``python benchmarks/bench_inspection.py``. An FCN(100, 2)
trained on LMS-5 scores 100,000 test rows; the scorer with ``n_repeats=1``
randomizes a block (S, then S^c) in the unrotated basis and evaluates the
metric. Target: scorer time / predict time <= 1.3.

A logistic regression is timed the same way for contrast: its predict is one
pass over X, about as cheap as the randomization itself, so no scorer that
rewrites X can stay within 1.3 times it.
"""

import argparse
import time

from sklearn.linear_model import LogisticRegression
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
    models = {
        "FCN(100, 2)": SBNetClassifier(module__width=100, module__depth=2, max_epochs=5,
                                       random_state=0),
        "LogisticRegression": LogisticRegression(),
    }
    scorers = {
        f"{block} block, {metric}": RandomizedFeatureScorer.from_dataset(
            data, block, metric=metric, random_state=0
        )
        for block in ("simple", "complex")
        for metric in ("accuracy", "roc_auc")
    }
    print(f"{args.n_test:_} rows of LMS-5 (50 features), best of {args.repeats}, "
          "interleaved")
    for name, model in models.items():
        model.fit(X_train, y_train)
        # Interleave the runs so that the machine's state (caches, thread
        # pools) affects the baseline and the scorers alike.
        times = {"predict": [], **{label: [] for label in scorers}}
        for _ in range(args.repeats):
            times["predict"].append(best_time(lambda: model.predict(X_test), 1))
            for label, scorer in scorers.items():
                times[label].append(best_time(lambda: scorer(model, X_test, y_test), 1))
        predict = min(times["predict"])
        print(f"\n{name:<34}{'time (s)':>10}{'/ predict':>11}")
        for label, runs in times.items():
            print(f"  {label:<32}{min(runs):>10.4f}{min(runs) / predict:>11.2f}")


if __name__ == "__main__":
    main()
