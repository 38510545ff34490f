"""``sklearn-sb benchmark``: every mitigation method through the paper's measurements.

A cell is one method fitted on one dataset with one seed, then scored on
standard, S-randomized and S^c-randomized test rows and under a universal
perturbation of the paper's budget. Cells run in parallel with joblib (on a
Dask cluster when a scheduler is given) and are summarized as mean +- std
over the seeds, one row per method and dataset; an ensemble also gets a row
for the member its selection rule picked, and the S-removed ceiling (a
network trained with S removed) is a reference row.
"""

import contextlib
import json
import os
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils import Bunch
from tqdm.auto import tqdm

from ._output import staged_directory
from ._recipes import _MNIST_CIFAR_CNN, ATTACK_ROWS

#: The datasets, with the l2 budget of their universal perturbations
#: (the paper's: LMS-5 1.0, MS-(5,7) 0.5, MNIST-CIFAR 5.0).
DATASETS = {
    "lms5": {"eps": 1.0},
    "ms57": {"eps": 0.5},
    "noisy-lms7": {"eps": 1.0},
    "mnist-cifar": {"eps": 5.0, "sources": ("mnist", "cifar10", (0, 1), (1, 9))},
    "mf-dominoes": {"eps": 5.0, "sources": ("mnist", "fashion_mnist", (0, 1), (4, 3))},
}
SYNTHETIC = ("lms5", "ms57", "noisy-lms7")


@dataclass(frozen=True)
class BenchmarkSize:
    """Rows and epochs of a benchmark size (images use their sources' sizes)."""

    n_train: int
    n_side: int
    n_test: int
    n_features: int
    max_epochs: int
    image_epochs: int
    n_repeats: int = 3
    #: D-BAT's alpha on synthetic data: at the full size 0.2 (MITIGATION.md's
    #: trial); at 30,000 rows in 10 dimensions the slabs need 0.5.
    dbat_alpha: float = 0.5


SIZES = {
    "quick": BenchmarkSize(2_000, 1_000, 1_000, 10, 3, 1, n_repeats=1),
    # D-BAT's second member learns the slabs of LMS-5, MS-(5,7) and noisy
    # LMS-7 from 30,000 rows in 10 dimensions within 25 epochs; in 50
    # dimensions it needs the full size (with 50,000 rows it stays on S).
    "default": BenchmarkSize(30_000, 5_000, 5_000, 10, 25, 10),
    "full": BenchmarkSize(100_000, 20_000, 10_000, 50, 40, 30, dbat_alpha=0.2),
}
# FCN(100, 2), SGD with momentum 0.9 at lr 0.05 (without momentum MS-(5,7)'s
# slabs stay at chance), weight decay 5e-5, batch 256, a fixed number of
# epochs: every method trains as long, so the wall times compare.
_SYNTHETIC_NETWORK = {
    "module": "fcn", "module__width": 100, "module__depth": 2, "lr": 0.05,
    "optimizer__momentum": 0.9, "optimizer__weight_decay": 5e-5, "batch_size": 256,
}


def _network(data, size):
    from .._classifier import SBNetClassifier

    if data.image_shape is None:
        return SBNetClassifier(**{**_SYNTHETIC_NETWORK, "max_epochs": size.max_epochs})
    return SBNetClassifier(**{**_MNIST_CIFAR_CNN, "max_epochs": size.image_epochs,
                              "module__input_shape": data.image_shape})


# -- the methods: each plans its model and its fit from the member network, the
# data, the seed and the size ---------------------------------------------------------


@dataclass
class _Plan:
    """A method's model, its fit's side data, and what follows the fit."""

    model: object
    fit_params: dict = field(default_factory=dict)
    #: Called with the fitted model (DivDis's disambiguation).
    after_fit: object = None
    #: The unlabeled side data was made by permuting S (synthetic data): the
    #: model records 'unlabeled_ood', the table says 'oracle_simple_block'.
    oracle_ood: bool = False


def _erm(net, data, seed, size):
    return _Plan(net)


def _logit_ensemble(net, data, seed, size):
    from ..mitigation import LogitEnsembleClassifier

    return _Plan(LogitEnsembleClassifier(net, n_estimators=3, random_state=seed))


