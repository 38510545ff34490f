"""The ``sklearn-sb`` command line."""

import argparse
import shlex
import sys
from pathlib import Path

import numpy as np


def _best_threshold_accuracy(z, y, chunk=256):
    """Accuracy of the best rule ``z > t`` or ``z <= t``, per column of ``z``.

    Columns go by chunks, which bounds the temporaries for image data.
    """
    return np.concatenate([
        _threshold_accuracy(z[:, start:start + chunk], y)
        for start in range(0, z.shape[1], chunk)
    ])


def _threshold_accuracy(z, y):
    order = np.argsort(z, axis=0, kind="stable")
    z_sorted = np.take_along_axis(z, order, axis=0)
    y_sorted = y[order]
    n = len(y)
    # Predicting 1 above the cut: errors are the positives at or below it
    # plus the negatives above it.
    positives_below = np.vstack([np.zeros(z.shape[1]), np.cumsum(y_sorted, axis=0)])
    cut = np.arange(n + 1)[:, None]
    negatives_above = (n - y.sum()) - (cut - positives_below)
    errors = positives_below + negatives_above
    # A threshold cannot cut between equal values (pixels have many).
    ends = np.zeros((1, z.shape[1]), dtype=bool)
    ties = np.vstack([ends, z_sorted[1:] == z_sorted[:-1], ends])
    low = np.where(ties, n, errors).min(axis=0)
    high = np.where(ties, 0, errors).max(axis=0)
    return np.maximum(1 - low / n, high / n)


def _describe(args):
    import pandas as pd

    from .datasets._catalog import load_dataset

    try:
        data = load_dataset(
            args.dataset, n_train=args.n_samples, n_test=0, n_features=args.n_features,
            random_state=args.seed, data_home=args.data_home,
            download_if_missing=not args.no_download, verbose=1,
        )
    except OSError as error:
        print(f"sklearn-sb describe {args.dataset}: {error}", file=sys.stderr)
        return 1
    X, y, rotation = data.X_train, data.y_train, data.rotation
    Z = X if rotation is None else X @ rotation.T
    accuracy = _best_threshold_accuracy(Z, y)
    role = np.where(np.isin(np.arange(Z.shape[1]), data.simple_features), "S", "S^c")
    table = pd.DataFrame(
        {
            "block": role,
            "kind": data.feature_info,
            "min": Z.min(axis=0),
            "max": Z.max(axis=0),
            "best threshold accuracy": accuracy,
        }
    )
    summary = table.groupby(["block", "kind"], sort=False).agg(
        coordinates=("kind", "size"),
        min=("min", "min"),
        max=("max", "max"),
        **{
            "threshold acc (mean)": ("best threshold accuracy", "mean"),
            "threshold acc (max)": ("best threshold accuracy", "max"),
        },
    )
    n_positive = int(y.sum())
    print(f"{args.dataset}: {data.description}")
    print(
        f"X: {X.shape[0]} samples x {X.shape[1]} features, "
        f"{X.dtype}; classes: {len(y) - n_positive} negative, "
        f"{n_positive} positive"
    )
    if rotation is None:
        print("rotation: none")
        print("\nCoordinates (Z = X), by block:")
    else:
        orthogonality = np.abs(rotation @ rotation.T - np.eye(Z.shape[1])).max()
        print(f"rotation: Haar-random, max |R R^T - I| = {orthogonality:.1e}")
        print("\nUnrotated coordinates (Z = X @ rotation.T), by block:")
    print(summary.to_string(float_format=lambda v: f"{v:.3f}"))
    separable = table.loc[table["best threshold accuracy"] > 0.99, "block"].unique()
    print(
        "\nA single threshold separates the classes on: "
        f"{', '.join(separable) if len(separable) else 'no block'}."
    )
    return 0


def _list(args):
    import textwrap

    from .datasets._catalog import available_datasets
    from .experiments import RECIPES
    from .experiments._runner import SIZES, describe_sizes

    width = max(map(len, RECIPES))
    indent = " " * (width + 4)
    print("Experiments of 'The Pitfalls of Simplicity Bias in Neural Networks':\n")
    for name, recipe in RECIPES.items():
        print(textwrap.fill(recipe.description, 119, initial_indent=f"  {name:<{width}}  ",
                            subsequent_indent=indent))
        # The sizes, apart by semicolons, wrapped between sizes to stay under
        # 120 characters.
        lines = [[]]
        for part in (f"{size}: {describe_sizes(name, size)}" for size in SIZES):
            if lines[-1] and len(indent + "; ".join(lines[-1] + [part]) + ";") >= 120:
                lines.append([])
            lines[-1].append(part)
        print(";\n".join(indent + "; ".join(line) for line in lines))
    print("\nRun one with: sklearn-sb reproduce NAME [--quick | --full] [--out DIR]")
    datasets = available_datasets()
    width = max(map(len, datasets))
    print("\nDatasets:\n")
    for name, entry in datasets.items():
        download = " (downloaded on first use)" if entry.needs_download else ""
        print(textwrap.fill(f"{entry.description}{download}", 119,
                            initial_indent=f"  {name:<{width}}  ",
                            subsequent_indent=" " * (width + 4)))
    print("\nSummarize one with: sklearn-sb describe NAME [--n-samples N]")
    _list_benchmark()
    return 0


