"""``sklearn-sb benchmark``: mitigation methods through the paper's measurements.

A cell is one method fitted on one dataset with one seed, then scored on
standard, S-randomized and S^c-randomized test rows and under a universal
perturbation of the paper's budget. Cells run in parallel with joblib (on a
Dask cluster when a scheduler is given) and are summarized as mean +- std
over the seeds, one row per method and dataset; an ensemble that selects a
member also gets a row for that member, and the S-removed ceiling (a network
trained with S removed) is a reference row.

The seeding rule: the data, the side data and the network initialization of
a cell depend on its dataset, size and seed only, never on the method, so
every method of one seed sees the same rows and starts from the same draw.
"""

import contextlib
import importlib
import json
import os
import time
import warnings
from dataclasses import dataclass, field
from functools import partial
from numbers import Integral

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.utils import Bunch
from tqdm.auto import tqdm

from ..utils._param_validation import HasMethods, Interval, StrOptions, validate_params
from ._figures import bar_figure
from ._output import write_results
from ._recipes import _MNIST_CIFAR_CNN, ATTACK_ROWS

#: The l2 budget of the universal perturbations of each benchmark dataset
#: (the paper's: LMS-5 1.0, MS-(5,7) 0.5, MNIST-CIFAR 5.0).
UAP_BUDGETS = {"lms5": 1.0, "ms57": 0.5, "noisy-lms7": 1.0, "mnist-cifar": 5.0,
               "mf-dominoes": 5.0}
DATASETS = tuple(UAP_BUDGETS)


@dataclass(frozen=True)
class BenchmarkSize:
    """Rows and epochs of a benchmark size (images use their sources' sizes).

    Parameters
    ----------
    name : {'quick', 'default', 'full'}
    n_train, n_side, n_test : int
        Synthetic rows for training, for the side data and for the test.
    n_features : int
        Dimension of the synthetic data.
    max_epochs, image_epochs : int
        Epochs of the member network on synthetic data and on images.
    n_repeats : int, default=3
        Repeats of every randomization.
    """

    name: str
    n_train: int
    n_side: int
    n_test: int
    n_features: int
    max_epochs: int
    image_epochs: int
    n_repeats: int = 3


SIZES = {
    # MS-(5,7)'s 5-slab takes about 450 SGD steps: 3,000 rows, 40 epochs.
    "quick": BenchmarkSize("quick", 3_000, 1_000, 1_000, 10, 40, 1, n_repeats=1),
    # D-BAT's second member learns the slabs of LMS-5, MS-(5,7) and noisy
    # LMS-7 from 30,000 rows in 10 dimensions within 25 epochs; in 50
    # dimensions it needs the full size (with 50,000 rows it stays on S).
    "default": BenchmarkSize("default", 30_000, 5_000, 5_000, 10, 25, 10),
    "full": BenchmarkSize("full", 100_000, 20_000, 10_000, 50, 40, 30),
}
# FCN(100, 2), SGD with momentum 0.9 at lr 0.05 (without momentum MS-(5,7)'s
# slabs stay at chance), weight decay 5e-5, batch 256, a fixed number of
# epochs: every method trains as long, so the wall times compare.
_DENSE_NETWORK = {
    "module": "fcn", "module__width": 100, "module__depth": 2, "lr": 0.05,
    "optimizer__momentum": 0.9, "optimizer__weight_decay": 5e-5, "batch_size": 256,
}


@dataclass(frozen=True)
class BenchmarkDataset:
    """One benchmark dataset at one size: what a method's benchmark factory reads.

    Parameters
    ----------
    name : str
        A name of the dataset catalog.
    eps : float
        The l2 budget of its universal perturbations.
    image_shape : tuple of int or None
        The shape of an image, None for synthetic data.
    network : SBNetClassifier
        The benchmark's member network for it: FCN(100, 2) on synthetic
        data, the small CNN on images.
    dense_network : SBNetClassifier
        The FCN(100, 2), for methods that need a fully connected network.
    """

    name: str
    eps: float
    image_shape: tuple
    network: object
    dense_network: object