def _adversarial_training(net, data, seed, size):
    from ..mitigation import AdversarialTraining

    # The adversarial recipe's ball: l2, half LMS-5's margin (see RECIPES).
    return _Plan(net.set_params(method=AdversarialTraining(eps=0.05, norm=2, step_size=0.02,
                                                           n_iter=7)))


def _spectral_decoupling(net, data, seed, size):
    from ..mitigation import SpectralDecoupling

    return _Plan(net.set_params(method=SpectralDecoupling(strength=0.1)))


def _dbat(net, data, seed, size):
    from ..mitigation import DBATClassifier

    if data.image_shape is None:
        # Held-out rows with S permuted: the oracle D_ood of MITIGATION.md.
        model = DBATClassifier(net, alpha=size.dbat_alpha, ood="oracle", random_state=seed)
        return _Plan(model, {"X_ood": data.X_side, "simple_features": data.blocks})
    return _Plan(DBATClassifier(net, alpha=0.1, ood="given", random_state=seed),
                 {"X_ood": data.X_side})


def _dbat_adversarial(net, data, seed, size):
    from ..mitigation import DBATClassifier

    # No side data: D_ood is searched within the UAP budget of every batch.
    eps = DATASETS[data.name]["eps"]
    return _Plan(DBATClassifier(net, alpha=size.dbat_alpha, ood="adversarial", eps=eps,
                                step_size=eps / 5, n_iter=7, random_state=seed))


def _dfr(net, data, seed, size):
    from ..mitigation import DFRClassifier

    return _Plan(DFRClassifier(net, random_state=seed),
                 {"X_val": data.X_val, "y_val": data.y_val})


def _gradient_diversity(net, data, seed, size):
    from ..mitigation import GradientDiversityClassifier

    # Without a labeled set nothing is selected: the decorrelated set picks a member.
    return _Plan(GradientDiversityClassifier(net, random_state=seed),
                 {"X_val": data.X_val, "y_val": data.y_val})


def _orthop(net, data, seed, size):
    from .._classifier import SBNetClassifier
    from ..mitigation import OrthoPClassifier

    if data.image_shape is not None:
        # The projection acts on the first layer's input: a fully connected
        # network on the flattened images, trained as the CNN is.
        net = SBNetClassifier(**{**_SYNTHETIC_NETWORK, "max_epochs": size.image_epochs,
                                 "random_state": net.random_state})
    return _Plan(OrthoPClassifier(net, random_state=seed))


def _divdis(net, data, seed, size):
    from ..mitigation import DivDisClassifier

    def disambiguate(model):
        model.disambiguate(data.X_val, data.y_val)

    # Synthetic target rows are the held-out rows with S permuted.
    return _Plan(DivDisClassifier(net, random_state=seed), {"X_ood": data.X_val},
                 after_fit=disambiguate, oracle_ood=data.image_shape is None)


METHODS = {
    "erm": _erm,
    "logit-ensemble": _logit_ensemble,
    "adversarial-training": _adversarial_training,
    "spectral-decoupling": _spectral_decoupling,
    "d-bat": _dbat,
    "dfr": _dfr,
    "d-bat-adversarial": _dbat_adversarial,
    "gradient-diversity": _gradient_diversity,
    "orthop": _orthop,
    "divdis": _divdis,
}
#: What runs when no methods are named: the baselines and the first methods.
#: The others are named with ``--methods`` (the adversarial D-BAT searches
#: D_ood for every batch, ~8x ERM's cost; gradient diversity backpropagates
#: twice).
DEFAULT_METHODS = ("erm", "logit-ensemble", "adversarial-training", "spectral-decoupling",
                   "d-bat", "dfr")
BASELINES = ("erm", "logit-ensemble", "adversarial-training")
CEILING = "S-removed ceiling"


# -- data ---------------------------------------------------------------------------


