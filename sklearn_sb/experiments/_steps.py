"""Measurements an experiment runs after training, named in the recipes."""

import contextlib
import itertools
import math
from dataclasses import dataclass
from typing import Callable, NamedTuple

import numpy as np
import pandas as pd
from sklearn.model_selection import GridSearchCV, ShuffleSplit

from ..adversarial import PerturbationDisplay, UniversalPerturbation, robust_accuracy_score
from ..inspection import (
    LogitHistogramDisplay,
    ProjectedBoundaryDisplay,
    randomized_scores,
)
from ..utils._text import counted
from ._architectures import ArchitecturesOptions, architectures
from ._confidence import confidence
from ._figure3b import Figure3bOptions, figure3b
from ._figures import bar_figure
from ._model import make_model
from ._recipes import ATTACK_ROWS
from ._robustness import RobustnessOptions, robustness
from ._cmnist_sd import CMNISTSDOptions, cmnist_sd
from ._dbat_dominoes import DBATDominoesOptions, dbat_dominoes
from ._s_removed import SRemovedOptions, s_removed


@dataclass(frozen=True)
class NoOptions:
    """The options of a step that takes none."""


def train(run, options):
    run.model = make_model(run, verbose=int(run.progress))
    run.model.fit(run.X_train, run.y_train)
    run.record("train accuracy", run.model.score(run.X_train, run.y_train))
    run.record("test accuracy", run.model.score(run.X_test, run.y_test))


@dataclass(frozen=True)
class RandomizedOptions:
    """Options of the randomized step.

    Parameters
    ----------
    n_repeats : int, default=3
        Randomizations per condition.
    """

    n_repeats: int = 3


def randomized(run, options):
    table = randomized_scores(
        run.model, run.X_test, run.y_test, simple_features=run.data,
        metrics=("accuracy", "roc_auc"), n_repeats=options.n_repeats,
        random_state=run.seed,
    )
    for condition in table.index:
        run.record(f"{condition} AUC", table.loc[condition, "roc_auc_mean"])
        run.record(f"{condition} accuracy", table.loc[condition, "accuracy_mean"])
    run.figures["logits.png"] = LogitHistogramDisplay.from_estimator(
        run.model, run.X_test, run.y_test, simple_features=run.data, random_state=run.seed
    ).figure_


def boundary(run, options):
    run.figures["boundary.png"] = ProjectedBoundaryDisplay.from_estimator(
        run.model, run.X_test, run.y_test, simple_features=run.data, random_state=run.seed
    ).figure_


@dataclass(frozen=True)
class UAPOptions:
    """Options of the uap step.

    Parameters
    ----------
    eps : float
        The l2 radius of the perturbations and of the PGD attack.
    methods : tuple of str, default=('sgd', 'svd')
        The ways to learn a universal perturbation
        (:class:`~sklearn_sb.adversarial.UniversalPerturbation`'s ``method``).
    robust_accuracy : bool, default=True
        Whether to also score the network under a PGD attack of radius ``eps``.
    """

    eps: float
    methods: tuple = ("sgd", "svd")
    robust_accuracy: bool = True


def uap(run, options):
    """Universal perturbations of the paper's budget; ``methods`` picks the ways to learn them."""
    eps = options.eps
    X_fit, y_fit = run.X_train[:ATTACK_ROWS], run.y_train[:ATTACK_ROWS]
    for method in options.methods:
        perturbation = UniversalPerturbation(run.model, eps=eps, method=method,
                                             random_state=run.seed).fit(X_fit, y_fit)
        attacked = run.model.score(perturbation.transform(run.X_test), run.y_test)
        run.record(f"accuracy under UAP ({method}, l2 eps {eps})", attacked)
        run.record(f"UAP budget on S ({method})", perturbation.budget_fraction(run.data))
        if method == "sgd":
            run.figures["uap.png"] = PerturbationDisplay.from_estimator(
                perturbation, simple_features=run.data, image_shape=run.data.get("image_shape")
            ).figure_
    if options.robust_accuracy:
        run.record(
            f"robust accuracy (PGD, l2 eps {eps})",
            robust_accuracy_score(run.model, run.X_test[:ATTACK_ROWS],
                                  run.y_test[:ATTACK_ROWS], eps=eps, random_state=run.seed),
        )


@dataclass(frozen=True)
class Table2Options:
    """Options of the table2 step.

    Parameters
    ----------
    architectures : list of (int, int)
        The ``(width, depth)`` of each fully connected network.
    grid : dict
        The parameter grid searched for each network.
    validation_fraction : float
        Share of the training rows that selects the grid's best parameters.
    """

    architectures: list
    grid: dict
    validation_fraction: float

    def describe_budget(self):
        """The searches' size, in words."""
        settings = int(np.prod([len(values) for values in self.grid.values()]))
        return (f"{counted(len(self.architectures), 'network')} x "
                f"{counted(settings, 'grid setting')}")


