"""The sklearn-sb command line."""

import subprocess
import sys

import pytest

from sklearn_sb._cli import main


def test_describe_summarizes_the_blocks_of_a_dataset(capsys):
    assert main(["describe", "lms5", "--n-samples", "2000", "--n-features", "10"]) == 0
    out = capsys.readouterr().out
    assert "2000 samples x 10 features" in out
    assert "1000 negative, 1000 positive" in out
    assert "slab-5" in out and "linear" in out
    assert "A single threshold separates the classes on: S." in out


def test_describe_says_when_no_block_is_linearly_separable(capsys):
    main(["describe", "ms57", "--n-samples", "2000", "--n-features", "5"])
    assert "separates the classes on: no block." in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["describe", "lms9"], "invalid choice: 'lms9'"),
        (["describe", "lms5", "--n-samples", "1"], "must be >= 2"),
        (["describe", "lms5", "--n-features", "ten"], "expected an integer"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "required"),
    ],
)
def test_bad_arguments_exit_non_zero_with_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code != 0
    assert message in capsys.readouterr().err


def test_python_dash_m_runs_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_sb", "describe", "lsn", "--n-samples", "100"],
        capture_output=True, text=True, check=True,
    )
    assert "lsn: LSN" in result.stdout


@pytest.mark.parametrize(
    "name, n_features, kinds",
    [
        ("mnist-cifar", 6144, ["MNIST pixel", "CIFAR-10 pixel"]),
        ("mf-dominoes", 1568, ["MNIST pixel", "Fashion-MNIST pixel"]),
        ("colored-mnist", 392, ["red pixel", "green pixel"]),
        ("collages", 256, ["MNIST pixel", "CIFAR-10 pixel", "Fashion-MNIST pixel",
                           "SVHN pixel"]),
    ],
)
def test_describe_loads_a_fetched_dataset(torchvision_sources, tmp_path, capsys, name,
                                          n_features, kinds):
    assert main(["describe", name, "--n-samples", "100", "--data-home", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{name}: ")
    assert f"100 samples x {n_features} features, float32" in out
    assert "rotation: none" in out
    assert all(kind in out for kind in kinds)


def test_describe_without_the_data_exits_with_how_to_get_it(tmp_path, capsys):
    assert main(["describe", "mnist-cifar", "--no-download",
                 "--data-home", str(tmp_path)]) == 1
    assert "download_if_missing" in capsys.readouterr().err


def test_list_names_every_dataset_and_which_need_a_download(capsys):
    from sklearn_sb.datasets._catalog import available_datasets

    assert main(["list"]) == 0
    section = capsys.readouterr().out.partition("Datasets:")[2].partition("Summarize")[0]
    # One entry per dataset, its description wrapped onto further-indented lines.
    entries = []
    for line in section.splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            entries.append(line)
        elif entries and line.strip():
            entries[-1] += line
    for name, entry in available_datasets().items():
        line = " ".join(next(e for e in entries if e.split()[:1] == [name]).split())
        assert " ".join(entry.description.split()) in line
        assert ("downloaded on first use" in line) == entry.needs_download


def test_list_shows_the_benchmarks_methods_datasets_sizes_rules_and_knobs(capsys):
    from sklearn_sb.experiments import SELECTION_RULES
    from sklearn_sb.experiments._benchmark import (
        DATASETS,
        KNOBS,
        SIZES,
        available_benchmark_methods,
    )

    assert main(["list"]) == 0
    out = capsys.readouterr().out
    benchmark = " ".join(out.partition("sklearn-sb benchmark):")[2].split())
    assert all(f" {name}" in benchmark for name in available_benchmark_methods())
    assert all(name in benchmark for name in DATASETS)
    assert all(f"{size.name}: {size.n_train:,} train" in benchmark for size in SIZES.values())
    assert "selection rules: " + ", ".join(SELECTION_RULES) in benchmark
    assert "sweep knobs: " + ", ".join(KNOBS) in benchmark
    assert max(map(len, out.splitlines())) <= 120


@pytest.mark.parametrize("option, value, message", [
    ("--n-jobs", "0", "from 1 to"),
    ("--n-jobs", "-3", "must be -1"),
    ("--n-jobs", "100000", "4 per core"),
    ("--n-jobs", "two", "expected an integer"),
    ("--seeds", "0", "must be >= 1"),
    ("--seeds", "100000000", "must be <= 10,000"),
    ("--n-hparams", "99999", "must be <= 10,000"),
])
def test_benchmark_counts_out_of_bounds_are_refused_by_the_parser(option, value, message,
                                                                   capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["benchmark", "--quick", "--methods", "erm", "--datasets", "lms5",
              option, value])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}" in err and message in err


def test_run_benchmark_refuses_n_jobs_out_of_bounds_before_any_run():
    from sklearn.utils._param_validation import InvalidParameterError

    from sklearn_sb.experiments import run_benchmark

    with pytest.raises(InvalidParameterError, match="n_jobs"):
        run_benchmark(["erm"], ["lms5"], size="quick", n_jobs=0, progress=False)
    with pytest.raises(ValueError, match="4 per core"):
        run_benchmark(["erm"], ["lms5"], size="quick", n_jobs=100_000, progress=False)