def benchmark_data(name, size, seed, data_home=None):
    """Training, side and test rows of one dataset for one seed.

    Synthetic datasets draw ``n_side`` extra rows of the same distribution:
    their S-permuted copy is the labeled decorrelated set (``X_val``,
    ``y_val``) and the rows themselves feed the D-BAT oracle. Image datasets
    reserve 20 % of every training source (``fetch_dominoes(holdout=0.2)``)
    and pair the reserve at random (correlation 0.5): unlabeled D_ood and,
    with its labels, the decorrelated set. Images must be cached: the
    benchmark never downloads.
    """
    from ..datasets import load_dataset
    from ..utils._randomize import randomize_validated

    size = SIZES[size] if isinstance(size, str) else size
    if name in SYNTHETIC:
        data = load_dataset(name, n_train=size.n_train + size.n_side, n_test=size.n_test,
                            n_features=size.n_features, random_state=seed)
        X_train, X_side = data.X_train[:size.n_train], data.X_train[size.n_train:]
        y_train, y_side = data.y_train[:size.n_train], data.y_train[size.n_train:]
        permutation = np.random.RandomState(seed).permutation(len(X_side))
        X_val = randomize_validated(X_side, data.simple_features, data.rotation, permutation,
                                    dtype=np.float32)
        return Bunch(name=name, X_train=X_train, y_train=y_train, X_side=X_side,
                     X_val=X_val, y_val=y_side, X_test=data.X_test, y_test=data.y_test,
                     blocks=data, image_shape=None)
    from ..datasets import fetch_dominoes

    top, bottom, top_classes, bottom_classes = DATASETS[name]["sources"]
    fetch = partial(fetch_dominoes, top, bottom, top_classes=top_classes,
                    bottom_classes=bottom_classes, holdout=0.2, data_home=data_home,
                    download_if_missing=False, random_state=seed, verbose=0)
    train, side, test = fetch(), fetch(subset="holdout", correlation=0.5), fetch(subset="test")
    return Bunch(name=name, X_train=train.data, y_train=train.target, X_side=side.data,
                 X_val=side.data, y_val=side.target, X_test=test.data, y_test=test.target,
                 blocks=train, image_shape=train.images.shape[1:])


# -- one cell -----------------------------------------------------------------------


def _scores(model, data, seed, size, eps):
    from ..adversarial import UniversalPerturbation
    from ..inspection import randomized_scores

    table = randomized_scores(model, data.X_test, data.y_test, simple_features=data.blocks,
                              metrics=("accuracy", "roc_auc"), n_repeats=size.n_repeats,
                              random_state=seed)
    scores = {}
    for condition in table.index:
        scores[f"{condition} accuracy"] = float(table.loc[condition, "accuracy_mean"])
        scores[f"{condition} AUC"] = float(table.loc[condition, "roc_auc_mean"])
    uap = UniversalPerturbation(model, eps=eps, random_state=seed).fit(
        data.X_train[:ATTACK_ROWS], data.y_train[:ATTACK_ROWS])
    scores["accuracy under UAP"] = float(model.score(uap.transform(data.X_test), data.y_test))
    return scores


def run_cell(dataset, method, seed, size, data_home=None, n_threads=None):
    """Fit ``method`` on ``dataset`` with ``seed``: its rows of the benchmark table.

    Returns
    -------
    rows : list of dict
        One per model scored: the method's, and the selected member's for
        an ensemble with a selection rule.
    """
    import torch

    if n_threads is not None:
        torch.set_num_threads(n_threads)
    size = SIZES[size] if isinstance(size, str) else size
    data = benchmark_data(dataset, size, seed, data_home)
    eps = DATASETS[dataset]["eps"]
    net = clone(_network(data, size)).set_params(random_state=seed)
    base = {"dataset": dataset, "method": method, "seed": seed}
    start = time.perf_counter()
    if method == CEILING:
        from ..inspection import s_removed_control

        result = s_removed_control(net, data.X_train, data.y_train, data.X_test, data.y_test,
                                   simple_features=data.blocks, n_repeats=size.n_repeats,
                                   random_state=seed)
        return [{**base, "row": "S removed", "wall time (s)": time.perf_counter() - start,
                 "side information": "oracle_simple_block",
                 "S^c accuracy (S removed)": result.ceiling["accuracy"],
                 "S^c AUC (S removed)": result.ceiling["roc_auc"]}]
    plan = METHODS[method](net, data, seed, size)
    model = plan.model.fit(data.X_train, data.y_train, **plan.fit_params)
    if plan.after_fit is not None:
        plan.after_fit(model)
    seconds = time.perf_counter() - start
    side = getattr(model, "side_information_", ("none",))
    if plan.oracle_ood:
        side = tuple("oracle_simple_block" if s == "unlabeled_ood" else s for s in side)
    side = "+".join(side)
    rows = [{**base, "row": "model", "wall time (s)": seconds, "side information": side,
             **_scores(model, data, seed, size, eps)}]
    selected = getattr(model, "selected_estimator_", model)
    # A member row unless the model is the member (DivDis after disambiguation).
    if selected is not model and getattr(model, "predicting_estimators_", None) != [selected]:
        rows.append({**base, "row": f"selected member ({model.selection_})",
                     "wall time (s)": seconds, "side information": side,
                     **_scores(model.selected_estimator_, data, seed, size, eps)})
    return rows


