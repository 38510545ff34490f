"""The robustness recipe: the simple feature carries every setting of the sweep."""

import math
from types import SimpleNamespace

import matplotlib
import pandas as pd
import pytest

from sklearn_sb.experiments import RECIPES
from sklearn_sb.experiments._robustness import _summarize

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def quick_run(quick_runs):
    return quick_runs("robustness")[0]


def test_every_setting_relies_on_the_simple_feature_alone(quick_run):
    table = quick_run.tables["robustness"]
    assert (table["S-randomized AUC"] <= 0.6).all()
    assert ((table["S^c-randomized AUC"] - table["standard AUC"]).abs() <= 0.05).all()
    assert (table["standard AUC"] >= 0.9).all()


def test_the_table_has_one_row_per_setting(quick_run):
    factors = RECIPES["robustness"].options["robustness"]["factors"]
    settings = [setting for levels in factors.values() for setting in levels]
    table = quick_run.tables["robustness"]
    assert list(table.index) == [("lms5", setting) for setting in settings]
    assert set(table["factor"]) == {"activation", "optimizer", "weight decay", "dropout"}


def test_the_factors_of_the_paper_are_swept(quick_run):
    table = quick_run.tables["robustness"].loc["lms5"]
    by_factor = table.groupby("factor").groups
    assert {"ReLU", "tanh", "leaky ReLU", "ELU"} <= set(by_factor["activation"])
    assert {"SGD", "SGD, momentum 0.9", "Adam", "RMSprop"} <= set(by_factor["optimizer"])
    assert len(by_factor["weight decay"]) >= 3 and len(by_factor["dropout"]) >= 3
    assert table.loc["Adam", "lr"] == table.loc["RMSprop", "lr"] == 1e-3
    assert table.loc["SGD", "lr"] == 0.1


def test_base_settings_share_one_fit(quick_run):
    table = quick_run.tables["robustness"].loc["lms5"].drop(columns="factor")
    base = table.loc["ReLU"]
    for setting in ("SGD", "wd 5e-5", "dropout 0"):
        assert table.loc[setting].equals(base)


def test_summary_lines_stand_beside_the_paper(quick_run):
    table = quick_run.table
    assert table.loc["max S-randomized AUC (lms5)", "paper"] == "~0.50"
    assert table.loc["min S^c-randomized AUC (lms5)", "paper"] == 1.0
    assert table.loc["max S-randomized AUC (lms5)", "ours"] <= 0.6
    assert table.loc["settings that learned the task (lms5)", "ours"] == "15 of 15"
    assert "robustness.png" in quick_run.figures


def test_summaries_leave_out_the_settings_that_stayed_at_chance():
    table = pd.DataFrame({
        "dataset": ["a", "a", "a", "b"],
        "setting": ["x", "y", "z", "x"],
        "standard AUC": [1.0, 0.95, 0.5, 0.52],
        "S-randomized AUC": [0.50, 0.55, 0.51, 0.5],
        "S^c-randomized AUC": [1.0, 0.93, 0.49, 0.5],
    }).set_index(["dataset", "setting"])
    results = {}
    _summarize(SimpleNamespace(record=results.__setitem__), table)
    assert results["settings that learned the task (a)"] == "2 of 3"
    assert results["max S-randomized AUC (a)"] == 0.55
    assert results["min S^c-randomized AUC (a)"] == 0.93
    assert results["settings that learned the task (b)"] == "0 of 1"
    assert math.isnan(results["max S-randomized AUC (b)"])
