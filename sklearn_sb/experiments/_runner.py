"""Run a recipe: its options at a size, data, steps, the table beside the paper, files."""

import json
import math
import os
import time
from dataclasses import MISSING, dataclass, fields
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.utils import Bunch
from tqdm.auto import tqdm

from ..datasets._catalog import available_datasets, load_dataset
from ..utils._param_validation import (
    Interval,
    RegisteredName,
    StrOptions,
    TorchDevice,
    validate_params,
)
from ..utils._text import counted
from ._output import check_output_directory, write_results
from ._recipes import RECIPES
from ._steps import STEPS

SIZES = ("quick", "default", "full")
#: The options of a recipe that are not a step's (see :class:`RecipeOptions`).
RUN_OPTIONS = ("method", "model", "n_features", "sizes")


@dataclass(frozen=True)
class RecipeOptions:
    """A recipe's options at one size, checked, with the size's overrides merged in.

    Parameters
    ----------
    steps : dict of str to dataclass
        Each step's options, an instance of ``STEPS[step].options``.
    method : dict
        The training method's parameters.
    model : dict
        Network parameters over the recipe's ``model``.
    n_features : int
        Input dimension of synthetic data.
    sizes : dict
        ``{dataset: (n_train, n_test)}`` for the datasets read at sizes of
        their own.
    """

    steps: dict
    method: dict
    model: dict
    n_features: int
    sizes: dict


def resolve_options(name, recipe, size):
    """The options of recipe ``name`` at ``size``.

    The recipe's options are checked at every size, so that a misspelled
    option fails every run, not only runs of the size it is given for.

    Parameters
    ----------
    name : str
        The recipe's name, for the errors.
    recipe : Recipe
    size : str
        A key of ``recipe.sizes``.

    Returns
    -------
    options : RecipeOptions

    Raises
    ------
    TypeError
        When an option is one that neither a step of the recipe nor the run
        reads, or when a step's option without a default is not given.
    ValueError
        When the recipe names an unknown step, trains a network it does not
        describe, or has no such size.
    """
    _check_steps(name, recipe)
    _check_option_names(name, recipe)
    if size not in recipe.sizes:
        raise ValueError(f"The recipe {name!r} has no size {size!r}; its sizes are "
                         f"{list(recipe.sizes)}.")
    resolved = {at: _merged_options(name, recipe, at) for at in recipe.sizes}
    return resolved[size]


def describe_sizes(name, size):
    """The rows that recipe ``name`` trains and tests on at ``size``, and its budget, in words.

    The rows, then the epochs, the network where the size names its own and
    what a step adds (its options' ``describe_budget()``, a search's size).
    A step that draws its own data says what it uses and its budget (its
    options' ``describe_run()``); datasets read at sizes of their own follow
    the recipe's sizes in parentheses.

    Parameters
    ----------
    name : str
        A key of ``RECIPES``.
    size : str
        A key of the recipe's ``sizes``.

    Returns
    -------
    text : str
        Such as ``'4,000 train / 1,000 test, 5 epochs'``.
    """
    recipe = RECIPES[name]
    options = resolve_options(name, recipe, size)
    for step_options in options.steps.values():
        if hasattr(step_options, "describe_run"):
            return step_options.describe_run()
    n_train, n_test = recipe.sizes[size]
    others = ", ".join(f"{dataset}: {n:,} / {m:,}" for dataset, (n, m) in options.sizes.items())
    parts = [f"{n_train:,} train / {n_test:,} test" + (f" ({others})" if others else "")]
    if recipe.max_epochs is not None:
        parts.append(counted(recipe.max_epochs[size], "epoch"))
    if "module" in options.model:
        parts.append(options.model["module"])
    parts += [step_options.describe_budget() for step_options in options.steps.values()
              if hasattr(step_options, "describe_budget")]
    return ", ".join(parts)


def _check_steps(name, recipe):
    unknown = [step for step in recipe.steps if step not in STEPS]
    if unknown:
        raise ValueError(f"The recipe {name!r} names unknown steps {unknown}; the steps are "
                         f"{list(STEPS)}.")
    training = [step for step in recipe.steps if STEPS[step].trains_network]
    if training and (recipe.model is None or recipe.max_epochs is None):
        raise ValueError(f"The recipe {name!r} gives no model and max_epochs, but its steps "
                         f"{training} train its network.")


def _check_option_names(name, recipe):
    """Raise a TypeError for an option that nothing would read, saying where it is."""
    # A recipe without a method or a network has no parameters to give them.
    absent = {"method": recipe.method is None, "model": recipe.model is None}
    run_options = [key for key in RUN_OPTIONS if not absent.get(key)]
    levels = {"options": recipe.options,
              **{f"options[{size!r}]": recipe.options[size]
                 for size in SIZES if size in recipe.options}}
    for where, level in levels.items():
        for key, value in level.items():
            if key in recipe.steps:
                known = [field.name for field in fields(STEPS[key].options)]
                unknown = sorted(set(value) - set(known))
                if unknown:
                    raise TypeError(
                        f"The recipe {name!r} gives its step {key!r} unknown options "
                        f"{unknown} in {where}; the step's options are "
                        f"{', '.join(known) or 'none'}.")
            elif key not in run_options and not (where == "options" and key in SIZES):
                raise TypeError(
                    f"The recipe {name!r} has an unknown option {key!r} in {where}; its "
                    f"options are its steps' ({', '.join(recipe.steps)}), "
                    f"{', '.join(run_options)}, and per-size overrides of these under "
                    f"{', '.join(map(repr, SIZES))}.")


