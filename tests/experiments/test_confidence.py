"""The confidence recipe shows pitfall (ii) and Section 4.3's blind shift detectors."""

import matplotlib
import numpy as np
import pytest

from sklearn_sb.inspection._detectors import DETECTORS

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def result(quick_runs):
    return quick_runs("confidence")[0]


@pytest.mark.parametrize("detector", DETECTORS)
def test_output_based_detectors_cannot_tell_s_complement_shifted_data(result, detector):
    assert result.results[f"{detector} AUC, standard vs S^c-randomized"] == pytest.approx(
        0.5, abs=0.1
    )


def test_the_network_is_as_confident_on_conflict_data_as_on_standard_data(result):
    standard = result.results["mean max softmax on standard data"]
    conflict = result.results["mean max softmax on conflict data"]
    assert standard >= 0.9
    assert conflict == pytest.approx(standard, abs=0.05)


def test_the_network_follows_s_on_conflict_data(result):
    assert result.results["accuracy on conflict data, against S's label"] >= 0.9


def test_the_table_has_every_kind_of_data_and_the_figure_is_drawn(result):
    table = result.tables["confidence"]
    assert list(table.index) == ["standard", "S^c-randomized", "conflict", "S-randomized"]
    assert table.loc["S-randomized", "accuracy"] <= 0.6
    assert np.isnan(table.loc["standard", "max_softmax AUC"])
    assert set(result.figures) == {"confidence.png"}
