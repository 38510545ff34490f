"""D-BAT on a catalog dominoes dataset, with the authors' M/C-Dominoes recipe."""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..datasets import fetch_dominoes
from ..datasets._catalog import available_datasets
from ..inspection import randomized_scores
from ..utils._text import counted
from ._figures import bar_figure


@dataclass(frozen=True)
class DBATDominoesOptions:
    """Options of the dbat_dominoes step.

    Parameters
    ----------
    holdout : float
        Share of the training images reserved to pair D_ood from, at
        correlation 0.5.
    alpha : float
        D-BAT's weight of the disagreement on D_ood.
    lr : float
        The peak of each member's learning-rate cycle.
    weight_decay : float
    batch_size : int
    max_epochs : int
    repeats : int
        D-BAT fits, seeded from the run's seed up.
    paper : dict
        ``{member: published S-randomized accuracy}``.
    n_train : int, default=None
        Training pairs; None uses every pair of the training images.
    """

    holdout: float
    alpha: float
    lr: float
    weight_decay: float
    batch_size: int
    max_epochs: int
    repeats: int
    paper: dict
    n_train: int = None

    def describe_run(self):
        """The pairs the step trains and tests on (whatever the recipe's sizes), and its budget."""
        train = "all train" if self.n_train is None else f"{self.n_train:,} train"
        return (f"{train} / all test pairs, {counted(self.max_epochs, 'epoch')}, "
                f"{counted(self.repeats, 'repeat')}")


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

    epochs, batch_size = options.max_epochs, options.batch_size
    iterations = math.ceil(n_train / batch_size) * epochs
    common = dict(module="dbat_lenet", module__input_shape=image_shape, lr=options.lr,
                  max_epochs=epochs, batch_size=batch_size,
                  optimizer__weight_decay=options.weight_decay)
    first = SBNetClassifier(**common, optimizer=torch.optim.SGD, optimizer__momentum=0.9,
                            callbacks=[("lr", _cyclic_schedule(options.lr, iterations))])
    later = SBNetClassifier(**common, optimizer=torch.optim.AdamW,
                            callbacks=[("lr", _cyclic_schedule(options.lr, iterations))])
    return first, later


def dbat_dominoes(run, options):
    """Fit D-BAT ``repeats`` times on the run's dominoes; score each member.

    The dominoes are those of the run's catalog dataset, drawn afresh with
    a holdout reserve; the members are scored on the randomized test sets.
    """
    from ..mitigation import DBATClassifier

    top, bottom, top_classes, bottom_classes = _dominoes(run.dataset)
    rows = []
    for repeat in range(options.repeats):
        seed = run.seed + repeat
        fetch = dict(top_classes=top_classes, bottom_classes=bottom_classes,
                     holdout=options.holdout, data_home=run.data_home,
                     download_if_missing=run.download_if_missing, random_state=seed,
                     verbose=int(run.progress))
        train = fetch_dominoes(top, bottom, **fetch, n_samples=options.n_train)
        ood = fetch_dominoes(top, bottom, subset="holdout", correlation=0.5, **fetch)
        test = fetch_dominoes(top, bottom, subset="test", **fetch)
        first, later = _members(options, len(train.target), train.images.shape[1:])
        dbat = DBATClassifier(first, later_estimator=later, alpha=options.alpha,
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
        run.record(f"member {member}: S-randomized accuracy (mean)", mean,
                   options.paper.get(member, ""))
        run.record(f"member {member}: S-randomized accuracy (std)",
                   0.0 if np.isnan(std) else std)
        run.record(f"member {member}: test accuracy (mean)", scores["test accuracy"].mean())
    by_member = table.groupby("member")[
        ["test accuracy", "S-randomized accuracy", "S^c-randomized accuracy"]]
    run.figures["dbat.png"] = bar_figure(by_member.mean(), by_member.std(ddof=0),
                                         ylabel="accuracy", ylim=(0.4, 1.02),
                                         xlabel="D-BAT member")


def _dominoes(dataset):
    """``(top, bottom, top_classes, bottom_classes)`` of a catalog dominoes dataset."""
    dominoes = available_datasets()[dataset].dominoes
    if dominoes is None:
        names = [name for name, entry in available_datasets().items() if entry.dominoes]
        raise ValueError(f"The dbat_dominoes step needs a dominoes dataset, one of {names}; "
                         f"{dataset!r} is not one.")
    return dominoes