def _list_benchmark():
    import textwrap

    from .experiments._benchmark import (
        DATASETS,
        DEFAULT_METHODS,
        SIZES,
        available_benchmark_methods,
    )

    print("\nThe mitigation benchmark (sklearn-sb benchmark):\n")
    methods = [f"{name}*" if name in DEFAULT_METHODS else name
               for name in available_benchmark_methods()]
    print(textwrap.fill("methods: " + ", ".join(methods) + " (* run by default)", 117,
                        initial_indent="  ", subsequent_indent="    "))
    print(textwrap.fill("datasets: " + ", ".join(DATASETS), 117, initial_indent="  ",
                        subsequent_indent="    "))
    for size in SIZES.values():
        print(f"  {size.name}: {size.n_train:,} train / {size.n_side:,} side / "
              f"{size.n_test:,} test rows in {size.n_features} dimensions, "
              f"{size.max_epochs} epochs (images: {size.image_epochs})")
    from .experiments._benchmark import KNOBS
    from .experiments._selection import SELECTION_RULES

    print(textwrap.fill("selection rules: " + ", ".join(SELECTION_RULES)
                        + " (the oracle is an upper bound)", 117, initial_indent="  ",
                        subsequent_indent="    "))
    print(textwrap.fill("sweep knobs: " + ", ".join(KNOBS), 117, initial_indent="  ",
                        subsequent_indent="    "))
    print("\nRun it with: sklearn-sb benchmark [--methods M ...] [--import MODULE] "
          "[--quick | --full]\n                                 [--n-hparams N] "
          "[--sweep KNOB=V1,V2,...] [--resume]")


def _reproduce(args):
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from .experiments import RECIPES, run_experiment

    size = "quick" if args.quick else "full" if args.full else "default"
    out = args.out
    print(f"{args.experiment}: {RECIPES[args.experiment].description} ({size} size, "
          f"seed {args.seed}, device {args.device})", flush=True)
    try:
        result = run_experiment(
            args.experiment, dataset=args.dataset, size=size, seed=args.seed,
            device=args.device, out=out,
            scheduler=args.scheduler, data_home=args.data_home,
            download_if_missing=not args.no_download, progress=not args.no_progress,
        )
    except OSError as error:
        print(f"sklearn-sb reproduce {args.experiment}: {error}", file=sys.stderr)
        return 1
    with pd.option_context("display.float_format", _format_number, "display.width", 120):
        print()
        print(result.table.assign(ours=result.table["ours"].map(_format_result)).to_string())
        for name, table in result.tables.items():
            print(f"\n{name}:")
            print(table.to_string())
    for note in result.notes:
        print(f"\nnote: {note}")
    print(f"\n{result.seconds:.1f} s. Wrote {len(result.files)} files to {out}/: "
          f"{', '.join(f.name for f in result.files)}")
    return 0


def _benchmark(args):
    import matplotlib

    matplotlib.use("Agg")

    from .experiments._benchmark import format_table, legend, run_benchmark

    size = "quick" if args.quick else "full" if args.full else "default"
    result = run_benchmark(
        args.methods, args.datasets, n_seeds=args.seeds, size=size, n_hparams=args.n_hparams,
        hparam_seed=args.hparam_seed, rules=args.rules, sweep=args.sweep,
        n_jobs=args.n_jobs, scheduler=args.scheduler, data_home=args.data_home,
        out=args.out, resume=args.resume, command=shlex.join(["sklearn-sb", *args.argv]),
        progress=not args.no_progress,
    )
    print(format_table(result.table).to_string())
    print("\n".join(legend()))
    for note in result.notes:
        print(f"\nnote: {note}")
    budget = result.budget
    print(f"\n{budget['fits'].sum()} fits ({args.n_hparams} setting(s) per method, "
          f"{args.seeds} seed(s)), {size} size, {result.seconds:.1f} s. "
          f"Wrote {len(result.files)} files to {args.out}/: "
          f"{', '.join(f.name for f in result.files)}")
    return 0