def benchmark_dataset(name, size, image_shape=None):
    """The :class:`BenchmarkDataset` of ``name`` at ``size``."""
    from .._classifier import SBNetClassifier

    size = SIZES[size] if isinstance(size, str) else size
    epochs = size.max_epochs if image_shape is None else size.image_epochs
    dense = SBNetClassifier(**_DENSE_NETWORK, max_epochs=epochs)
    network = dense if image_shape is None else SBNetClassifier(
        **_MNIST_CIFAR_CNN, max_epochs=epochs, module__input_shape=tuple(image_shape))
    return BenchmarkDataset(name, UAP_BUDGETS[name], image_shape, network, clone(dense))


# -- the methods ---------------------------------------------------------------------

ERM = "erm"
CEILING = "S-removed ceiling"
#: What runs when no methods are named: the baselines and the first methods.
#: The others are named with ``--methods`` (the adversarial D-BAT searches
#: D_ood for every batch, ~8x ERM's cost; gradient diversity backpropagates
#: twice).
DEFAULT_METHODS = ("erm", "logit-ensemble", "adversarial-training", "spectral-decoupling",
                   "d-bat", "dfr")
BASELINES = ("erm", "logit-ensemble", "adversarial-training")


def available_benchmark_methods():
    """The method names the benchmark runs without an import: ERM and the registered ones.

    Returns
    -------
    names : list of str
    """
    from ..mitigation import available_methods

    return [ERM, *available_methods()]


@validate_params(
    {"method": [str, HasMethods(["fit"]), HasMethods(["apply_to"]), callable]},
    prefer_skip_nested_validation=True,
)
def method_factory(method):
    """``factory(size, dataset) -> estimator`` for a benchmark method.

    Parameters
    ----------
    method : str, estimator or callable
        ``'erm'`` (the dataset's network); a registered method name
        (:func:`~sklearn_sb.mitigation.available_methods`), whose registered
        benchmark setting is used; ``'package.module:name'``, an import path
        of any of the following; a training method, or an ensemble whose
        ``estimator`` is None, applied to the dataset's network (a class is
        constructed with its defaults first); any other
        estimator, fitted as it is; or a callable ``(size, dataset) ->
        estimator``.

    Returns
    -------
    factory : callable
    """
    from ..mitigation import TrainingMethod
    from ..mitigation._registry import method_entry

    if isinstance(method, str):
        if method == ERM:
            return lambda size, dataset: dataset.network
        if ":" in method:
            return method_factory(_imported(method))
        entry = method_entry(method)
        if entry.benchmark is not None:
            return entry.benchmark
        return lambda size, dataset: entry.make().apply_to(dataset.network)
    if isinstance(method, type):
        return method_factory(method())
    if isinstance(method, TrainingMethod) or (
            hasattr(method, "apply_to")
            and method.get_params(deep=False).get("estimator", 0) is None):
        return lambda size, dataset: method.apply_to(dataset.network)
    if hasattr(method, "fit"):
        return lambda size, dataset: method
    if callable(method):
        return method
    raise TypeError(
        f"A benchmark method is a name, an estimator, a training method or a factory "
        f"(size, dataset) -> estimator; got {method!r}."
    )


def _imported(path):
    module_name, _, attribute = path.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise ValueError(f"Cannot import the module of method {path!r}: {error}") from error
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise ValueError(f"Module {module_name!r} has no {attribute!r} (method {path!r}).") \
            from None


def seeded(model, seed):
    """``model`` with every ``random_state`` in it, nested ones too, set to ``seed``."""
    names = [name for name in model.get_params(deep=True)
             if name == "random_state" or name.endswith("__random_state")]
    return model.set_params(**dict.fromkeys(names, seed))


# -- data ---------------------------------------------------------------------------


_SIZE = [StrOptions(set(SIZES)), BenchmarkSize]