# -- the whole benchmark -----------------------------------------------------------------


@dataclass
class BenchmarkResult:
    """What :func:`run_benchmark` measured.

    Attributes
    ----------
    cells : pandas.DataFrame
        One row per model scored per seed.
    table : pandas.DataFrame
        Mean and std over the seeds, per dataset, method and row.
    notes : list of str
        Datasets skipped, and why.
    seconds : float
        Wall time of the whole benchmark.
    figure : matplotlib.figure.Figure
        S-randomized accuracy per method and dataset.
    files : list of pathlib.Path
    """

    cells: pd.DataFrame
    table: pd.DataFrame
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    figure: object = None
    files: list = field(default_factory=list)


def _available(datasets, data_home):
    """The datasets whose data can be read, and a note for each skipped one."""
    from ..datasets._sources import is_cached

    usable, notes = [], []
    for name in datasets:
        sources = DATASETS[name].get("sources")
        missing = [key for key in (sources or ())[:2] if not is_cached(key, data_home)]
        if missing:
            notes.append(
                f"{name}: skipped, its sources {missing} are not cached in data_home "
                f"(the benchmark never downloads; fetch them once with "
                f"sklearn_sb.datasets.fetch_dominoes)."
            )
        else:
            usable.append(name)
    return usable, notes


def summarize(cells):
    """Mean and std over the seeds of every score, per dataset, method and row."""
    keys = ["dataset", "method", "row"]
    numeric = cells.drop(columns=["seed", "side information"]).groupby(keys, sort=False)
    table = numeric.mean().add_suffix(" mean").join(numeric.std(ddof=0).add_suffix(" std"))
    table["side information"] = cells.groupby(keys, sort=False)["side information"].first()
    table["seeds"] = cells.groupby(keys, sort=False)["seed"].nunique()
    return table


_PRINTED = {
    "standard accuracy": "accuracy",
    "S-randomized accuracy": "S-rand. acc.",
    "S^c-randomized accuracy": "S^c-rand. acc.",
    "standard AUC": "AUC",
    "S-randomized AUC": "S-rand. AUC",
    "S^c-randomized AUC": "S^c-rand. AUC",
    "accuracy under UAP": "UAP acc.",
    "S^c accuracy (S removed)": "S-removed acc.",
    "wall time (s)": "wall s",
}


def format_table(table):
    """The summary as 'mean +- std' texts, for printing."""
    columns = {}
    for score, title in _PRINTED.items():
        mean, std = table[f"{score} mean"], table[f"{score} std"]
        digits = 1 if score.startswith("wall") else 3
        columns[title] = [
            "" if np.isnan(m) else f"{m:.{digits}f} +- {s:.{digits}f}"
            for m, s in zip(mean, std)
        ]
    printed = pd.DataFrame(columns, index=table.index)
    printed["side information"] = table["side information"]
    return printed


def _figure(table):
    import matplotlib.pyplot as plt

    column = "S-randomized accuracy"
    # Every model and every selected member, in the table's order (the
    # ceiling has no S-randomized accuracy).
    scored = table[table[f"{column} mean"].notna()].reset_index()
    scored["model"] = [method if row == "model" else f"{method}\n(selected member)"
                       for method, row in zip(scored["method"], scored["row"])]
    order = list(dict.fromkeys(scored["model"]))
    pivot = scored.pivot(index="model", columns="dataset", values=f"{column} mean")
    errors = scored.pivot(index="model", columns="dataset", values=f"{column} std")
    datasets = list(dict.fromkeys(scored["dataset"]))
    pivot, errors = pivot.loc[order, datasets], errors.loc[order, datasets]
    figure, ax = plt.subplots(figsize=(max(8, 1.1 * len(order)), 4.2))
    pivot.plot.bar(ax=ax, yerr=errors, rot=30, ylim=(0.3, 1.02), capsize=2)
    ax.axhline(0.5, color="grey", lw=0.8, ls="--")
    ax.set_ylabel("S-randomized accuracy")
    ax.set_xlabel("")
    ax.set_title("Accuracy with the simple block S randomized (mean +- std over seeds)")
    ax.legend(fontsize="small", loc="upper left")
    figure.tight_layout()
    return figure


