"""Benchmark UniversalPerturbation against the Adversarial Robustness Toolbox.

Run by hand, with the toolbox installed only for this benchmark
(``pip install adversarial-robustness-toolbox``)::

    python benchmarks/bench_universal.py

The same FCN(200, 1), trained on LMS-5 with the paper's UAP recipe (SGD
lr 0.1, weight decay 5e-4, until the training loss is below 0.01), is
attacked on the same 1,000 rows at the same l2 eps by the toolbox's
DeepFool-based ``UniversalPerturbation`` (its defaults otherwise) and by
ours, with ``label_signed=False`` (one perturbation for every row, the
toolbox's threat model) and ``label_signed=True`` (the paper's). Fooling
rate: the fraction of rows whose prediction the perturbation changes.
Target: at least 50x faster at an equal or higher fooling rate.
"""

import argparse
import time

import numpy as np
import torch

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.adversarial import UniversalPerturbation


def art_uap(net, X, eps):
    from art.attacks.evasion import UniversalPerturbation as ArtUniversalPerturbation
    from art.estimators.classification import PyTorchClassifier

    classifier = PyTorchClassifier(
        model=net.module_, loss=torch.nn.CrossEntropyLoss(), input_shape=X.shape[1:],
        nb_classes=2, device_type="cpu",
    )
    attack = ArtUniversalPerturbation(classifier, attacker="deepfool", eps=eps, norm=2,
                                      attacker_params={"verbose": False}, verbose=False)
    start = time.perf_counter()
    attack.generate(X.astype(np.float32))
    return time.perf_counter() - start, attack.fooling_rate


def our_uap(net, X, y, eps, label_signed):
    start = time.perf_counter()
    uap = UniversalPerturbation(net, eps=eps, label_signed=label_signed, random_state=0)
    uap.fit(X, y)
    return time.perf_counter() - start, uap.fooling_rate_


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-rows", type=int, default=1000)
    parser.add_argument("--eps", type=float, default=1.0)
    args = parser.parse_args()

    X, y = make_lms(20_000 + args.n_rows, 50, random_state=0)
    net = SBNetClassifier(
        module__width=200, module__depth=1, optimizer__weight_decay=5e-4, max_epochs=30,
        target_loss=0.01, device="cpu", random_state=0,
    ).fit(X[: -args.n_rows], y[: -args.n_rows])
    X_attack, y_attack = X[-args.n_rows :], y[-args.n_rows :]
    our_uap(net, X_attack[:100], y_attack[:100], args.eps, True)  # warm-up

    rows = {
        "ART UniversalPerturbation (DeepFool)": art_uap(net, X_attack, args.eps),
        "ours, label_signed=False": our_uap(net, X_attack, y_attack, args.eps, False),
        "ours, label_signed=True": our_uap(net, X_attack, y_attack, args.eps, True),
    }
    art_time = rows["ART UniversalPerturbation (DeepFool)"][0]
    print(f"UAP on {args.n_rows} rows of LMS-5, FCN(200, 1), l2 eps {args.eps}, "
          f"{torch.get_num_threads()} torch threads")
    print(f"{'':<40}{'fit (s)':>9}{'fooling rate':>14}{'speed-up':>10}")
    for name, (seconds, fooling) in rows.items():
        print(f"{name:<40}{seconds:>9.3f}{fooling:>14.3f}{art_time / seconds:>9.0f}x")


if __name__ == "__main__":
    main()
