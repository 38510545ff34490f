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

import sklearn_sb
from sklearn_sb import SBNetClassifier
from sklearn_sb._cli import main
from sklearn_sb.experiments import run_benchmark
from sklearn_sb.experiments._benchmark import (
    BASELINES,
    SEARCH_SEED,
    BenchmarkSize,
    CEILING,
    DEFAULT_METHODS,
    SIZES,
    available_benchmark_methods,
    format_table,
    legend,
    seeded,
)
from sklearn_sb.mitigation import DBATClassifier, LogitEnsembleClassifier, TrainingMethod
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

RULES_100 = ["oracle", "decorrelated-validation", "in-distribution-validation"]


def test_every_method_and_the_ceiling_is_scored_on_every_synthetic_dataset(quick):
    result, _ = quick
    models = result.table.drop(CEILING, level="method").index
    rules = {d: RULES_100 + (["worst-group-validation"] if d == "noisy-lms7" else [])
             for d in SYNTHETIC}
    assert set(models) == {(d, m, r) for d in SYNTHETIC for m in available_benchmark_methods()
                           for r in rules[d]}
    ceiling = result.table.xs(CEILING, level="method")
    assert list(ceiling.index) == [(d, "") for d in SYNTHETIC]
    assert (result.table["seeds"] == 1).all()
    assert len(result.cells) == len(result.table)


def test_the_quick_size_trains_erm_on_every_synthetic_dataset(quick):
    result, _ = quick
    erm = result.table.xs("erm", level="method")
    assert (erm["train accuracy mean"] > 0.95).all(), erm["train accuracy mean"]
    assert (erm["seeds near chance"] == 0).all()


def test_the_rules_choose_among_the_members_of_an_ensemble_of_several(quick):
    result, _ = quick
    candidates = result.cells.query("dataset == 'lms5'").groupby("method")["candidate"]
    chosen = {method: set(values) for method, values in candidates}
    for method in ("erm", "logit-ensemble", "dfr", "spectral-decoupling"):
        assert chosen[method] == {"model"}
    for method in ("d-bat", "gradient-diversity", "orthop", "divdis"):
        assert chosen[method] <= {"model", "member 0", "member 1", "member 2"}
    # The oracle picks the candidate with the best S-randomized accuracy, so
    # no other rule's choice beats it by more than the test's sampling noise.
    table = result.table.xs("lms5", level="dataset")
    for method in ("d-bat", "orthop"):
        oracle = table.loc[(method, "oracle"), "S-randomized accuracy mean"]
        for rule in RULES_100[1:]:
            assert table.loc[(method, rule), "S-randomized accuracy mean"] <= oracle + 0.05


def test_every_method_gets_the_side_data_it_declares_and_says_what_it_used(quick):
    result, _ = quick
    side = result.table.xs(("lms5", "in-distribution-validation"),
                           level=("dataset", "rule"))["side information"]
    # Selecting is the rules' job: the labeled reserve goes to no method for
    # selection, and the in-distribution rule adds no side information.
    assert side.to_dict() == {
        "erm": "none", "logit-ensemble": "none", "adversarial-training": "none",
        "spectral-decoupling": "none", "dfr": "labeled_decorrelated_fit",
        "d-bat-adversarial": "none", "gradient-diversity": "none", "orthop": "none",
        "sam": "none", "margin-control": "none", "marg-log": "none", "sigma-damp": "none",
        "alpha-stitch": "none", "jtt": "none", "useful": "none",
        # The training rows' groups, to the method that fits with them.
        "group-dro": "group_labels",
        # Synthetic unlabeled rows are reserve rows with S permuted: an oracle.
        "d-bat": "oracle_simple_block", "divdis": "oracle_simple_block",
    }
    rules = result.table.xs(("lms5", "erm"), level=("dataset", "method"))["side information"]
    assert rules.to_dict() == {"oracle": "oracle_test_selection",
                               "decorrelated-validation": "labeled_ood_selection",
                               "in-distribution-validation": "none"}


