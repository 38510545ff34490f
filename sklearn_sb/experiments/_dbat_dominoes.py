"""D-BAT on MNIST-CIFAR dominoes, with the authors' M/C-Dominoes recipe."""

import math

import numpy as np
import pandas as pd

from ..datasets import fetch_dominoes
from ..inspection import randomized_scores
from ._figures import bar_figure


def _cyclic_schedule(max_lr, n_iterations):
    """One triangular cycle of the learning rate, 0 to ``max_lr`` and back, per batch."""
    import torch
    from skorch.callbacks import LRScheduler

    return LRScheduler(policy=torch.optim.lr_scheduler.CyclicLR, base_lr=0.0,
                       max_lr=max_lr, step_size_up=max(1, n_iterations // 2), mode="triangular",
                       cycle_momentum=False, step_every="batch")


def _members(options, n_train, image_shape):
    """The templates of the first member (SGD) and of the later ones (AdamW)."""
    import torch

    from .._classifier import SBNetClassifier

    epochs, batch_size = options["max_epochs"], options["batch_size"]
    iterations = math.ceil(n_train / batch_size) * epochs
    common = dict(module="dbat_lenet", module__input_shape=image_shape, lr=options["lr"],
                  max_epochs=epochs, batch_size=batch_size,
                  optimizer__weight_decay=options["weight_decay"])
    first = SBNetClassifier(**common, optimizer=torch.optim.SGD, optimizer__momentum=0.9,
                            callbacks=[("lr", _cyclic_schedule(options["lr"], iterations))])
    later = SBNetClassifier(**common, optimizer=torch.optim.AdamW,
                            callbacks=[("lr", _cyclic_schedule(options["lr"], iterations))])
    return first, later


def dbat_dominoes(run, options):
    """Fit D-BAT ``repeats`` times; score each member on the randomized test sets.

    Options: ``sources`` (top, bottom, top classes, bottom classes),
    ``holdout`` (the reserve that D_ood is paired from, at correlation 0.5),
    ``alpha``, ``lr`` (the cycle's peak), ``weight_decay``, ``batch_size``,
    ``max_epochs``, ``repeats``, ``n_train`` (None: every training pair).
    """
    from ..mitigation import DBATClassifier

    top, bottom, top_classes, bottom_classes = options["sources"]
    rows = []
    for repeat in range(options["repeats"]):
        seed = run.seed + repeat
        fetch = dict(top_classes=top_classes, bottom_classes=bottom_classes,
                     holdout=options["holdout"], data_home=run.data_home,
                     download_if_missing=run.download_if_missing, random_state=seed,
                     verbose=int(run.progress))
        train = fetch_dominoes(top, bottom, **fetch, n_samples=options.get("n_train"))
        ood = fetch_dominoes(top, bottom, subset="holdout", correlation=0.5, **fetch)
        test = fetch_dominoes(top, bottom, subset="test", **fetch)
        first, later = _members(options, len(train.target), train.images.shape[1:])
        dbat = DBATClassifier(first, later_estimator=later, alpha=options["alpha"],
                              random_state=seed).fit(train.data, train.target, X_ood=ood.data)
        for index, member in enumerate(dbat.estimators_):
            table = randomized_scores(member, test.data, test.target, simple_features=test,
                                      random_state=seed)["accuracy_mean"]
            rows.append({"repeat": repeat, "member": index + 1,
                         "test accuracy": table["standard"],
                         "S-randomized accuracy": table["S-randomized"],
                         "S^c-randomized accuracy": table["S^c-randomized"],
                         "D_ood size": len(ood.target), "training pairs": len(train.target)})
    table = pd.DataFrame(rows)
    run.tables["dbat"] = table
    for member, scores in table.groupby("member"):
        mean, std = scores["S-randomized accuracy"].mean(), scores["S-randomized accuracy"].std()
        paper = options["paper"].get(member, "")
        run.record(f"member {member}: S-randomized accuracy (mean)", mean, paper)
        run.record(f"member {member}: S-randomized accuracy (std)",
                   0.0 if np.isnan(std) else std)
        run.record(f"member {member}: test accuracy (mean)", scores["test accuracy"].mean())
    by_member = table.groupby("member")[
        ["test accuracy", "S-randomized accuracy", "S^c-randomized accuracy"]]
    run.figures["dbat.png"] = bar_figure(by_member.mean(), by_member.std(ddof=0),
                                         ylabel="accuracy", ylim=(0.4, 1.02),
                                         xlabel="D-BAT member")

