"""``sklearn-sb benchmark``: mitigation methods under a protocol people can trust.

A cell is one method, with one hyperparameter setting, fitted on one
dataset (at one value of a swept knob) with one seed. Every selection rule
(:mod:`._selection`) then chooses among the cell's candidates (the model and
each member of an ensemble) on its own held-out rows. With ``n_hparams``
settings per method (a fixed-budget random search, the same budget for
every method, ERM included), the search runs on its own seed, each rule
picks a setting, and the chosen settings are re-run on ``n_seeds`` new
seeds. The summaries give the mean, the standard error and a bootstrap
interval over those seeds, and the paired difference with ERM.

The seeding rule: the data, the side data and the network initialization of
a cell depend on its dataset, size, knob values and seed only, never on the
method or the setting, so every method of one seed sees the same rows and
starts from the same draw.
"""

import contextlib
import importlib
import json
import os
import time
from dataclasses import dataclass, field
from numbers import Integral

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from tqdm.auto import tqdm

from ..utils._param_validation import HasMethods, Interval, Options, validate_params
from ..utils._warnings import warn
from ._benchmark_cell import CEILING, DIVERGED, run_cell, seeded, side_data_for
from ._benchmark_data import (
    _SIZE,
    DATASETS,
    KNOBS,
    SIZES,
    UAP_BUDGETS,
    BenchmarkDataset,
    BenchmarkSize,
    benchmark_data,
    benchmark_dataset,
    check_knobs,
)
from ._benchmark_summary import figure, format_table, legend, summarize, sweep_figure
from ._output import check_output_directory, write_results
from ._selection import SELECTION_RULES

__all__ = [
    "BenchmarkDataset", "BenchmarkResult", "BenchmarkSize", "CEILING", "DATASETS", "KNOBS",
    "SIZES", "UAP_BUDGETS", "benchmark_data", "benchmark_dataset", "format_table", "legend",
    "method_factory", "run_benchmark", "run_cell", "seeded", "side_data_for",
]

#: The seed of the hyperparameter search's runs; no final run uses it.
SEARCH_SEED = 10_000

# -- the methods ---------------------------------------------------------------------

ERM = "erm"
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



@dataclass
class BenchmarkResult:
    """What :func:`run_benchmark` measured.

    Parameters
    ----------
    cells : pandas.DataFrame
        One row per final run and selection rule: the candidate the rule
        chose, its validation score and its test scores.
    table : pandas.DataFrame
        Statistics over the seeds per dataset, knob value, method and rule.
    search : pandas.DataFrame, default=None
        One row per search run and rule: the setting's validation score
        (empty without a search).
    choices : pandas.DataFrame, default=None
        The setting each rule chose per dataset, knob value and method.
    budget : pandas.DataFrame, default=None
        Per dataset and method: fits and fitting time, in the search and in
        the final runs.
    notes : list of str, default=[]
        Datasets and knob values skipped, and why.
    warnings : list of str, default=[]
        Final runs whose training diverged, or whose chosen candidate's
        training accuracy is near chance (within 0.05 of the majority
        class's share).
    seconds : float, default=0.0
        Wall time of the whole benchmark.
    figures : dict of str to matplotlib.figure.Figure, default={}
        ``'benchmark.png'`` (S-randomized accuracy per rule) or, for a
        sweep, ``'sweep.png'`` (S-randomized and worst-group accuracy along
        the knob, selected by the first rule that is not an oracle).
    files : list of pathlib.Path, default=[]
    """

    cells: pd.DataFrame
    table: pd.DataFrame
    search: pd.DataFrame = None
    choices: pd.DataFrame = None
    budget: pd.DataFrame = None
    notes: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    seconds: float = 0.0
    figures: dict = field(default_factory=dict)
    files: list = field(default_factory=list)

    @property
    def figure(self):
        """The benchmark's figure: ``'benchmark.png'``, or ``'sweep.png'`` for a sweep."""
        return next(iter(self.figures.values()), None)


def _check_sweep(sweep):
    """``sweep`` as ``(knob, values)``, or None."""
    if sweep is None:
        return None
    if len(sweep) != 1:
        raise ValueError(f"A sweep varies one knob; got {sorted(sweep)}.")
    (knob, values), = sweep.items()
    values = sorted(set(float(v) if knob != "n_slabs" else int(v) for v in values))
    for value in values:
        check_knobs({knob: value})
    return knob, values


