"""Benchmark SBNetClassifier.fit against a hand-written loop and stock skorch.

Run by hand: ``python benchmarks/bench_classifier.py``. The setting:
``make_lms(50_000, 50)``, FCN(100, 1), batch 256, 5 epochs, SGD with
lr 0.1, one process. The hand loop is what a PyTorch user would write:
tensors built once, a random permutation per epoch, index, forward,
backward, step. Stock skorch is ``NeuralNetClassifier`` with its defaults
except ``verbose=0, train_split=None`` (its default NLLLoss wants
probabilities, so the network ends with a softmax there). Target:
SBNetClassifier / hand loop <= 1.3.
"""

import argparse
import time

import numpy as np
import torch
from skorch import NeuralNetClassifier

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.networks import FCN

WIDTH, DEPTH, BATCH, EPOCHS, LR = 100, 1, 256, 5, 0.1


def hand_loop(X, y):
    torch.manual_seed(0)
    X = torch.from_numpy(X.astype(np.float32))
    y = torch.from_numpy(y.astype(np.int64))
    model = FCN(X.shape[1], 2, width=WIDTH, depth=DEPTH)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    loss_fn = torch.nn.CrossEntropyLoss()
    for _ in range(EPOCHS):
        order = torch.randperm(len(X))
        for start in range(0, len(X), BATCH):
            index = order[start : start + BATCH]
            optimizer.zero_grad()
            loss = loss_fn(model(X[index]), y[index])
            loss.backward()
            optimizer.step()
    return model


class SoftmaxFCN(FCN):
    def forward(self, x):
        return torch.softmax(super().forward(x), dim=1)


def stock_skorch(X, y):
    torch.manual_seed(0)
    net = NeuralNetClassifier(
        SoftmaxFCN,
        module__n_features=X.shape[1],
        module__width=WIDTH,
        module__depth=DEPTH,
        lr=LR,
        batch_size=BATCH,
        max_epochs=EPOCHS,
        verbose=0,
        train_split=None,
    )
    return net.fit(X.astype(np.float32), y.astype(np.int64))


def ours(X, y):
    clf = SBNetClassifier(
        "fcn",
        module__width=WIDTH,
        module__depth=DEPTH,
        lr=LR,
        batch_size=BATCH,
        max_epochs=EPOCHS,
        device="cpu",
        random_state=0,
    )
    return clf.fit(X, y)


def best_time(func, X, y, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        func(X, y)
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-samples", type=int, default=50_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    X, y = make_lms(args.n_samples, 50, random_state=0)

    results = {}
    for name, func in [("hand-written loop", hand_loop), ("SBNetClassifier", ours),
                       ("stock skorch", stock_skorch)]:
        func(X[:2000], y[:2000])  # warm-up
        results[name] = best_time(func, X, y, args.repeats)

    base = results["hand-written loop"]
    print(f"fit on make_lms({args.n_samples:_}, 50), FCN({WIDTH}, {DEPTH}), "
          f"batch {BATCH}, {EPOCHS} epochs, {torch.get_num_threads()} torch threads, "
          f"best of {args.repeats}")
    print(f"{'':<20}{'time (s)':>10}{'/ hand loop':>13}")
    for name, seconds in results.items():
        print(f"{name:<20}{seconds:>10.3f}{seconds / base:>13.2f}")
    print(f"SBNetClassifier is {results['stock skorch'] / results['SBNetClassifier']:.2f}x "
          "faster than stock skorch")


if __name__ == "__main__":
    main()
