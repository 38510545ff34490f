"""Figure 3b: the wide FCN ignores every complex feature, however many there are."""

import matplotlib
import pytest

from sklearn_sb.experiments import RECIPES

matplotlib.use("Agg")

QUICK_N_FEATURES = RECIPES["figure3b"].options["quick"]["figure3b"]["n_features"]


@pytest.fixture(scope="module")
def quick_run(quick_runs):
    return quick_runs("figure3b")[0]


def test_table_covers_the_quick_sizes(quick_run):
    table = quick_run.tables["figure3b"]
    assert list(table.index) == [d - 1 for d in QUICK_N_FEATURES]
    assert quick_run.results["largest n_features"] == max(QUICK_N_FEATURES)
    assert "figure3b.png" in quick_run.figures


@pytest.mark.parametrize("n_complex", [d - 1 for d in QUICK_N_FEATURES])
def test_s_carries_the_model_at_every_size(quick_run, n_complex):
    row = quick_run.tables["figure3b"].loc[n_complex]
    assert row["standard AUC"] >= 0.9
    assert row["S-randomized AUC"] <= 0.6
    assert row["S^c-randomized AUC"] >= row["standard AUC"] - 0.05