@validate_params(
    {
        "name": [StrOptions(set(DATASETS))],
        "size": _SIZE,
        "seed": [Interval(Integral, 0, 2**32 - 1, closed="both")],
        "data_home": [str, os.PathLike, None],
    },
    prefer_skip_nested_validation=True,
)
def benchmark_data(name, size, seed, data_home=None):
    """Training, side and test rows of one dataset for one seed.

    Synthetic datasets draw ``n_train + n_side`` training rows of the
    catalog dataset (with ``n_test`` test rows) and keep the last ``n_side``
    as a reserve: ``X_ood`` is the reserve with its simple block S permuted
    across rows (an oracle: it knows S), ``X_val`` the same rows with S
    permuted by another permutation, labeled (``y_val``). Image datasets
    reserve 20 % of every training source (``fetch_dominoes(holdout=0.2)``)
    and pair the reserve at random (correlation 0.5): ``X_ood`` unlabeled
    and, with its labels, ``X_val``, ``y_val``. Images must be cached: the
    benchmark never downloads.

    Parameters
    ----------
    name : str
        A benchmark dataset (:data:`DATASETS`).
    size : {'quick', 'default', 'full'} or BenchmarkSize
    seed : int
    data_home : str or path-like, default=None
        Where the image sources are cached.

    Returns
    -------
    data : Bunch
        ``name``, ``X_train``, ``y_train``, ``X_test``, ``y_test``, ``blocks`` (S and
        the rotation), ``image_shape``, ``side_data`` (the keywords a
        method's fit may take: ``X_ood``, ``X_val``, ``y_val``,
        ``simple_features``) and ``made_with`` (side information that the
        side data carries beyond its name: ``{'unlabeled_ood':
        'oracle_simple_block'}`` where ``X_ood`` was made with S).
    """
    from ..datasets import fetch_dominoes, load_dataset
    from ..datasets._catalog import available_datasets
    from ..utils._random import draw_seed
    from ..utils._randomize import randomize_validated

    size = SIZES[size] if isinstance(size, str) else size
    dominoes = available_datasets()[name].dominoes
    if dominoes is None:
        data = load_dataset(name, n_train=size.n_train + size.n_side, n_test=size.n_test,
                            n_features=size.n_features, random_state=seed)
        X_train, X_side = data.X_train[:size.n_train], data.X_train[size.n_train:]
        y_train, y_side = data.y_train[:size.n_train], data.y_train[size.n_train:]
        permuted = partial(randomize_validated, X_side, data.simple_features, data.rotation,
                           dtype=np.float32)
        rng = np.random.RandomState(draw_seed(seed))
        side = {"X_ood": permuted(rng.permutation(len(X_side))),
                "X_val": permuted(np.random.RandomState(seed).permutation(len(X_side))),
                "y_val": y_side, "simple_features": data}
        return Bunch(name=name, X_train=X_train, y_train=y_train, X_test=data.X_test,
                     y_test=data.y_test, blocks=data, image_shape=None, side_data=side,
                     made_with={"unlabeled_ood": "oracle_simple_block"})
    top, bottom, top_classes, bottom_classes = dominoes
    fetch = partial(fetch_dominoes, top, bottom, top_classes=top_classes,
                    bottom_classes=bottom_classes, holdout=0.2, data_home=data_home,
                    download_if_missing=False, random_state=seed, verbose=0)
    train, reserve, test = (fetch(), fetch(subset="holdout", correlation=0.5),
                            fetch(subset="test"))
    side = {"X_ood": reserve.data, "X_val": reserve.data, "y_val": reserve.target,
            "simple_features": train}
    return Bunch(name=name, X_train=train.data, y_train=train.target, X_test=test.data,
                 y_test=test.target, blocks=train, image_shape=train.images.shape[1:],
                 side_data=side, made_with={})


# -- one cell -----------------------------------------------------------------------

_warmed_up = False