def table2(run, options):
    """Table 2: a grid search per architecture, selected by validation accuracy."""
    rows = []
    # Precomputed splits can be scattered with the data: every input of the
    # search then survives the loss of a cluster worker.
    splits = list(ShuffleSplit(n_splits=1, test_size=options.validation_fraction,
                               random_state=run.seed).split(run.X_train))
    inputs = [run.X_train, run.y_train, *itertools.chain.from_iterable(splits)]
    for width, depth in options.architectures:
        search = GridSearchCV(make_model(run, module__width=width, module__depth=depth),
                              options.grid, cv=splits)
        with _search_backend(run.scheduler, inputs):
            search.fit(run.X_train, run.y_train)
        best = search.best_estimator_
        scores = randomized_scores(best, run.X_test, run.y_test, simple_features=run.data,
                                   metrics="accuracy", n_repeats=3, random_state=run.seed)
        rows.append({
            "architecture": f"FCN({width}, {depth})",
            "train": best.score(run.X_train, run.y_train),
            "test": scores.loc["standard", "accuracy_mean"],
            "S^c-randomized": scores.loc["S^c-randomized", "accuracy_mean"],
            "S-randomized": scores.loc["S-randomized", "accuracy_mean"],
            "validation": search.best_score_,
            "best parameters": ", ".join(f"{k}={v}" for k, v in search.best_params_.items()),
        })
    table = pd.DataFrame(rows).set_index("architecture")
    run.tables["table2"] = table
    for column in ("train", "test", "S^c-randomized", "S-randomized"):
        run.record(column, f"{table[column].min():.3f}-{table[column].max():.3f}")
    run.figures["table2.png"] = bar_figure(
        table[["train", "test", "S^c-randomized", "S-randomized"]], ylabel="accuracy",
        ylim=(0.4, 1.02), figsize=(7, 3.5))


def _search_backend(scheduler, data):
    """Run grid searches on the Dask cluster at ``scheduler``, if given."""
    if scheduler is None:
        return contextlib.nullcontext()
    from ..parallel import dask_backend

    return dask_backend(scheduler, scatter=data)


def theorem1(run, options):
    """The weights of the Theorem 1 network on each coordinate of LSN data."""
    import matplotlib.pyplot as plt

    weights = run.model.module_.hidden.weight.detach().abs().cpu().numpy()
    k, d = weights.shape
    linear, slab = weights[:, 0].mean(), weights[:, 1].mean()
    initial = math.sqrt(2 / math.pi) / math.sqrt(d * k * math.log(d) ** 4)
    run.record("mean |w| on the linear coordinate", linear, f"~{2 / math.sqrt(k):.3f} (2/sqrt(k))")
    run.record("mean |w| on the 3-slab coordinate", slab, f"~{initial:.4f} (initial size)")
    run.record("mean |w| on the noise coordinates", weights[:, 2:].mean(), f"~{initial:.4f}")
    # The theorem's separation, sqrt(d) up to log factors: the grown linear
    # weights over the initial size the slab weights keep.
    run.record("linear / slab weight ratio", linear / slab,
               f"~{2 / math.sqrt(k) / initial:.0f} (2/sqrt(k) over the initial size)")
    figure, ax = plt.subplots(figsize=(6, 3))
    shown = min(d, 20)
    ax.bar(np.arange(shown), weights[:, :shown].mean(axis=0),
           color=["tab:red", "tab:blue"] + ["tab:gray"] * (shown - 2))
    ax.set_xlabel("coordinate (0 linear, 1 3-slab, then noise)")
    ax.set_ylabel("mean |w|")
    figure.tight_layout()
    run.figures["weights.png"] = figure


class Step(NamedTuple):
    """A step a recipe may name.

    Parameters
    ----------
    function : callable
        ``function(run, options)``, run in the recipe's order.
    options : type
        The frozen dataclass of its options; a recipe gives their values.
    trains_network : bool
        Whether it trains the recipe's network (its ``model`` and
        ``max_epochs``), rather than one of its own or none.
    needs_blocks : bool
        Whether it measures S, so that it needs a dataset with a block of
        columns for S (Colored MNIST has none).
    """

    function: Callable
    options: type
    trains_network: bool
    needs_blocks: bool


STEPS = {
    "train": Step(train, NoOptions, trains_network=True, needs_blocks=False),
    "randomized": Step(randomized, RandomizedOptions, trains_network=False, needs_blocks=True),
    "boundary": Step(boundary, NoOptions, trains_network=False, needs_blocks=True),
    "uap": Step(uap, UAPOptions, trains_network=False, needs_blocks=True),
    "architectures": Step(architectures, ArchitecturesOptions, trains_network=True,
                          needs_blocks=True),
    "figure3b": Step(figure3b, Figure3bOptions, trains_network=True, needs_blocks=True),
    "s_removed": Step(s_removed, SRemovedOptions, trains_network=True, needs_blocks=True),
    "dbat_dominoes": Step(dbat_dominoes, DBATDominoesOptions, trains_network=False,
                          needs_blocks=True),
    "cmnist_sd": Step(cmnist_sd, CMNISTSDOptions, trains_network=False, needs_blocks=False),
    "table2": Step(table2, Table2Options, trains_network=True, needs_blocks=True),
    "theorem1": Step(theorem1, NoOptions, trains_network=False, needs_blocks=True),
    "confidence": Step(confidence, NoOptions, trains_network=False, needs_blocks=True),
    "robustness": Step(robustness, RobustnessOptions, trains_network=True, needs_blocks=True),
}
