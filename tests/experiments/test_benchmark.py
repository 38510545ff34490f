"""``sklearn-sb benchmark`` and ``run_benchmark``: every method, every synthetic dataset.

The quick size, one seed, every registered method; then the seeding rule, a
researcher's own method (registered, by import path, as a factory) and the
command line.
"""

import json
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
import torch

from sklearn_sb import SBNetClassifier
from sklearn_sb._cli import main
from sklearn_sb.experiments import run_benchmark
from sklearn_sb.experiments._benchmark import (
    BASELINES,
    CEILING,
    DEFAULT_METHODS,
    SIZES,
    available_benchmark_methods,
    benchmark_data,
    format_table,
    legend,
    seeded,
)
from sklearn_sb.mitigation import DBATClassifier, TrainingMethod
from sklearn_sb.mitigation._registry import _METHODS

SYNTHETIC = ("lms5", "ms57", "noisy-lms7")
SCORES = ["standard accuracy", "S-randomized accuracy", "S^c-randomized accuracy",
          "standard AUC", "S-randomized AUC", "S^c-randomized AUC", "accuracy under UAP",
          "train accuracy"]


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("benchmark") / "out"
    data_home = tmp_path_factory.mktemp("empty_data_home")
    result = run_benchmark(available_benchmark_methods(), n_seeds=1, size="quick", n_jobs=2,
                           data_home=data_home, out=out, progress=False)
    return result, out