def _warm_up():
    """Pay the one-off costs of a worker (imports, first autograd) outside the timings."""
    global _warmed_up
    if _warmed_up:
        return
    from .._classifier import SBNetClassifier
    from ..datasets import make_lms

    X, y = make_lms(64, 4, random_state=0)
    net = SBNetClassifier(module__width=4, max_epochs=1, device="cpu", random_state=0)
    _scores(net.fit(X, y), Bunch(X_train=X, y_train=y, X_test=X, y_test=y, blocks=[0]),
            seed=0, n_repeats=1, eps=0.1)
    _warmed_up = True


def _scores(model, data, seed, n_repeats, eps):
    from ..adversarial import UniversalPerturbation
    from ..inspection import randomized_scores

    table = randomized_scores(model, data.X_test, data.y_test, simple_features=data.blocks,
                              metrics=("accuracy", "roc_auc"), n_repeats=n_repeats,
                              random_state=seed)
    scores = {}
    for condition in table.index:
        scores[f"{condition} accuracy"] = float(table.loc[condition, "accuracy_mean"])
        scores[f"{condition} AUC"] = float(table.loc[condition, "roc_auc_mean"])
    uap = UniversalPerturbation(model, eps=eps, random_state=seed).fit(
        data.X_train[:ATTACK_ROWS], data.y_train[:ATTACK_ROWS])
    scores["accuracy under UAP"] = float(model.score(uap.transform(data.X_test), data.y_test))
    return scores


def _near_chance(model, data):
    """A warning when the training accuracy is within 0.05 of the majority class's share."""
    accuracy = float(model.score(data.X_train, data.y_train))
    chance = np.unique(data.y_train, return_counts=True)[1].max() / len(data.y_train)
    if accuracy < chance + 0.05:
        return accuracy, (f"training accuracy {accuracy:.3f} is near chance "
                          f"({chance:.3f}, the majority class's share)")
    return accuracy, ""


def side_data_for(model, data):
    """The side data of ``data`` that ``model``'s fit takes (its ``accepted_side_data()``)."""
    from ..mitigation._side_data import accepted_side_data

    accepted = accepted_side_data(model)
    return {name: value for name, value in data.side_data.items() if name in accepted}


def run_cell(dataset, method, seed, size, data_home=None, n_threads=None, factory=None):
    """Fit ``method`` on ``dataset`` with ``seed``: its rows of the benchmark table.

    ``factory`` is the method's ``(size, dataset) -> estimator`` (default:
    :func:`method_factory` of ``method``). The model gets every side datum
    of the dataset that its ``accepted_side_data()`` names, and every
    ``random_state`` in it is ``seed``. The wall time is that of ``fit``,
    after a one-off warm-up of the worker.

    Returns
    -------
    rows : list of dict
        One per model scored: the method's, and the selected member's for
        an ensemble that selects one but predicts with several.
    """
    import torch

    from ..mitigation import BaseNetworkEnsemble

    if n_threads is not None:
        torch.set_num_threads(n_threads)
    size = SIZES[size] if isinstance(size, str) else size
    data = benchmark_data(dataset, size, seed, data_home)
    setting = benchmark_dataset(dataset, size, data.image_shape)
    base = {"dataset": dataset, "method": method, "seed": seed}
    _warm_up()
    if method == CEILING:
        from ..inspection import s_removed_control

        start = time.perf_counter()
        result = s_removed_control(seeded(clone(setting.network), seed), data.X_train,
                                   data.y_train, data.X_test, data.y_test,
                                   simple_features=data.blocks, n_repeats=size.n_repeats,
                                   random_state=seed)
        return [{**base, "row": "S removed", "selection": "",
                 "wall time (s)": time.perf_counter() - start,
                 "side information": "oracle_simple_block", "warning": "",
                 "S^c accuracy (S removed)": result.ceiling["accuracy"],
                 "S^c AUC (S removed)": result.ceiling["roc_auc"]}]
    factory = method_factory(method) if factory is None else factory
    model = seeded(clone(factory(size, setting)), seed)
    start = time.perf_counter()
    model.fit(data.X_train, data.y_train, **side_data_for(model, data))
    seconds = time.perf_counter() - start
    used = getattr(model, "side_information_", ("none",))
    side = "+".join(data.made_with.get(info, info) for info in used)
    train_accuracy, warning = _near_chance(model, data)
    ensemble = isinstance(model, BaseNetworkEnsemble)
    rows = [{**base, "row": "model", "selection": model.selection_ if ensemble else "",
             "wall time (s)": seconds, "side information": side, "warning": warning,
             "train accuracy": train_accuracy,
             **_scores(model, data, seed, size.n_repeats, setting.eps)}]
    if ensemble and model.selected_ is not None and len(model.predicting_estimators_) > 1:
        member = model.selected_estimator_
        member_accuracy, member_warning = _near_chance(member, data)
        rows.append({**base, "row": "selected member", "selection": model.selection_,
                     "wall time (s)": seconds, "side information": side,
                     "warning": member_warning, "train accuracy": member_accuracy,
                     **_scores(member, data, seed, size.n_repeats, setting.eps)})
    return rows


