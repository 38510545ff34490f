"""``sklearn-sb benchmark`` at its quick size: every method, every synthetic dataset."""

import json

import numpy as np
import pandas as pd
import pytest

from sklearn_sb._cli import main
from sklearn_sb.experiments._benchmark import (
    BASELINES,
    CEILING,
    DEFAULT_METHODS,
    METHODS,
    SYNTHETIC,
    run_benchmark,
)


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("benchmark") / "out"
    data_home = tmp_path_factory.mktemp("empty_data_home")
    return run_benchmark(list(METHODS), n_seeds=2, size="quick", n_jobs=1,
                         data_home=data_home, out=out, progress=False), out


def test_every_method_and_the_ceiling_is_scored_on_every_synthetic_dataset(quick):
    result, _ = quick
    models = result.table.xs("model", level="row").index
    assert set(models) == {(d, m) for d in SYNTHETIC for m in METHODS}
    ceiling = result.table.xs(CEILING, level="method")
    assert list(ceiling.index) == [(d, "S removed") for d in SYNTHETIC]
    assert (result.table["seeds"] == 2).all()
    assert len(result.cells) == 2 * len(result.table)


def test_without_methods_the_baselines_and_the_first_methods_run(monkeypatch):
    import sklearn_sb.experiments._benchmark as benchmark

    calls = []
    monkeypatch.setattr(benchmark, "run_cell",
                        lambda dataset, method, *args: calls.append(method) or [])
    monkeypatch.setattr(benchmark, "summarize", lambda cells: cells)
    monkeypatch.setattr(benchmark, "_figure", lambda table: None)
    monkeypatch.setattr(benchmark.pd.DataFrame, "sort_values", lambda self, *a, **k: self)
    run_benchmark(datasets=["lms5"], n_seeds=1, n_jobs=1, progress=False)
    assert calls == [*DEFAULT_METHODS, CEILING]
    assert set(BASELINES) <= set(DEFAULT_METHODS)


def test_d_bat_has_a_row_for_its_selected_member(quick):
    result, _ = quick
    rows = result.table.xs("d-bat", level="method").index.get_level_values("row")
    assert list(rows[:2]) == ["model", "selected member (last member)"]


def test_ensembles_have_a_row_for_the_member_they_select_unless_they_predict_with_it(quick):
    result, _ = quick
    rows = result.table.xs("lms5", level="dataset").index
    members = {method for method, row in rows if row.startswith("selected member")}
    assert members == {"d-bat", "d-bat-adversarial", "gradient-diversity", "orthop"}
    assert ("gradient-diversity", "selected member (validation accuracy)") in rows
    assert ("orthop", "selected member (last member)") in rows


def test_the_side_information_of_every_method_is_recorded(quick):
    result, _ = quick
    side = result.table.xs(("lms5", "model"), level=("dataset", "row"))["side information"]
    assert side.to_dict() == {
        "erm": "none", "logit-ensemble": "none", "adversarial-training": "none",
        "spectral-decoupling": "none", "d-bat": "oracle_simple_block",
        "dfr": "labeled_decorrelated_fit", "d-bat-adversarial": "none",
        "gradient-diversity": "none+labeled_ood_selection", "orthop": "none",
        # DivDis's target rows are held-out rows with S permuted: an oracle.
        "divdis": "oracle_simple_block+labeled_ood_selection",
    }


def test_scores_are_means_and_stds_over_the_seeds(quick):
    result, _ = quick
    cells = result.cells.query("dataset == 'lms5' and method == 'erm'")
    row = result.table.loc[("lms5", "erm", "model")]
    column = "S-randomized accuracy"
    assert row[f"{column} mean"] == pytest.approx(cells[column].mean())
    assert row[f"{column} std"] == pytest.approx(cells[column].std(ddof=0))
    for score in ("standard accuracy", "S^c-randomized AUC", "accuracy under UAP",
                  "wall time (s)"):
        assert 0 <= row[f"{score} mean"] <= (np.inf if score.startswith("wall") else 1)


def test_the_baselines_stay_at_chance_with_s_randomized_on_lms5(quick):
    result, _ = quick
    for method in BASELINES:
        assert result.table.loc[("lms5", method, "model"), "S-randomized AUC mean"] < 0.65


def test_image_datasets_without_cached_sources_are_skipped_with_a_note(quick):
    result, _ = quick
    assert [note.split(":")[0] for note in result.notes] == ["mnist-cifar", "mf-dominoes"]
    assert all("never downloads" in note for note in result.notes)


def test_the_files_are_written(quick):
    result, out = quick
    assert sorted(path.name for path in out.iterdir()) == [
        "benchmark.csv", "benchmark.png", "cells.csv", "results.json"]
    summary = json.loads((out / "results.json").read_text())
    assert summary["experiment"] == "benchmark" and summary["n_seeds"] == 2
    assert len(summary["table"]) == len(result.table)
    cells = pd.read_csv(out / "cells.csv")
    assert len(cells) == len(result.cells)


def test_an_image_dataset_runs_where_its_sources_are_cached(torchvision_sources, tmp_path):
    from sklearn_sb.datasets import fetch_dominoes

    fetch_dominoes("mnist", "cifar10", data_home=tmp_path, verbose=0)
    methods = ["erm", "d-bat", "orthop", "divdis", "gradient-diversity"]
    result = run_benchmark(methods, ["mnist-cifar"], n_seeds=1, size="quick",
                           n_jobs=1, data_home=tmp_path, progress=False)
    assert result.notes == []
    side = result.table.xs("model", level="row")["side information"]
    assert side[("mnist-cifar", "d-bat")] == "unlabeled_ood"
    # Image pairs reserved and paired at random are genuine unlabeled side data.
    assert side[("mnist-cifar", "divdis")] == "unlabeled_ood+labeled_ood_selection"
    assert side[("mnist-cifar", "orthop")] == "none"


def test_the_command_line_prints_the_table(tmp_path, capsys):
    code = main(["benchmark", "--quick", "--seeds", "1", "--methods", "erm", "dfr",
                 "--datasets", "lms5", "--n-jobs", "1", "--no-progress",
                 "--out", str(tmp_path / "out")])
    assert code == 0
    out = capsys.readouterr().out
    assert "S-rand. acc." in out and "labeled_decorrelated_fit" in out
    assert "Wrote 4 files" in out


def test_unknown_methods_are_refused_by_the_command_line(capsys):
    with pytest.raises(SystemExit):
        main(["benchmark", "--methods", "jtt"])
    assert "invalid choice: 'jtt'" in capsys.readouterr().err