def test_scores_are_means_with_standard_errors_and_intervals_over_the_seeds():
    result = run_benchmark(["erm"], ["lms5"], n_seeds=3, size="quick", n_jobs=1,
                           rules=["in-distribution-validation"], progress=False)
    cells = result.cells.query("method == 'erm'")
    row = result.table.loc[("lms5", "erm", "in-distribution-validation")]
    for column in SCORES:
        assert row[f"{column} mean"] == pytest.approx(cells[column].mean())
        assert row[f"{column} se"] == pytest.approx(cells[column].std(ddof=1) / np.sqrt(3))
        assert 0 <= row[f"{column} mean"] <= 1
    low, high = row["S-randomized accuracy ci low"], row["S-randomized accuracy ci high"]
    assert cells["S-randomized accuracy"].min() <= low <= row["S-randomized accuracy mean"]
    assert row["S-randomized accuracy mean"] <= high <= cells["S-randomized accuracy"].max()
    assert row["seeds"] == 3 and row["wall time (s) mean"] > 0


def test_one_bar_counts_the_cells_and_names_the_one_running(capsys):
    run_benchmark(["erm"], ["lms5"], n_seeds=2, size="quick", n_jobs=1, n_hparams=2,
                  rules=["in-distribution-validation"])
    frames = capsys.readouterr().err.split("\r")
    for name in ("search: erm on lms5, setting 1", "erm on lms5, seed 1",
                 "S-removed ceiling on lms5, seed 0"):
        assert any(name in frame for frame in frames)
    # Two search fits, then erm and the ceiling for two seeds each.
    assert "6/6" in frames[-1]


def test_methods_are_compared_with_erm_on_the_same_seeds(quick):
    result, _ = quick
    cells = result.cells.query("dataset == 'lms5' and rule == 'oracle'").set_index("method")
    difference = (cells.loc["d-bat", "S-randomized accuracy"]
                  - cells.loc["erm", "S-randomized accuracy"])
    row = result.table.loc[("lms5", "d-bat", "oracle")]
    assert row["S-randomized accuracy vs ERM mean"] == pytest.approx(difference)
    assert np.isnan(result.table.loc[("lms5", "erm", "oracle")].get(
        "S-randomized accuracy vs ERM mean", np.nan))


def test_worst_group_accuracy_is_of_the_test_rows_with_minority_groups(quick):
    result, _ = quick
    table = result.table.xs("in-distribution-validation", level="rule")
    # LMS-5 is 100 %-correlated: no minority group in its test rows, so its
    # worst group is that of the S-randomized rows; noisy LMS-7 has both.
    assert np.isnan(table.loc[("lms5", "erm"), "worst-group accuracy mean"])
    assert table.loc[("lms5", "erm"), "S-randomized worst-group accuracy mean"] < 0.3
    assert table.loc[("noisy-lms7", "erm"), "worst-group accuracy mean"] < 0.5
    assert (table["ECE mean"].dropna() >= 0).all()


def test_synthetic_cells_report_the_randomized_accuracy_of_every_coordinate(quick):
    result, _ = quick
    row = result.cells.query("dataset == 'ms57' and method == 'erm'").iloc[0]
    n_features = SIZES["quick"].n_features
    columns = [f"coordinate {j} ({'slab-5' if j == 0 else 'slab-7'}) randomized accuracy"
               for j in range(n_features)]
    # ERM relies on the 5-slab S alone: randomizing it, and only it, hurts.
    assert row[columns[0]] < 0.7
    assert all(row[column] > 0.9 for column in columns[1:])


def test_without_methods_the_baselines_and_the_first_methods_run(monkeypatch):
    import sklearn_sb.experiments._benchmark as benchmark

    calls = []

    def fake_cell(dataset, method, seed, *args, draw, **options):
        calls.append(method)
        return [{"dataset": dataset, "method": method, "seed": seed, "rule": "oracle",
                 "draw": draw, "hyperparameters": "{}", "candidate": "model",
                 "wall time (s)": 1.0, "side information": "none", "warning": "",
                 "S-randomized accuracy": 0.5, "worst-group accuracy": 0.5}]

    monkeypatch.setattr(benchmark, "run_cell", fake_cell)
    run_benchmark(datasets=["lms5"], n_seeds=1, n_jobs=1, progress=False)
    assert calls == [*DEFAULT_METHODS, CEILING]
    assert set(BASELINES) <= set(DEFAULT_METHODS)


def test_image_datasets_without_cached_sources_are_skipped_with_a_note(quick):
    result, _ = quick
    skipped = [note for note in result.notes if "never downloads" in note]
    assert [note.split(":")[0] for note in skipped] == ["mnist-cifar", "mf-dominoes"]