@pytest.fixture
def user_module(tmp_path, monkeypatch):
    """A researcher's module, importable: a registered do-nothing method and a factory."""
    source = textwrap.dedent('''
        from sklearn_sb.mitigation import TrainingMethod, register_method


        @register_method("erm-in-disguise")
        class ERMInDisguise(TrainingMethod):
            """Trains exactly as ERM: both hooks are the identity."""


        def wide(size, dataset):
            return dataset.network.set_params(module__width=60)
    ''')
    (tmp_path / "my_sb_methods.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    # What the module registers is forgotten after the test.
    monkeypatch.setattr(_METHODS, "_entries", dict(_METHODS._entries))
    yield "my_sb_methods"
    sys.modules.pop("my_sb_methods", None)


# -- every method ---------------------------------------------------------------------


def test_every_method_and_the_ceiling_is_scored_on_every_synthetic_dataset(quick):
    result, _ = quick
    models = result.table.xs("model", level="row").index
    assert set(models) == {(d, m) for d in SYNTHETIC for m in available_benchmark_methods()}
    ceiling = result.table.xs(CEILING, level="method")
    assert list(ceiling.index) == [(d, "S removed") for d in SYNTHETIC]
    assert (result.table["seeds"] == 1).all()
    assert len(result.cells) == len(result.table)


def test_the_quick_size_trains_erm_on_every_synthetic_dataset(quick):
    result, _ = quick
    erm = result.table.xs(("erm", "model"), level=("method", "row"))
    assert (erm["train accuracy mean"] > 0.95).all(), erm["train accuracy mean"]
    assert (erm["seeds near chance"] == 0).all()


def test_ensembles_have_a_row_for_the_member_they_select_unless_they_predict_with_it(quick):
    result, _ = quick
    rows = result.table.xs("lms5", level="dataset").index
    members = {method for method, row in rows if row == "selected member"}
    # DivDis predicts with the head it selects; DFR and the logit ensemble select none.
    assert members == {"d-bat", "d-bat-adversarial", "gradient-diversity", "orthop"}
    # Every one of them takes the labeled reserve to select with.
    selection = result.table.xs(("lms5", "selected member"), level=("dataset", "row"))
    assert set(selection["selection"]) == {"validation accuracy"}


def test_every_method_gets_the_side_data_it_declares_and_says_what_it_used(quick):
    result, _ = quick
    side = result.table.xs(("lms5", "model"), level=("dataset", "row"))["side information"]
    assert side.to_dict() == {
        "erm": "none", "logit-ensemble": "none", "adversarial-training": "none",
        "spectral-decoupling": "none", "dfr": "labeled_decorrelated_fit",
        "d-bat-adversarial": "labeled_ood_selection",
        "gradient-diversity": "labeled_ood_selection",
        "orthop": "labeled_ood_selection",
        # Synthetic unlabeled rows are reserve rows with S permuted: an oracle.
        "d-bat": "oracle_simple_block+labeled_ood_selection",
        "divdis": "oracle_simple_block+labeled_ood_selection",
    }


def test_scores_are_means_and_stds_over_the_seeds():
    result = run_benchmark(["erm"], ["lms5"], n_seeds=2, size="quick", n_jobs=1,
                           progress=False)
    cells = result.cells.query("method == 'erm'")
    row = result.table.loc[("lms5", "erm", "model")]
    for column in SCORES:
        assert row[f"{column} mean"] == pytest.approx(cells[column].mean())
        assert row[f"{column} std"] == pytest.approx(cells[column].std(ddof=0))
        assert 0 <= row[f"{column} mean"] <= 1
    assert row["seeds"] == 2 and row["wall time (s) mean"] > 0


def test_the_baselines_stay_at_chance_with_s_randomized_on_lms5(quick):
    result, _ = quick
    for method in BASELINES:
        assert result.table.loc[("lms5", method, "model"), "S-randomized AUC mean"] < 0.65


def test_without_methods_the_baselines_and_the_first_methods_run(monkeypatch):
    import sklearn_sb.experiments._benchmark as benchmark

    calls = []

    def fake_cell(dataset, method, seed, *args):
        calls.append(method)
        return [{"dataset": dataset, "method": method, "seed": seed, "row": "model",
                 "selection": "", "side information": "none", "warning": "",
                 "S-randomized accuracy": 0.5}]

    monkeypatch.setattr(benchmark, "run_cell", fake_cell)
    run_benchmark(datasets=["lms5"], n_seeds=1, n_jobs=1, progress=False)
    assert calls == [*DEFAULT_METHODS, CEILING]
    assert set(BASELINES) <= set(DEFAULT_METHODS)


def test_image_datasets_without_cached_sources_are_skipped_with_a_note(quick):
    result, _ = quick
    assert [note.split(":")[0] for note in result.notes] == ["mnist-cifar", "mf-dominoes"]
    assert all("never downloads" in note for note in result.notes)


def test_the_files_are_written(quick):
    result, out = quick
    assert sorted(path.name for path in out.iterdir()) == [
        "benchmark.csv", "benchmark.png", "cells.csv", "results.json"]
    summary = json.loads((out / "results.json").read_text())
    assert summary["experiment"] == "benchmark" and summary["n_seeds"] == 1
    assert summary["methods"] == available_benchmark_methods()
    assert len(summary["table"]) == len(result.table)
    cells = pd.read_csv(out / "cells.csv")
    assert len(cells) == len(result.cells)


def test_an_image_dataset_runs_where_its_sources_are_cached(torchvision_sources, tmp_path):
    from sklearn_sb.datasets import fetch_dominoes

    fetch_dominoes("mnist", "cifar10", data_home=tmp_path, verbose=0)
    methods = ["erm", "d-bat", "orthop", "divdis"]
    result = run_benchmark(methods, ["mnist-cifar"], n_seeds=1, size="quick",
                           n_jobs=1, data_home=tmp_path, progress=False)
    assert result.notes == []
    side = result.table.xs("model", level="row")["side information"]
    # Image pairs reserved and paired at random are genuine unlabeled side data.
    assert side[("mnist-cifar", "d-bat")] == "unlabeled_ood+labeled_ood_selection"
    assert side[("mnist-cifar", "divdis")] == "unlabeled_ood+labeled_ood_selection"
    assert side[("mnist-cifar", "orthop")] == "labeled_ood_selection"


# -- the seeding rule ------------------------------------------------------------------


def test_a_cells_data_depends_on_its_dataset_size_and_seed_only():
    first, again = benchmark_data("lms5", "quick", 3), benchmark_data("lms5", "quick", 3)
    other = benchmark_data("lms5", "quick", 4)
    np.testing.assert_array_equal(first.X_train, again.X_train)
    np.testing.assert_array_equal(first.side_data["X_ood"], again.side_data["X_ood"])
    assert not np.array_equal(first.X_train, other.X_train)
    size = SIZES["quick"]
    assert len(first.X_train) == size.n_train and len(first.X_test) == size.n_test
    # Two different permutations of S over the same reserve rows.
    assert not np.array_equal(first.side_data["X_ood"], first.side_data["X_val"])


def test_seeded_sets_every_random_state_nested_ones_included():
    model = seeded(DBATClassifier(SBNetClassifier(random_state=1),
                                  later_estimator=SBNetClassifier()), 7)
    assert model.random_state == model.estimator.random_state == 7
    assert model.later_estimator.random_state == 7


def test_a_method_that_trains_as_erm_reproduces_the_erm_cells_exactly(user_module):
    import importlib

    importlib.import_module(user_module)
    result = run_benchmark(["erm", "erm-in-disguise"], ["lms5", "ms57"], n_seeds=2,
                           size="quick", n_jobs=1, progress=False)
    cells = result.cells.set_index(["dataset", "seed", "row"])
    erm = cells[cells["method"] == "erm"][SCORES]
    disguised = cells[cells["method"] == "erm-in-disguise"][SCORES]
    pd.testing.assert_frame_equal(erm, disguised)


# -- a researcher's own method ---------------------------------------------------------


def test_methods_may_be_factories_estimators_and_import_paths(user_module):
    from sklearn_sb.mitigation import SpectralDecoupling

    def narrow(size, dataset):
        return dataset.network.set_params(module__width=10)

    methods = {"narrow": narrow, "sd": SpectralDecoupling(strength=0.5),
               "wide": f"{user_module}:wide",
               "fixed": SBNetClassifier(module__width=20, max_epochs=3)}
    result = run_benchmark(methods, ["lms5"], n_seeds=1, size="quick", n_jobs=1,
                           progress=False)
    assert set(result.table.xs("model", level="row").index.get_level_values("method")) == \
        {"narrow", "sd", "wide", "fixed"}


def test_a_bad_method_is_refused_before_any_cell_runs():
    with pytest.raises(ValueError, match="Unknown method 'jtt'"):
        run_benchmark(["jtt"], ["lms5"], n_seeds=1, size="quick", progress=False)
    with pytest.raises(ValueError, match="has no 'missing'"):
        run_benchmark(["os:missing"], ["lms5"], n_seeds=1, size="quick", progress=False)
    with pytest.raises(ValueError, match="Unknown benchmark datasets"):
        run_benchmark(["erm"], ["lms7"], n_seeds=1, size="quick", progress=False)


class RandomLabels(TrainingMethod):
    """Trains on coin flips: a model that cannot learn the labels."""

    def transform_batch(self, net, X, y):
        return X, torch.randint_like(y, 2)


def test_cells_near_chance_are_flagged_in_the_table_and_the_files(tmp_path):
    with pytest.warns(UserWarning, match="training accuracy near chance"):
        result = run_benchmark({"coin": RandomLabels()}, ["lms5"], n_seeds=1, size="quick",
                               n_jobs=1, progress=False, out=tmp_path / "out")
    assert result.table.loc[("lms5", "coin", "model"), "seeds near chance"] == 1
    assert "near chance" in result.warnings[0]
    summary = json.loads((tmp_path / "out" / "results.json").read_text())
    assert summary["warnings"] == result.warnings
    assert format_table(result.table).loc[("lms5", "coin"), ""] == "!"


# -- the command line -----------------------------------------------------------------


def test_the_command_line_prints_a_table_that_fits_120_columns(quick, tmp_path, capsys):
    code = main(["benchmark", "--quick", "--seeds", "1", "--methods", "erm", "d-bat",
                 "--datasets", "lms5", "--n-jobs", "1", "--no-progress",
                 "--out", str(tmp_path / "out")])
    assert code == 0
    out = capsys.readouterr().out
    assert "S-rand." in out and "selected member" in out and legend()[0] in out
    assert "Wrote 4 files" in out
    result, _ = quick
    assert max(len(line) for line in format_table(result.table).to_string().splitlines()) \
        <= 120


def test_a_method_registered_in_an_imported_module_runs_from_the_command_line(
        user_module, tmp_path, capsys):
    code = main(["benchmark", "--quick", "--seeds", "1", "--import", user_module,
                 "--methods", "erm-in-disguise", f"{user_module}:wide",
                 "--datasets", "lms5", "--n-jobs", "1", "--no-progress",
                 "--out", str(tmp_path / "out")])
    assert code == 0
    out = capsys.readouterr().out
    assert "erm-in-disguise" in out and f"{user_module}:wide" in out


@pytest.mark.parametrize("argv, message", [
    (["--methods", "jtt"], "unknown method 'jtt'; name one of erm, "),
    (["--import", "no_such_module_here", "--methods", "erm"],
     "cannot import 'no_such_module_here'"),
    (["--methods", "os:missing"], "has no 'missing'"),
])
def test_unknown_methods_and_modules_are_refused_by_the_command_line(argv, message, capsys):
    with pytest.raises(SystemExit):
        main(["benchmark", *argv])
    assert message in capsys.readouterr().err