def _merged_options(name, recipe, size):
    """The options at ``size``: its overrides replace the fields (or keys) they name."""
    options = {key: value for key, value in recipe.options.items() if key not in SIZES}
    for key, value in recipe.options.get(size, {}).items():
        options[key] = {**options.get(key, {}), **value} if isinstance(value, dict) else value
    return RecipeOptions(
        steps={step: _step_options(name, step, options.get(step, {}), size)
               for step in recipe.steps},
        method=options.get("method", {}),
        model=options.get("model", {}),
        n_features=options.get("n_features", recipe.n_features),
        sizes=options.get("sizes", {}),
    )


def _step_options(name, step, values, size):
    options_class = STEPS[step].options
    missing = [field.name for field in fields(options_class)
               if field.default is MISSING and field.default_factory is MISSING
               and field.name not in values]
    if missing:
        raise TypeError(f"The recipe {name!r} does not give its step {step!r} the options "
                        f"{missing} at size {size!r}.")
    return options_class(**values)


class Run:
    """The state an experiment's steps share and fill in."""

    def __init__(self, name, recipe, size, seed, device, scheduler, progress, data_home,
                 download_if_missing, dataset=None):
        self.name = name
        self.recipe = recipe
        self.dataset = recipe.dataset if dataset is None else dataset
        self.size = size
        self.seed = seed
        self.scheduler = scheduler
        self.progress = progress
        self.data_home = data_home
        self.download_if_missing = download_if_missing
        self.options = resolve_options(name, recipe, size)
        # None when no step trains the recipe's network.
        self.model_params = None if recipe.model is None else {
            **recipe.model,
            **self.options.model,
            "max_epochs": recipe.max_epochs[size],
            "random_state": seed,
            "device": device,
        }
        self.results = {}
        self.paper = dict(recipe.paper)
        self.tables = {}
        self.figures = {}
        self.notes = []
        self._loaded = {}

    def record(self, metric, value, paper=None):
        """Store one result; ``paper`` overrides the recipe's published value."""
        self.results[metric] = value.item() if isinstance(value, np.generic) else value
        if paper is not None:
            self.paper[metric] = paper

    def load(self, name, *, download_if_missing=None):
        """Catalog dataset ``name`` at this run's size and seed, read once."""
        if name not in self._loaded:
            self._loaded[name] = self.read(name, download_if_missing=download_if_missing)
        return self._loaded[name]

    def read(self, name, *, n_features=None, download_if_missing=None):
        """Catalog dataset ``name`` at this run's size and seed, read afresh.

        Sizes come from the ``'sizes'`` option (``{name: (n_train, n_test)}``)
        when it names the dataset, else from the recipe; ``n_features``
        (synthetic data) from the argument, the option or the recipe;
        ``download_if_missing`` from the argument or the run.
        """
        n_train, n_test = self.options.sizes.get(name, self.recipe.sizes[self.size])
        if n_features is None:
            n_features = self.options.n_features
        if download_if_missing is None:
            download_if_missing = self.download_if_missing
        return load_dataset(
            name, n_train=n_train, n_test=n_test, n_features=n_features,
            random_state=self.seed, data_home=self.data_home,
            download_if_missing=download_if_missing, verbose=int(self.progress),
        )

    def datasets(self, names):
        """``(name, data)`` for each dataset of ``names`` that can be read.

        A run given its own dataset (``run_experiment(dataset=...)``) uses
        that one instead of ``names``. The run's dataset always loads; any
        other that would need a download is used only when it is already
        cached, otherwise a note says it was skipped and how to get it.
        """
        if self.dataset != self.recipe.dataset:
            names = [self.dataset]
        for name in names:
            optional = name != self.dataset and available_datasets()[name].needs_download
            try:
                data = self.load(name, download_if_missing=False if optional else None)
            except OSError as error:
                if not optional:
                    raise
                self.notes.append(f"{name}: skipped, as it would need a download: {error}")
                continue
            yield name, data

    def paper_value(self, metric):
        if metric in self.paper:
            return self.paper[metric]
        return self.paper.get(metric.split(" (")[0], "")


def _load_data(run):
    run.data = run.load(run.dataset)
    measured = [step for step in run.recipe.steps if STEPS[step].needs_blocks]
    blockless = sorted(step for step, entry in STEPS.items() if not entry.needs_blocks)
    if len(run.data.simple_features) == 0 and measured:
        raise ValueError(
            f"{run.dataset} has no block of columns for S (its simple feature is not a "
            f"set of pixels: see `sklearn-sb describe {run.dataset}`), but the recipe "
            f"{run.name!r} measures S with its steps {measured}. Use it with a recipe "
            f"whose steps are among {blockless}, such as cmnist-sd."
        )
    run.X_train, run.X_test = run.data.X_train, run.data.X_test
    run.y_train, run.y_test = run.data.y_train, run.data.y_test