def _check_rules(rules):
    rules = list(SELECTION_RULES) if rules is None else list(rules)
    unknown = [rule for rule in rules if rule not in SELECTION_RULES]
    if unknown or not rules:
        raise ValueError(f"Unknown selection rules {unknown}; the rules are "
                         f"{list(SELECTION_RULES)}.")
    return rules


def _as_erm_notes(cells):
    """A note for each setting where a method acting on minority groups trained as ERM."""
    if "as ERM" not in cells:
        return []
    knobs = [knob for knob in KNOBS if knob in cells]
    degenerate = cells[cells["as ERM"].fillna(False).astype(bool)]
    notes = []
    for key, rows in degenerate.groupby(["dataset", *knobs], sort=False, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        setting = key[0] + "".join(f", {knob} {value}" for knob, value in zip(knobs, key[1:])
                                   if pd.notna(value))
        methods = " and ".join(dict.fromkeys(rows["method"]))
        notes.append(f"{setting}: the training rows have no minority groups (one group per "
                     f"class), so {methods} had none to act on and trained as ERM does, up "
                     "to reweighting the classes or ERM's own training errors.")
    return notes


def _points(datasets, sweep):
    """The (dataset, knobs) pairs to run, and a note for each knob that does not apply."""
    if sweep is None:
        return [(dataset, {}) for dataset in datasets], []
    knob, values = sweep
    points, notes = [], []
    for dataset in datasets:
        if KNOBS[knob].applies_to(dataset):
            points += [(dataset, {knob: value}) for value in values]
        else:
            notes.append(f"{dataset}: skipped, the knob {knob!r} does not apply to it "
                         f"(it applies to {', '.join(KNOBS[knob].datasets)}).")
    return points, notes


def _run(jobs, bar, parallel, threads, size, data_home, factories, *, search=False, **options):
    """Run ``jobs`` (dataset, knobs, method, seed, draw, rules) and collect their rows.

    The bar counts the cells done and names the cell started last.
    """
    def calls():
        for dataset, knobs, method, seed, draw, rules in jobs:
            where = ", ".join([dataset, *(f"{knob}={value}" for knob, value in knobs.items())])
            bar.set_postfix_str(f"{'search: ' if search else ''}{method} on {where}, "
                                f"{f'setting {draw}' if search else f'seed {seed}'}")
            yield delayed(run_cell)(dataset, method, seed, size, data_home, threads,
                                    factories.get(method), draw=draw, knobs=knobs, rules=rules,
                                    search=search, **options)

    rows = []
    for cell in parallel(calls()):
        rows.extend(cell)
        bar.update()
    return rows


def _choose(search, keys, rules):
    """The draw each rule chooses per key: the best validation score, ties to the first."""
    choices = {}
    for key, group in search.groupby([*keys, "rule"], sort=False, dropna=False):
        best = group.sort_values(["validation score", "draw"], ascending=[False, True])
        choices[key] = int(best["draw"].iloc[0])
    return choices


def _budget(search, cells):
    """Fits and fitting seconds per dataset and method, in the search and the final runs."""
    frames = []
    for stage, frame in (("search", search), ("final", cells)):
        if frame is None or frame.empty:
            continue
        fits = frame.drop_duplicates([c for c in frame if c in
                                      ("dataset", *KNOBS, "method", "draw", "seed")])
        frames.append(fits.groupby(["dataset", "method"], sort=False).agg(
            **{f"{stage} fits": ("seed", "size"),
               f"{stage} fit seconds": ("wall time (s)", "sum")}))
    budget = pd.concat(frames, axis=1).fillna(0)
    budget["fits"] = budget.filter(like=" fits").sum(axis=1).astype(int)
    budget["fit seconds"] = budget.filter(like="fit seconds").sum(axis=1)
    return budget


#: The most runs at once per core: more only queues processes and memory.
MAX_JOBS_PER_CORE = 4


def check_n_jobs(n_jobs):
    """Raise a ValueError unless ``n_jobs`` is None, -1 or 1 to 4 runs per core."""
    cores = os.cpu_count() or 1
    if n_jobs is not None and n_jobs != -1 and not 1 <= n_jobs <= MAX_JOBS_PER_CORE * cores:
        raise ValueError(
            f"n_jobs must be -1 (one run per core) or from 1 to {MAX_JOBS_PER_CORE * cores} "
            f"({MAX_JOBS_PER_CORE} per core of this machine's {cores}); got {n_jobs}.")


@validate_params(
    {
        "methods": [list, tuple, dict, None],
        "datasets": [list, tuple, None],
        "n_seeds": [Interval(Integral, 1, 10_000, closed="both")],
        "size": _SIZE,
        "n_hparams": [Interval(Integral, 1, 10_000, closed="both")],
        "hparam_seed": [Interval(Integral, 0, 2**32 - 1, closed="both")],
        "rules": [list, tuple, None],
        "sweep": [dict, None],
        "n_jobs": [Interval(Integral, 1, None, closed="left"), Options(Integral, {-1}), None],
        "scheduler": [str, None],
        "data_home": [str, os.PathLike, None],
        "out": [str, os.PathLike, None],
        "resume": ["boolean"],
        "command": [str, None],
        "progress": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def run_benchmark(methods=None, datasets=None, *, n_seeds=5, size="default", n_hparams=1,
                  hparam_seed=0, rules=None, sweep=None, n_jobs=None, scheduler=None,
                  data_home=None, out=None, resume=False, command=None, progress=True):
    """Score mitigation methods on the testbed's datasets, under one protocol.

    Every run fits a method on a dataset's training rows with the side data
    its ``accepted_side_data()`` names (but a labeled set it would use only
    to choose a member: choosing is the rules' job). Every selection rule
    (:data:`~sklearn_sb.experiments._selection.SELECTION_RULES`) that
    applies to the dataset then chooses among the run's candidates (the
    model and each member or head of an ensemble) on its own held-out rows.
    With ``n_hparams > 1``, a search first fits ``n_hparams`` settings of
    every method (setting 0 is the method's defaults, the others are drawn
    from its declared distributions with ``hparam_seed``) on seed
    ``SEARCH_SEED``, and each rule keeps the setting whose chosen candidate
    scores best. The final runs fit each chosen setting on seeds 0 to
    ``n_seeds - 1`` and score the candidate each rule chooses: standard,
    S-randomized and S^c-randomized accuracy and AUC, worst-group accuracy,
    expected calibration error, accuracy under a universal perturbation,
    and, on synthetic data, the randomized accuracy of every coordinate.

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
        Final runs on seeds 0 to ``n_seeds - 1``.
    size : {'quick', 'default', 'full'} or BenchmarkSize, default='default'
    n_hparams : int, default=1
        Hyperparameter settings per method; 1 runs the defaults only.
    hparam_seed : int, default=0
        The seed of the settings drawn.
    rules : sequence of str, default=None
        Selection rules; None uses every rule that applies.
    sweep : dict, default=None
        One knob of :data:`KNOBS` and its values, such as
        ``{'correlation': [0.9, 0.95, 1.0]}``: every dataset it applies to
        runs at every value.
    n_jobs : int, default=None
        Runs at once (joblib), at most ``MAX_JOBS_PER_CORE`` (4) per core;
        None or -1 uses every core.
    scheduler : str, default=None
        A Dask scheduler address: the runs go to that cluster.
    data_home : str, default=None
        Where the image sources are cached.
    out : str or path-like, default=None
        Folder for ``results.json`` (the summary, every run's rows and the
        provenance: package, git commit and machine as the run starts,
        versions, the date it ends, the command),
        ``cells.csv``, ``search.csv``, ``benchmark.csv``, ``budget.csv`` and
        the figures; written all at once or not at all.
    resume : bool, default=False
        Read the runs already in ``out``'s ``results.json`` and run only the
        missing ones (keyed by dataset, knobs, method, setting and seed),
        such as a method added since.
    command : str, default=None
        The command line recorded in the provenance; None records the
        Python call.
    progress : bool, default=True
        A progress bar over the runs, with the run last finished.

    Returns
    -------
    result : BenchmarkResult

    Examples
    --------
    >>> from sklearn_sb.experiments import run_benchmark
    >>> def wide_erm(size, dataset):
    ...     return dataset.network.set_params(module__width=200)
    >>> result = run_benchmark({"erm": "erm", "wide": wide_erm}, ["lms5"], n_seeds=2,
    ...                        size="quick", n_jobs=1, progress=False)  # doctest: +SKIP
    >>> result.table["S-randomized accuracy mean"]  # doctest: +SKIP
    """
    from ._provenance import provenance, utc_date

    # What ran is the code of the checkout as the run starts.
    record = provenance(command)
    names = _method_names(methods)
    factories = {name: method_factory(spec) for name, spec in names.items()}
    unknown = [name for name in ([] if datasets is None else datasets) if name not in DATASETS]
    if unknown:
        raise ValueError(f"Unknown benchmark datasets {unknown}; the datasets are "
                         f"{list(DATASETS)}.")
    rules, sweep = _check_rules(rules), _check_sweep(sweep)
    check_n_jobs(n_jobs)
    if out is not None:
        # Refused now rather than after the runs: their results would be lost.
        check_output_directory(out)
    size_name = size if isinstance(size, str) else size.name
    settings = {"size": size_name, "n_hparams": n_hparams, "hparam_seed": hparam_seed,
                "rules": rules}
    previous = _previous_runs(out, settings) if resume else {"cells": [], "search": []}
    datasets, notes = _available(list(DATASETS) if datasets is None else list(datasets),
                                 data_home)
    points, skipped = _points(datasets, sweep)
    notes += skipped
    n_workers = os.cpu_count() if n_jobs is None or n_jobs < 0 else n_jobs
    threads = max(1, os.cpu_count() // max(1, n_workers)) if scheduler is None else 1
    methods = list(factories)
    options = dict(n_draws=n_hparams, hparam_seed=hparam_seed)
    start = time.perf_counter()
    with _backend(scheduler), tqdm(total=0, desc="benchmark", unit="run",
                                   disable=not progress) as bar:
        parallel = Parallel(n_jobs=n_workers if scheduler is None else -1,
                            return_as="generator_unordered")
        search_jobs = [(dataset, knobs, method, SEARCH_SEED, draw, rules)
                       for dataset, knobs in points for method in methods
                       for draw in range(n_hparams)] if n_hparams > 1 else []
        search_rows, search_jobs = _reused(previous["search"], search_jobs)
        bar.total += len(search_jobs) + len(points) * len(methods) * n_seeds
        bar.refresh()
        search_rows += _run(search_jobs, bar, parallel, threads, size, data_home, factories,
                            search=True, **options)
        search = pd.DataFrame(search_rows)
        keys = ["dataset", *([sweep[0]] if sweep else []), "method"]
        choices = _choose(search, keys, rules) if n_hparams > 1 else {}
        final_jobs = []
        for dataset, knobs in points:
            for method in [*methods, CEILING]:
                key = (dataset, *knobs.values(), method)
                draws = {}
                for rule in rules:
                    draws.setdefault(choices.get((*key, rule), 0), []).append(rule)
                for seed in range(n_seeds):
                    final_jobs += [(dataset, knobs, method, seed, draw, chosen)
                                   for draw, chosen in draws.items()]
        rows, final_jobs = _reused(previous["cells"], final_jobs)
        bar.total = bar.n + len(final_jobs)
        bar.refresh()
        rows += _run(final_jobs, bar, parallel, threads, size, data_home, factories,
                     **options)
    if not search.empty:
        diverged = search[search["warning"].str.startswith(DIVERGED)].drop_duplicates(
            ["dataset", *[k for k in KNOBS if k in search], "method", "draw"])
        if len(diverged):
            notes.append(f"{len(diverged)} search runs diverged (no rule chooses them): "
                         + ", ".join(f"{m} setting {d}" for m, d in
                                     diverged[["method", "draw"]].itertuples(index=False))
                         + ".")
    cells = _ordered(pd.DataFrame(rows), datasets, methods, rules)
    notes += _as_erm_notes(cells)
    table = summarize(cells)
    warned = cells[cells["warning"] != ""]
    result = BenchmarkResult(
        cells=cells, table=table, search=search, budget=_budget(search, cells),
        choices=pd.DataFrame([(*key, draw) for key, draw in choices.items()],
                             columns=[*keys, "rule", "draw"]),
        notes=notes,
        warnings=[f"{d} / {m} ({r}), seed {s}: {w}" for d, m, r, s, w in
                  warned[["dataset", "method", "rule", "seed", "warning"]].itertuples(
                      index=False)],
        seconds=time.perf_counter() - start)
    if sweep is None:
        result.figures["benchmark.png"] = figure(table, rules)
    else:
        shown = next((rule for rule in rules if not SELECTION_RULES[rule].upper_bound),
                     rules[0])
        result.figures["sweep.png"] = sweep_figure(table, sweep[0], shown)
    if result.warnings:
        warn(f"{len(result.warnings)} chosen model(s) have a training accuracy near chance or "
             f"diverged, e.g. {result.warnings[0]}; see BenchmarkResult.warnings.")
    if out is not None:
        summary = {"experiment": "benchmark", **settings, "methods": methods,
                   "datasets": datasets, "n_seeds": n_seeds,
                   "sweep": None if sweep is None else {sweep[0]: sweep[1]},
                   "seconds": result.seconds, "notes": notes, "warnings": result.warnings,
                   "provenance": {**record, "date": utc_date()},
                   "table": _records(table.reset_index()),
                   "budget": _records(result.budget.reset_index()),
                   "cells": _records(cells), "search": _records(search)}
        result.files = write_results(
            out, summary, tables={"cells.csv": cells, "search.csv": search,
                                  "benchmark.csv": table, "budget.csv": result.budget},
            figures=result.figures, tables_without_index={"cells.csv", "search.csv"},
            dpi=120)
    return result


def _records(frame):
    """A table as JSON records (NaN written as null)."""
    return json.loads(frame.to_json(orient="records"))


def _run_key(row):
    """What identifies a run: dataset, knob values, method, setting and seed."""
    return (row["dataset"], *(row.get(knob) for knob in KNOBS), row["method"],
            int(row["draw"]), int(row["seed"]))


def _job_key(job):
    dataset, knobs, method, seed, draw, _ = job
    return (dataset, *(knobs.get(knob) for knob in KNOBS), method, draw, seed)


def _reused(previous, jobs):
    """The previous rows of the ``jobs`` already run, and the jobs left to run.

    A run gives a row for every rule it was asked for that applies to its
    data; with the same settings and rules, a run found once is complete.
    """
    done = {}
    for row in previous:
        done.setdefault(_run_key(row), []).append(row)
    rows, left = [], []
    for job in jobs:
        found = done.get(_job_key(job))
        if found is None:
            left.append(job)
        else:
            rows += [row for row in found if job[2] == CEILING or row["rule"] in job[5]]
    return rows, left


def _previous_runs(out, settings):
    """The rows of ``out``'s earlier benchmark, which must have had the same settings."""
    if out is None:
        raise ValueError("resume=True reads the runs of an earlier benchmark in out: "
                         "give out.")
    path = os.path.join(out, "results.json")
    if not os.path.exists(path):
        return {"cells": [], "search": []}
    with open(path, encoding="utf-8") as file:
        earlier = json.load(file)
    if earlier.get("experiment") != "benchmark":
        raise ValueError(f"{path} is not the output of a benchmark; cannot resume from it.")
    different = {key: (earlier.get(key), value) for key, value in settings.items()
                 if earlier.get(key) != value}
    if different:
        described = ", ".join(f"{key} {old!r} there, {new!r} now"
                              for key, (old, new) in different.items())
        raise ValueError(f"Cannot resume the benchmark in {out}: its runs had other "
                         f"settings ({described}). Use another out, or the same settings.")
    knob_names = set(KNOBS)

    def restored(row):
        # JSON has no NaN: a missing score was written as null.
        return {key: (np.nan if value is None and key not in knob_names else value)
                for key, value in row.items()}

    return {"cells": [restored(row) for row in earlier.get("cells", [])],
            "search": [restored(row) for row in earlier.get("search", [])]}


def _ordered(cells, datasets, methods, rules):
    ranks = {"dataset": {d: i for i, d in enumerate(datasets)},
             "method": {m: i for i, m in enumerate([*methods, CEILING])},
             "rule": {r: i for i, r in enumerate(["", *rules])}}

    def key(column):
        return column.map(ranks[column.name]) if column.name in ranks else column

    order = ["dataset", *[knob for knob in KNOBS if knob in cells], "method", "rule", "seed"]
    return cells.sort_values(order, key=key).reset_index(drop=True)


def _backend(scheduler):
    if scheduler is None:
        return contextlib.nullcontext()
    from ..parallel import dask_backend

    return dask_backend(scheduler)