# -- the whole benchmark -----------------------------------------------------------------


@dataclass
class BenchmarkResult:
    """What :func:`run_benchmark` measured.

    Parameters
    ----------
    cells : pandas.DataFrame
        One row per model scored per seed.
    table : pandas.DataFrame
        Mean and std over the seeds, per dataset, method and row.
    notes : list of str, default=[]
        Datasets skipped, and why.
    warnings : list of str, default=[]
        Cells whose training accuracy is near chance (within 0.05 of the
        majority class's share): a model that did not learn at this size,
        or a method whose fit leaves the training distribution.
    seconds : float, default=0.0
        Wall time of the whole benchmark.
    figure : matplotlib.figure.Figure, default=None
        S-randomized accuracy per method and dataset.
    files : list of pathlib.Path, default=[]
    """

    cells: pd.DataFrame
    table: pd.DataFrame
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    seconds: float = 0.0
    figure: object = None
    files: list = field(default_factory=list)


def _available(datasets, data_home):
    """The datasets whose data can be read, and a note for each skipped one."""
    from ..datasets._catalog import available_datasets
    from ..datasets._sources import is_cached

    usable, notes = [], []
    for name in datasets:
        dominoes = available_datasets()[name].dominoes or ()
        missing = [key for key in dominoes[:2] if not is_cached(key, data_home)]
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
    texts = ["seed", "side information", "selection", "warning"]
    grouped = cells.groupby(keys, sort=False)
    numeric = cells.drop(columns=texts).groupby(keys, sort=False)
    table = numeric.mean().add_suffix(" mean").join(numeric.std(ddof=0).add_suffix(" std"))
    table["side information"] = grouped["side information"].first()
    table["selection"] = grouped["selection"].first()
    table["seeds"] = grouped["seed"].nunique()
    table["seeds near chance"] = grouped["warning"].agg(lambda w: int((w != "").sum()))
    return table


_PRINTED = {
    "standard accuracy": "acc.",
    "S-randomized accuracy": "S-rand.",
    "S^c-randomized accuracy": "S^c-rand.",
    "accuracy under UAP": "UAP acc.",
    "S^c accuracy (S removed)": "S removed",
    "wall time (s)": "wall s",
}
#: Short names of the side information in the printed table.
SIDE_CODES = {"none": "-", "unlabeled_ood": "U", "oracle_simple_block": "O",
              "labeled_ood_selection": "Ls", "labeled_decorrelated_fit": "Lf"}