def test_the_files_are_written(quick):
    result, out = quick
    assert sorted(path.name for path in out.iterdir()) == [
        "benchmark.csv", "benchmark.png", "budget.csv", "cells.csv", "results.json",
        "search.csv"]
    summary = json.loads((out / "results.json").read_text())
    assert summary["experiment"] == "benchmark" and summary["n_seeds"] == 1
    assert summary["methods"] == available_benchmark_methods()
    assert len(summary["table"]) == len(result.table)
    assert len(summary["cells"]) == len(result.cells)
    provenance = summary["provenance"]
    assert provenance["package"] == sklearn_sb.__version__
    assert provenance["versions"]["torch"] == torch.__version__
    assert provenance["machine"]["cpus"] >= 1 and provenance["date"].startswith("20")
    assert "command" in provenance and "git commit" in provenance
    cells = pd.read_csv(out / "cells.csv")
    assert len(cells) == len(result.cells)


def test_an_image_dataset_runs_where_its_sources_are_cached(torchvision_sources, tmp_path):
    from sklearn_sb.datasets import fetch_dominoes

    fetch_dominoes("mnist", "cifar10", data_home=tmp_path, verbose=0)
    methods = ["erm", "d-bat", "orthop", "divdis"]
    result = run_benchmark(methods, ["mnist-cifar"], n_seeds=1, size="quick",
                           n_jobs=1, data_home=tmp_path, progress=False)
    assert result.notes == []
    side = result.table.xs("decorrelated-validation", level="rule")["side information"]
    # Image pairs reserved and paired at random are genuine unlabeled side data.
    assert side[("mnist-cifar", "d-bat")] == "unlabeled_ood+labeled_ood_selection"
    assert side[("mnist-cifar", "divdis")] == "unlabeled_ood+labeled_ood_selection"
    assert side[("mnist-cifar", "orthop")] == "labeled_ood_selection"
    # MNIST-CIFAR is 100 %-correlated: no worst-group rule, worst groups of
    # the S-randomized rows.
    assert set(result.cells["rule"]) == {"", *RULES_100}
    assert result.cells["S-randomized worst-group accuracy"].notna().any()


# -- the seeding rule ------------------------------------------------------------------


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
    cells = result.cells.set_index(["dataset", "seed", "rule"])
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
    assert set(result.table.index.get_level_values("method")) == \
        {"narrow", "sd", "wide", "fixed", CEILING}


def test_a_bad_method_is_refused_before_any_cell_runs():
    with pytest.raises(ValueError, match="Unknown method 'no-such-method'"):
        run_benchmark(["no-such-method"], ["lms5"], n_seeds=1, size="quick", progress=False)
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
    assert result.table.loc[("lms5", "coin", "oracle"), "seeds near chance"] == 1
    assert "near chance" in result.warnings[0]
    summary = json.loads((tmp_path / "out" / "results.json").read_text())
    assert summary["warnings"] == result.warnings
    assert format_table(result.table).loc[("lms5", "coin", "oracle*"), ""] == "!"


# -- the protocol: search, sweeps, resuming -------------------------------------------

TINY = BenchmarkSize("tiny", 600, 300, 300, 6, 4, 1, n_repeats=1)


def test_a_search_draws_settings_each_rule_keeps_its_best_and_the_seeds_rerun_it():
    result = run_benchmark(["erm", "spectral-decoupling"], ["lms5"], n_seeds=2, size=TINY,
                           n_hparams=3, n_jobs=1, progress=False)
    search = result.search
    assert set(search["seed"]) == {SEARCH_SEED} and set(search["draw"]) == {0, 1, 2}
    # Setting 0 is the defaults; the others are drawn, the same for every rule.
    settings = search.drop_duplicates(["method", "draw"]).set_index(["method", "draw"])
    assert settings.loc[("erm", 0), "hyperparameters"] == "{}"
    assert "lr" in json.loads(settings.loc[("erm", 1), "hyperparameters"])
    for (dataset, method, rule), draw in result.choices.set_index(
            ["dataset", "method", "rule"])["draw"].items():
        scores = search.query("method == @method and rule == @rule")
        best = scores["validation score"].max()
        assert scores.set_index("draw").loc[draw, "validation score"] == best
        assert scores[scores["validation score"] == best]["draw"].min() == draw
        final = result.cells.query("method == @method and rule == @rule")
        assert set(final["draw"]) == {draw} and set(final["seed"]) == {0, 1}
    budget = result.budget.loc[("lms5", "erm")]
    n_chosen = result.choices.query("method == 'erm'")["draw"].nunique()
    assert budget["search fits"] == 3 and budget["final fits"] == 2 * n_chosen
    assert budget["fits"] == 3 + 2 * n_chosen and budget["fit seconds"] > 0