def run_benchmark(methods=None, datasets=None, *, n_seeds=5, size="default", n_jobs=None,
                  scheduler=None, data_home=None, out=None, progress=True):
    """Score mitigation methods on the testbed's datasets.

    Parameters
    ----------
    methods : sequence of str, default=None
        Keys of :data:`METHODS`; None runs :data:`DEFAULT_METHODS`, the
        baselines included. The S-removed ceiling is always added.
    datasets : sequence of str, default=None
        Keys of :data:`DATASETS`; None runs them all (those whose sources
        are not cached are skipped with a note).
    n_seeds : int, default=5
        Seeds 0 to ``n_seeds - 1``.
    size : {'quick', 'default', 'full'}, default='default'
    n_jobs : int, default=None
        Cells run at once (joblib); None uses every core.
    scheduler : str, default=None
        A Dask scheduler address: the cells run on that cluster.
    data_home : str, default=None
        Where the image sources are cached.
    out : str or path-like, default=None
        Folder for ``cells.csv``, ``benchmark.csv``, ``results.json`` and
        ``benchmark.png``; written all at once or not at all.
    progress : bool, default=True
        A progress bar over the cells.

    Returns
    -------
    result : BenchmarkResult
    """
    methods = list(DEFAULT_METHODS) if methods is None else list(methods)
    datasets, notes = _available(list(DATASETS) if datasets is None else list(datasets),
                                 data_home)
    jobs = [(dataset, method, seed) for dataset in datasets
            for method in methods + [CEILING] for seed in range(n_seeds)]
    n_workers = os.cpu_count() if n_jobs is None or n_jobs < 0 else n_jobs
    threads = max(1, os.cpu_count() // max(1, n_workers)) if scheduler is None else 1
    start = time.perf_counter()
    backend = _backend(scheduler)
    with backend, tqdm(total=len(jobs), desc="benchmark", unit="cell",
                       disable=not progress) as bar:
        parallel = Parallel(n_jobs=n_workers if scheduler is None else -1,
                            return_as="generator_unordered")
        rows = []
        for cell in parallel(delayed(run_cell)(*job, size, data_home, threads)
                             for job in jobs):
            rows.extend(cell)
            bar.update()
    cells = pd.DataFrame(rows).sort_values(["dataset", "method", "row", "seed"],
                                           key=_order(datasets, methods))
    cells = cells.reset_index(drop=True)
    table = summarize(cells)
    result = BenchmarkResult(cells=cells, table=table, notes=notes,
                             seconds=time.perf_counter() - start, figure=_figure(table))
    if out is not None:
        result.files = _write(result, out, methods=methods, datasets=datasets,
                              n_seeds=n_seeds, size=size)
    return result


def _order(datasets, methods):
    ranks = {"dataset": {d: i for i, d in enumerate(datasets)},
             "method": {m: i for i, m in enumerate(methods + [CEILING])}}

    def key(column):
        if column.name in ranks:
            return column.map(ranks[column.name])
        return column

    return key


def _backend(scheduler):
    if scheduler is None:
        return contextlib.nullcontext()
    from ..parallel import dask_backend

    return dask_backend(scheduler)


def _write(result, out, **settings):
    with staged_directory(out) as staging:
        result.cells.to_csv(staging / "cells.csv", index=False)
        result.table.to_csv(staging / "benchmark.csv")
        summary = {
            "experiment": "benchmark",
            **settings,
            "seconds": result.seconds,
            "notes": result.notes,
            "table": json.loads(result.table.reset_index().to_json(orient="records")),
        }
        (staging / "results.json").write_text(json.dumps(summary, indent=2))
        result.figure.savefig(staging / "benchmark.png", dpi=120)
        names = sorted(path.name for path in staging.iterdir())
    return [Path(out) / name for name in names]