def _sweep(text):
    """``knob=v1,v2,...`` as ``{knob: [values]}``."""
    from .experiments._benchmark import KNOBS

    knob, _, values = text.partition("=")
    if knob not in KNOBS or not values:
        raise argparse.ArgumentTypeError(
            f"expected KNOB=V1,V2,... with a knob of {', '.join(KNOBS)}; got {text!r}")
    try:
        parsed = [int(v) if knob == "n_slabs" else float(v) for v in values.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"the values of {knob} are numbers separated by commas; got {values!r}") from None
    from .experiments._benchmark_data import check_knobs

    try:
        for value in parsed:
            check_knobs({knob: value})
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return {knob: parsed}


def _check_benchmark_args(parser, args):
    """Import the user's modules, then refuse unknown methods and an --out that may not
    be replaced, before any work."""
    import importlib

    from .experiments._benchmark import available_benchmark_methods, method_factory
    from .experiments._output import check_output_directory

    for module in args.imports:
        try:
            importlib.import_module(module)
        except ImportError as error:
            parser.error(f"argument --import: cannot import {module!r}: {error}")
    for method in args.methods or ():
        if ":" not in method and method not in available_benchmark_methods():
            parser.error(
                f"argument --methods: unknown method {method!r}; name one of "
                f"{', '.join(available_benchmark_methods())}, a method registered by a "
                "module given with --import, or an import path package.module:factory."
            )
        try:
            method_factory(method)
        except (ValueError, TypeError) as error:
            parser.error(f"argument --methods: {error}")
    try:
        check_output_directory(args.out)
    except ValueError as error:
        parser.error(f"argument --out: {error}")


def _format_result(value):
    """A float as :func:`_format_number` writes it; counts and texts as they are."""
    return _format_number(value) if isinstance(value, float) else str(value)


def _format_number(value):
    """Three decimals, or three significant digits for values below 0.01."""
    return f"{value:.3f}" if value == 0 or abs(value) >= 0.01 else f"{value:.3g}"


def _check_reproduce_args(parser, args):
    """Refuse, before any work, what would fail or mislead after the run."""
    from .experiments._output import check_output_directory

    if args.out is None:
        args.out = Path("sklearn-sb-results") / args.experiment
    elif not args.out.strip():
        parser.error("argument --out: expected a directory name, got an empty string")
    try:
        check_output_directory(args.out)
    except ValueError as error:
        parser.error(f"argument --out: {error}")
    if args.device == "cuda":
        import torch

        if not torch.cuda.is_available():
            parser.error("argument --device: 'cuda' was asked for, but torch sees no "
                         "CUDA device here; use --device cpu or auto")