class Explodes(TrainingMethod):
    """Trains as ERM, or makes the loss NaN: a setting that diverges."""

    hyperparameters = {"explode": [False, True]}

    def __init__(self, explode=False):
        self.explode = explode

    def adjust_loss(self, net, X, y, y_pred, loss):
        return loss * float("nan") if self.explode else loss


def test_a_setting_that_diverges_is_recorded_never_chosen_and_the_run_goes_on():
    result = run_benchmark({"explodes": Explodes()}, ["lms5"], n_seeds=1, size=TINY,
                           n_hparams=4, hparam_seed=2, n_jobs=1, progress=False)
    search = result.search.drop_duplicates("draw").set_index("draw")
    exploding = [draw for draw in search.index
                 if json.loads(search.loc[draw, "hyperparameters"]).get("method__explode")]
    assert exploding, "the seed must draw an exploding setting"
    assert search.loc[exploding, "validation score"].isna().all()
    assert search.loc[exploding, "warning"].str.startswith("training diverged").all()
    assert not set(result.choices["draw"]) & set(exploding)
    assert any("search runs diverged" in note for note in result.notes)
    assert result.cells.query("method == 'explodes'")["S-randomized accuracy"].notna().all()


def test_a_final_run_that_diverges_is_flagged_and_left_out_of_the_statistics():
    with pytest.warns(UserWarning, match="diverged"):
        result = run_benchmark({"explodes": Explodes(explode=True)}, ["lms5"], n_seeds=2,
                               size=TINY, n_jobs=1, progress=False)
    row = result.table.loc[("lms5", "explodes", "in-distribution-validation")]
    assert row["seeds diverged"] == 2 and row["seeds"] == 2
    assert np.isnan(row["S-randomized accuracy mean"])
    assert format_table(result.table).loc[("lms5", "explodes", "in-dist."), ""] == "!"


def test_one_setting_runs_the_defaults_without_a_search():
    result = run_benchmark(["erm"], ["lms5"], n_seeds=1, size=TINY, n_jobs=1,
                           progress=False)
    assert result.search.empty and (result.cells["draw"] == 0).all()
    assert result.budget.loc[("lms5", "erm"), "fits"] == 1


def test_a_sweep_runs_every_dataset_it_applies_to_at_every_value(tmp_path):
    result = run_benchmark(["erm"], ["lms5", "mnist-cifar"], n_seeds=1, size=TINY,
                           sweep={"correlation": [0.8, 1.0]}, n_jobs=1, progress=False,
                           data_home=tmp_path, out=tmp_path / "out")
    assert list(result.table.index.names) == ["dataset", "correlation", "method", "rule"]
    assert set(result.cells["correlation"]) == {0.8, 1.0}
    # Minority groups exist below correlation 1: the worst-group rule applies.
    rules = result.cells.groupby("correlation")["rule"].agg(set)
    assert "worst-group-validation" in rules[0.8]
    assert "worst-group-validation" not in rules[1.0]
    erm = result.table.xs(("erm", "in-distribution-validation"), level=("method", "rule"))
    assert erm.loc[("lms5", 0.8), "worst-group accuracy mean"] < 0.5
    assert "sweep.png" in [path.name for path in result.files]
    summary = json.loads((tmp_path / "out" / "results.json").read_text())
    assert summary["sweep"] == {"correlation": [0.8, 1.0]}
    with pytest.raises(ValueError, match="one knob"):
        run_benchmark(["erm"], ["lms5"], sweep={"correlation": [1.0], "margin": [0.1]})


class GroupEnsemble(LogitEnsembleClassifier):
    """An ensemble that declares it acts on minority groups only."""

    needs_minority_groups = True