def format_table(table):
    """The summary as 'mean+-std' texts, accuracies only, for a 120-column terminal.

    The full table, AUCs included, is ``table`` (and ``benchmark.csv``).
    A selected member is listed under its method's row; the side
    information is abbreviated as in :data:`SIDE_CODES`; ``!`` marks a row
    with seeds whose model stayed near chance in training.
    """
    frame = table.reset_index()
    models = [method if row != "selected member" else "  selected member"
              for method, row in zip(frame["method"], frame["row"])]
    columns = {"dataset": frame["dataset"], "model": models}
    for score, title in _PRINTED.items():
        mean, std = frame[f"{score} mean"], frame[f"{score} std"]
        digits = 1 if score.startswith("wall") else 3
        columns[title] = ["" if np.isnan(m) else f"{m:.{digits}f}+-{s:.{digits}f}"
                          for m, s in zip(mean, std)]
    columns["side"] = ["+".join(SIDE_CODES.get(info, info) for info in side.split("+"))
                       for side in frame["side information"]]
    columns[""] = np.where(frame["seeds near chance"] > 0, "!", "")
    printed = pd.DataFrame(columns).set_index(["dataset", "model"])
    return printed


def legend():
    """The lines printed under :func:`format_table`'s table."""
    codes = ", ".join(f"{code} {name}" for name, code in SIDE_CODES.items())
    return [f"side information: {codes}.",
            "! training accuracy near chance for some seeds (see 'warning' in cells.csv)."]


def _figure(table):
    column = "S-randomized accuracy"
    # Every model and every selected member, in the table's order (the
    # ceiling has no S-randomized accuracy).
    scored = table[table[f"{column} mean"].notna()].reset_index()
    scored["model"] = [method if row == "model" else f"{method}\n(selected member)"
                       for method, row in zip(scored["method"], scored["row"])]
    order = list(dict.fromkeys(scored["model"]))
    datasets = list(dict.fromkeys(scored["dataset"]))
    means = scored.pivot(index="model", columns="dataset", values=f"{column} mean")
    errors = scored.pivot(index="model", columns="dataset", values=f"{column} std")
    return bar_figure(
        means.loc[order, datasets], errors.loc[order, datasets],
        ylabel="S-randomized accuracy", ylim=(0.3, 1.02), reference=0.5, rotation=30,
        xlabel="",
        title="Accuracy with the simple block S randomized (mean +- std over seeds)",
        figsize=(max(8, 1.1 * len(order)), 4.2), legend_loc="upper left",
    )


def _method_names(methods):
    """``{name: spec}`` from a sequence of names or a mapping."""
    if methods is None:
        return {name: name for name in DEFAULT_METHODS}
    if isinstance(methods, dict):
        return dict(methods)
    return {(spec if isinstance(spec, str) else _name_of(spec)): spec for spec in methods}


def _name_of(spec):
    return type(spec).__name__ if hasattr(spec, "fit") or hasattr(spec, "apply_to") \
        else getattr(spec, "__name__", repr(spec))