def build_parser():
    from .datasets._catalog import available_datasets
    from .experiments import RECIPES

    parser = argparse.ArgumentParser(
        prog="sklearn-sb",
        description="Study simplicity bias in neural networks.",
    )
    # Checks of a command's arguments that argparse cannot express.
    parser.set_defaults(check=lambda parser, args: None)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    listing = commands.add_parser("list", help="list the paper's experiments and datasets",
                                  description="List the paper's experiments and datasets.")
    listing.set_defaults(run=_list)
    reproduce = commands.add_parser(
        "reproduce",
        help="run one of the paper's experiments",
        description="Run one of the paper's experiments and compare with its numbers.",
    )
    reproduce.add_argument("experiment", choices=list(RECIPES))
    sizes = reproduce.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="seconds-long smoke run")
    sizes.add_argument("--full", action="store_true", help="the paper's sizes (for a GPU)")
    reproduce.add_argument("--dataset", choices=list(available_datasets()),
                           help="run on this dataset instead of the experiment's own")
    reproduce.add_argument("--seed", type=_seed, default=0,
                           help="an integer in [0, 2**32 - 1] (default: 0)")
    reproduce.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    reproduce.add_argument("--out", help="output directory "
                           "(default: sklearn-sb-results/EXPERIMENT)")
    reproduce.add_argument("--scheduler", help="Dask scheduler address for grid searches")
    reproduce.add_argument("--data-home", help="where fetch_mnist_cifar keeps its data")
    reproduce.add_argument("--no-download", action="store_true",
                           help="fail instead of downloading MNIST and CIFAR-10")
    reproduce.add_argument("--no-progress", action="store_true", help="hide progress bars")
    reproduce.set_defaults(run=_reproduce, check=_check_reproduce_args)
    describe = commands.add_parser(
        "describe",
        help="load a dataset and summarize its blocks",
        description="Load a dataset's training rows and summarize its blocks.",
    )
    describe.add_argument("dataset", choices=list(available_datasets()))
    describe.add_argument("--n-samples", type=_at_least(2), default=10_000,
                          help="training rows to draw (a fetched dataset may have fewer)")
    describe.add_argument("--n-features", type=_at_least(2), default=50,
                          help="dimension of a synthetic dataset")
    describe.add_argument("--seed", type=_seed, default=0,
                          help="an integer in [0, 2**32 - 1] (default: 0)")
    describe.add_argument("--data-home", help="where a fetched dataset keeps its data")
    describe.add_argument("--no-download", action="store_true",
                          help="fail instead of downloading a fetched dataset's sources")
    describe.set_defaults(run=_describe)
    benchmark = commands.add_parser(
        "benchmark",
        help="score the mitigation methods on the testbed",
        description="Fit every mitigation method on every dataset for several seeds and "
                    "score it on the paper's measurements.",
    )
    from .experiments._benchmark import DATASETS, DEFAULT_METHODS, available_benchmark_methods

    benchmark.add_argument(
        "--methods", nargs="+", metavar="METHOD",
        help=f"methods to run: {', '.join(available_benchmark_methods())}, a method "
             "registered by an --import module, or an import path package.module:factory "
             f"(default: {', '.join(DEFAULT_METHODS)})")
    benchmark.add_argument(
        "--import", dest="imports", action="append", default=[], metavar="MODULE",
        help="import MODULE first, so that the methods it registers with "
             "sklearn_sb.mitigation.register_method can be named (repeatable)")
    benchmark.add_argument("--datasets", nargs="+", choices=list(DATASETS), metavar="DATASET",
                           help=f"datasets (default: all of {', '.join(DATASETS)}; those "
                                "not cached are skipped)")
    benchmark.add_argument("--seeds", type=_between(1, 10_000), default=5,
                           help="number of seeds, 0 to N - 1 (default: 5)")
    sizes = benchmark.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="seconds-long smoke run")
    sizes.add_argument("--full", action="store_true", help="the paper's sizes (for a GPU)")
    benchmark.add_argument("--n-hparams", type=_between(1, 10_000), default=1,
                           help="hyperparameter settings per method, drawn from its declared "
                                "distributions (setting 0: the defaults); each selection rule "
                                "picks one, re-run on the seeds (default: 1)")
    benchmark.add_argument("--hparam-seed", type=_seed, default=0,
                           help="seed of the settings drawn (default: 0)")
    from .experiments._selection import SELECTION_RULES

    benchmark.add_argument("--rules", nargs="+", choices=list(SELECTION_RULES),
                           metavar="RULE",
                           help=f"model-selection rules (default: every one that applies: "
                                f"{', '.join(SELECTION_RULES)})")
    benchmark.add_argument("--sweep", type=_sweep, metavar="KNOB=V1,V2,...",
                           help="run every dataset the knob applies to at each value: "
                                "correlation, label_noise, margin or n_slabs")
    benchmark.add_argument("--resume", action="store_true",
                           help="keep the runs already in --out and run only the missing "
                                "ones (a method added, more seeds)")
    benchmark.add_argument("--n-jobs", type=_n_jobs, default=None,
                           help="cells run at once, -1 or up to 4 per core (default: one "
                                "per core)")
    benchmark.add_argument("--scheduler", help="Dask scheduler address: run the cells there")
    benchmark.add_argument("--data-home", help="where the image sources are cached")
    benchmark.add_argument("--out", default="sklearn-sb-results/benchmark",
                           help="output directory (default: sklearn-sb-results/benchmark)")
    benchmark.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    benchmark.set_defaults(run=_benchmark, check=_check_benchmark_args)
    return parser


def _seed(text):
    value = _at_least(0)(text)
    if value > 2**32 - 1:
        raise argparse.ArgumentTypeError(f"must be <= 2**32 - 1, got {value}")
    return value


def _between(minimum, maximum):
    at_least = _at_least(minimum)

    def parse(text):
        value = at_least(text)
        if value > maximum:
            raise argparse.ArgumentTypeError(f"must be <= {maximum:,}, got {value}")
        return value

    return parse


def _n_jobs(text):
    from .experiments._benchmark import check_n_jobs

    value = _integer(text)
    try:
        check_n_jobs(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def _integer(text):
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _at_least(minimum):
    def parse(text):
        value = _integer(text)
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, got {value}")
        return value

    return parse


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    args.check(parser, args)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"\nsklearn-sb {args.command}: interrupted; no results were written.",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