def test_a_method_acting_on_minority_groups_is_noted_where_the_rows_have_none():
    method = GroupEnsemble(n_estimators=1)
    result = run_benchmark({"grouped": lambda size, dataset: method.apply_to(dataset.network),
                            "erm": "erm"}, ["lms5"], n_seeds=1, size=TINY, n_jobs=1,
                           rules=["oracle"], sweep={"correlation": [0.9, 1.0]}, progress=False)
    cells = result.cells.query("method != 'S-removed ceiling'").set_index(
        ["correlation", "method"])["as ERM"]
    assert cells.to_dict() == {(0.9, "grouped"): False, (0.9, "erm"): False,
                               (1.0, "grouped"): True, (1.0, "erm"): False}
    noted = [note for note in result.notes if "no minority groups" in note]
    assert len(noted) == 1 and noted[0].startswith("lms5, correlation 1.0:")
    assert "grouped" in noted[0] and "erm" not in noted[0].split(":")[0]


def test_a_knob_that_does_not_apply_skips_the_dataset_with_a_note():
    result = run_benchmark(["erm"], ["lms5", "ms57"], n_seeds=1, size=TINY,
                           sweep={"n_slabs": [7]}, n_jobs=1, progress=False)
    assert set(result.cells["dataset"]) == {"lms5"}
    assert any(note.startswith("ms57: skipped, the knob 'n_slabs'") for note in result.notes)


def test_resuming_runs_only_the_missing_runs_and_keeps_the_others(tmp_path, monkeypatch):
    import sklearn_sb.experiments._benchmark as benchmark

    out = tmp_path / "out"
    first = run_benchmark(["erm"], ["lms5"], n_seeds=2, size=TINY, n_jobs=1, progress=False,
                          out=out)
    calls = []
    real = benchmark.run_cell

    def counted(dataset, method, seed, *args, **options):
        calls.append((method, seed))
        return real(dataset, method, seed, *args, **options)

    monkeypatch.setattr(benchmark, "run_cell", counted)
    again = run_benchmark(["erm", "spectral-decoupling"], ["lms5"], n_seeds=3, size=TINY,
                          n_jobs=1, progress=False, out=out, resume=True)
    assert sorted(calls) == sorted([("erm", 2), ("S-removed ceiling", 2),
                                    ("spectral-decoupling", 0), ("spectral-decoupling", 1),
                                    ("spectral-decoupling", 2)])
    kept = again.cells.query("method == 'erm' and seed < 2").reset_index(drop=True)
    pd.testing.assert_frame_equal(kept[SCORES], first.cells.query("method == 'erm'")
                                  .reset_index(drop=True)[SCORES])
    with pytest.raises(ValueError, match="other settings \\(size 'tiny' there, 'quick'"):
        run_benchmark(["erm"], ["lms5"], size="quick", out=out, resume=True, progress=False)
    with pytest.raises(ValueError, match="give out"):
        run_benchmark(["erm"], ["lms5"], resume=True, progress=False)


# -- the command line -----------------------------------------------------------------


def test_the_command_line_prints_a_table_that_fits_120_columns(quick, tmp_path, capsys):
    code = main(["benchmark", "--quick", "--seeds", "1", "--methods", "erm", "d-bat",
                 "--datasets", "lms5", "--n-jobs", "1", "--no-progress",
                 "--out", str(tmp_path / "out")])
    assert code == 0
    out = capsys.readouterr().out
    assert "S-rand." in out and "in-dist." in out and legend()[0] in out
    assert "Wrote 6 files" in out
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
    (["--methods", "no-such-method"], "unknown method 'no-such-method'; name one of erm, "),
    (["--import", "no_such_module_here", "--methods", "erm"],
     "cannot import 'no_such_module_here'"),
    (["--methods", "os:missing"], "has no 'missing'"),
    (["--sweep", "temperature=1,2"], "with a knob of correlation, label_noise"),
    (["--sweep", "correlation=high"], "numbers separated by commas"),
    (["--sweep", "correlation=0.5,1.5"], "'correlation' is a share in [0, 1]"),
    (["--n-hparams", "0"], "must be >= 1"),
    (["--rules", "best"], "invalid choice: 'best'"),
])
def test_unknown_methods_and_modules_are_refused_by_the_command_line(argv, message, capsys):
    with pytest.raises(SystemExit):
        main(["benchmark", *argv])
    assert message in capsys.readouterr().err