@validate_params(
    {
        "methods": [list, tuple, dict, None],
        "datasets": [list, tuple, None],
        "n_seeds": [Interval(Integral, 1, None, closed="left")],
        "size": _SIZE,
        "n_jobs": [Integral, None],
        "scheduler": [str, None],
        "data_home": [str, os.PathLike, None],
        "out": [str, os.PathLike, None],
        "progress": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def run_benchmark(methods=None, datasets=None, *, n_seeds=5, size="default", n_jobs=None,
                  scheduler=None, data_home=None, out=None, progress=True):
    """Score mitigation methods on the testbed's datasets, under the same seeding rule.

    Every cell (method, dataset, seed) fits the method on the dataset's
    training rows with the side data its ``accepted_side_data()`` names,
    then scores it on standard, S-randomized and S^c-randomized test rows
    (accuracy and AUC) and under a universal perturbation. The data, side
    data and network initialization of a cell depend on its dataset, size
    and seed only (see :func:`benchmark_data`), so a method that trains as
    ERM does reproduces ERM's cells exactly.

    Read more in the :ref:`User Guide <benchmark>`.

    Parameters
    ----------
    methods : sequence or dict, default=None
        The methods, each a name, estimator, training method or factory
        ``(size, dataset) -> estimator`` as :func:`method_factory` takes
        them; a dict names them (``{'mine': factory}``), a sequence names
        strings by themselves and objects by their class or function name.
        None runs :data:`DEFAULT_METHODS`, the baselines included. The
        S-removed ceiling is always added.
    datasets : sequence of str, default=None
        Names of :data:`DATASETS`; None runs them all (those whose sources
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
        A progress bar over the cells, with the cell last finished.

    Returns
    -------
    result : BenchmarkResult

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier
    >>> from sklearn_sb.experiments import run_benchmark
    >>> def wide_erm(size, dataset):
    ...     return dataset.network.set_params(module__width=200)
    >>> result = run_benchmark({"erm": "erm", "wide": wide_erm}, ["lms5"], n_seeds=1,
    ...                        size="quick", n_jobs=1, progress=False)  # doctest: +SKIP
    >>> result.table["S-randomized accuracy mean"]  # doctest: +SKIP
    """
    names = _method_names(methods)
    factories = {name: method_factory(spec) for name, spec in names.items()}
    unknown = [name for name in ([] if datasets is None else datasets) if name not in DATASETS]
    if unknown:
        raise ValueError(f"Unknown benchmark datasets {unknown}; the datasets are "
                         f"{list(DATASETS)}.")
    datasets, notes = _available(list(DATASETS) if datasets is None else list(datasets),
                                 data_home)
    jobs = [(dataset, method, seed) for dataset in datasets
            for method in [*factories, CEILING] for seed in range(n_seeds)]
    n_workers = os.cpu_count() if n_jobs is None or n_jobs < 0 else n_jobs
    threads = max(1, os.cpu_count() // max(1, n_workers)) if scheduler is None else 1
    start = time.perf_counter()
    with _backend(scheduler), tqdm(total=len(jobs), desc="benchmark", unit="cell",
                                   disable=not progress) as bar:
        parallel = Parallel(n_jobs=n_workers if scheduler is None else -1,
                            return_as="generator_unordered")
        rows = []
        for cell in parallel(delayed(run_cell)(dataset, method, seed, size, data_home, threads,
                                               factories.get(method))
                             for dataset, method, seed in jobs):
            rows.extend(cell)
            bar.set_postfix_str(f"{cell[0]['method']} on {cell[0]['dataset']}, "
                                f"seed {cell[0]['seed']}")
            bar.update()
    cells = pd.DataFrame(rows).sort_values(["dataset", "method", "row", "seed"],
                                           key=_order(datasets, list(factories)))
    cells = cells.reset_index(drop=True)
    table = summarize(cells)
    warned = cells[cells["warning"] != ""]
    result = BenchmarkResult(
        cells=cells, table=table, notes=notes,
        warnings=[f"{d} / {m} ({r}), seed {s}: {w}" for d, m, r, s, w in
                  warned[["dataset", "method", "row", "seed", "warning"]].itertuples(index=False)],
        seconds=time.perf_counter() - start, figure=_figure(table))
    if result.warnings:
        warnings.warn(
            f"{len(result.warnings)} cell(s) have a training accuracy near chance, e.g. "
            f"{result.warnings[0]}; see BenchmarkResult.warnings.", UserWarning, stacklevel=3)
    if out is not None:
        summary = {"experiment": "benchmark", "methods": list(factories),
                   "datasets": datasets, "n_seeds": n_seeds,
                   "size": size if isinstance(size, str) else size.name,
                   "seconds": result.seconds, "notes": notes, "warnings": result.warnings,
                   "table": json.loads(table.reset_index().to_json(orient="records"))}
        result.files = write_results(
            out, summary, tables={"cells.csv": cells, "benchmark.csv": table},
            figures={"benchmark.png": result.figure}, tables_without_index={"cells.csv"},
            dpi=120)
    return result


def _order(datasets, methods):
    ranks = {"dataset": {d: i for i, d in enumerate(datasets)},
             "method": {m: i for i, m in enumerate([*methods, CEILING])},
             "row": {"model": 0, "selected member": 1, "S removed": 2}}

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
