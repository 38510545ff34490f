"""The one bar chart of the experiments' figures."""

import matplotlib
import numpy as np
from matplotlib.container import BarContainer
import pandas as pd
import pytest

from sklearn_sb.experiments._figures import bar_figure

matplotlib.use("Agg")

MEANS = pd.DataFrame({"test": [0.9, 0.8, 0.7], "S-randomized": [0.5, 0.6, 0.95]},
                     index=pd.Index(["ERM", "D-BAT", "DFR"], name="model"))


@pytest.fixture(autouse=True)
def _close_figures():
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def test_one_bar_per_mean_grouped_by_row_with_its_error_bar():
    figure = bar_figure(MEANS, MEANS / 10, ylabel="accuracy", ylim=(0, 1), title="demo")
    ax = figure.axes[0]
    bars = [container for container in ax.containers if isinstance(container, BarContainer)]
    assert [container.get_label() for container in bars] == ["test", "S-randomized"]
    heights = [[patch.get_height() for patch in container] for container in bars]
    np.testing.assert_allclose(heights, MEANS.to_numpy().T)
    errors = [container.errorbar.lines[2][0].get_segments() for container in bars]
    np.testing.assert_allclose([[top - bottom for (_, bottom), (_, top) in column]
                                for column in errors], 2 * MEANS.to_numpy().T / 10)
    assert [label.get_text() for label in ax.get_xticklabels()] == ["ERM", "D-BAT", "DFR"]
    assert (ax.get_ylabel(), ax.get_ylim(), ax.get_title()) == ("accuracy", (0, 1), "demo")
    assert ax.get_xlabel() == "model"
    assert ax.get_legend().get_texts()[0].get_text() == "test"


def test_the_options_draw_a_reference_rotated_labels_and_no_legend():
    figure = bar_figure(MEANS, ylabel="AUC", ylim=(0.4, 1.02), xlabel="", reference=0.5,
                        rotation=30, legend_loc=None, figsize=(8, 4))
    ax = figure.axes[0]
    assert [line.get_ydata()[0] for line in ax.get_lines()] == [0.5]
    assert all(label.get_rotation() == 30 and label.get_ha() == "right"
               for label in ax.get_xticklabels())
    assert ax.get_legend() is None and ax.get_xlabel() == ""
    assert tuple(figure.get_size_inches()) == (8, 4)


def test_bars_drawn_on_an_axes_of_a_larger_figure():
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(2, 1)
    assert bar_figure(MEANS, ylabel="AUC", ylim=(0, 1), ax=axes[1]) is figure
    assert len(axes[1].patches) == MEANS.size and not axes[0].patches
    assert plt.get_fignums() == [figure.number]