@validate_params(
    {
        "name": [RegisteredName(lambda: RECIPES)],
        "dataset": [RegisteredName(lambda: available_datasets()), None],
        "size": [StrOptions(set(SIZES))],
        "seed": [Interval(Integral, 0, 2**32 - 1, closed="both")],
        "device": [StrOptions({"auto"}), TorchDevice()],
        "out": [str, os.PathLike, None],
        "scheduler": [str, None],
        "data_home": [str, os.PathLike, None],
        "download_if_missing": ["boolean"],
        "progress": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def run_experiment(name, *, dataset=None, size="default", seed=0, device="auto", out=None,
                   scheduler=None, data_home=None, download_if_missing=True, progress=True):
    """Reproduce one of the paper's experiments.

    Parameters
    ----------
    name : str
        A key of ``RECIPES`` (``sklearn-sb list`` shows them).
    dataset : str, default=None
        Run the recipe on this catalog dataset
        (:func:`~sklearn_sb.datasets.available_datasets`) instead of its own
        (or instead of all of them, for a recipe over several), at the
        recipe's sizes unless its ``'sizes'`` option names the dataset.
    size : {'quick', 'default', 'full'}, default='default'
        'quick' is a seconds-long smoke run, 'default' fits a 2-core CPU in
        a few minutes, 'full' uses the paper's sizes (meant for a GPU).
    seed : int in [0, 2**32 - 1], default=0
        Seeds the data, the networks and the measurements.
    device : {'auto', 'cpu', 'cuda'}, default='auto'
    out : str or path, default=None
        Directory for ``results.csv``, ``results.json`` and the PNG figures;
        None writes nothing. It must be new, empty or hold earlier results,
        which the new ones replace as a whole once they are all written: an
        error or an interrupt leaves the earlier results in place.
    scheduler : str, default=None
        A Dask scheduler address: grid searches run on that cluster.
    data_home : str, default=None
        Where ``fetch_mnist_cifar`` keeps its data.
    download_if_missing : bool, default=True
        Let ``fetch_mnist_cifar`` download MNIST and CIFAR-10 when needed.
    progress : bool, default=True
        Show progress bars.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``table`` (ours beside the paper), ``tables`` (extra tables such as
        Table 2), ``results``, ``notes`` (lines such as a skipped dataset),
        ``seconds``, ``files`` and ``figures``.

    Examples
    --------
    >>> from sklearn_sb.experiments import run_experiment
    >>> result = run_experiment("theorem1", size="quick", progress=False)
    >>> result.results["linear / slab weight ratio"] > 5
    True
    """
    if out is not None:
        check_output_directory(out)
    recipe = RECIPES[name]
    run = Run(name, recipe, size, seed, device, scheduler, progress, data_home,
              download_if_missing, dataset)
    start = time.perf_counter()
    stages = [("data", _load_data)] + [
        (step, lambda run, step=step: STEPS[step].function(run, run.options.steps[step]))
        for step in recipe.steps
    ]
    with tqdm(stages, desc=name, unit="step", disable=not progress, leave=False) as bar:
        for stage, action in bar:
            bar.set_postfix_str(stage)
            action(run)
    seconds = time.perf_counter() - start
    table = pd.DataFrame(
        # Object dtype keeps counts as integers beside the float scores.
        {"ours": pd.Series(list(run.results.values()), dtype=object, index=list(run.results)),
         "paper": [run.paper_value(m) for m in run.results]},
        index=pd.Index(list(run.results), name="metric"),
    )
    files = _write(run, table, seconds, out) if out is not None else []
    return Bunch(table=table, tables=run.tables, results=run.results, notes=run.notes,
                 seconds=seconds, files=files, figures=run.figures)


def _write(run, table, seconds, out):
    tables = {"results.csv": table, **{f"{name}.csv": extra for name, extra in run.tables.items()}}
    return write_results(out, _summary(run, seconds), tables, run.figures)


def _summary(run, seconds):
    """The run as ``results.json`` records it."""
    return {
        "experiment": run.name,
        "description": run.recipe.description,
        "dataset": run.dataset,
        "size": run.size,
        "n_train": len(run.y_train),
        "n_test": len(run.y_test),
        "seed": run.seed,
        "model": None if run.model_params is None else {
            key: _jsonable(value) for key, value in run.model_params.items()},
        "method": None if run.recipe.method is None else {
            "name": _jsonable(run.recipe.method),
            "params": {key: _jsonable(v) for key, v in run.options.method.items()},
        },
        "seconds": seconds,
        "results": {key: _jsonable(value) for key, value in run.results.items()},
        "paper": {key: run.paper_value(key) for key in run.results},
        "tables": {name: json.loads(t.to_json(orient="index")) for name, t in run.tables.items()},
        "notes": run.notes,
    }


def _jsonable(value):
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return repr(value)
