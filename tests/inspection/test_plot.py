"""The Displays render on an Agg canvas."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression

from sklearn_sb import make_lms
from sklearn_sb.inspection import (
    LogitHistogramDisplay,
    ProjectedBoundaryDisplay,
    RandomizedScoreCurveDisplay,
    randomized_scores,
)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _render(figure):
    figure.canvas.draw()
    width, height = figure.canvas.get_width_height()
    return np.asarray(figure.canvas.buffer_rgba()).shape == (height, width, 4)


def test_logit_histograms(simple_rule, lms_data):
    display = LogitHistogramDisplay.from_estimator(
        simple_rule, lms_data.X, lms_data.y, simple_features=lms_data, random_state=0
    )
    assert [ax.get_title().split("\n")[0] for ax in display.axes_] == [
        "standard", "S-randomized", "S^c-randomized"
    ]
    assert _render(display.figure_)


def test_logit_histograms_on_given_axes(simple_rule, lms_data):
    _, axes = plt.subplots(3, 1)
    display = LogitHistogramDisplay.from_estimator(
        simple_rule, lms_data.X, lms_data.y, simple_features=lms_data, ax=axes
    )
    assert list(display.axes_) == list(axes)
    with pytest.raises(ValueError, match="3 Axes"):
        display.plot(ax=axes[:2])


def test_score_curve_from_a_results_table():
    tables = []
    for n_features in (3, 6, 9):
        data = make_lms(600, n_features, random_state=0, return_X_y=False)
        model = LogisticRegression().fit(data.X, data.y)
        table = randomized_scores(model, data.X, data.y, simple_features=data, n_repeats=2)
        tables.append(table.assign(n_complex_features=n_features - 1))
    display = RandomizedScoreCurveDisplay.from_results(pd.concat(tables), x="n_complex_features")
    np.testing.assert_array_equal(display.x, [2, 5, 8])
    assert display.means["S-randomized"].max() < 0.6
    assert len(display.ax_.get_lines()) >= 3
    assert _render(display.figure_)
    with pytest.raises(ValueError, match="lacks the columns"):
        RandomizedScoreCurveDisplay.from_results(pd.concat(tables), x="width")


def test_projected_boundary_picks_the_most_influential_complex_coordinate(complex_rule, lms_data):
    display = ProjectedBoundaryDisplay.from_estimator(
        complex_rule, lms_data.X, lms_data.y, simple_features=lms_data, random_state=0,
        grid_resolution=30,
    )
    assert display.complex_feature == 1
    assert display.decision.shape == (30, 30)
    assert _render(display.figure_)


def test_projected_boundary_of_a_simple_model_is_perpendicular_to_s(simple_rule, lms_data):
    display = ProjectedBoundaryDisplay.from_estimator(
        simple_rule, lms_data.X, lms_data.y, simple_features=lms_data, complex_feature=4,
        random_state=0, grid_resolution=20,
    )
    # The decision changes along S (columns) and not along S^c (rows).
    assert np.ptp(display.decision, axis=0).max() < 1e-9
    assert np.ptp(display.decision, axis=1).min() > 1
    with pytest.raises(ValueError, match="not an S\\^c coordinate"):
        ProjectedBoundaryDisplay.from_estimator(
            simple_rule, lms_data.X, lms_data.y, simple_features=lms_data, complex_feature=0
        )


def test_the_drawn_boundary_is_where_the_network_prediction_flips(lms_data, monkeypatch):
    from sklearn_sb import SBNetClassifier
    from sklearn_sb.inspection import _plot_boundary

    net = SBNetClassifier(module__width=16, max_epochs=3, random_state=0).fit(
        lms_data.X, lms_data.y)
    grids, margin = [], _plot_boundary.binary_margin

    def recording_margin(estimator, X):
        grids.append(X)
        return margin(estimator, X)

    monkeypatch.setattr(_plot_boundary, "binary_margin", recording_margin)
    display = ProjectedBoundaryDisplay.from_estimator(
        net, lms_data.X, lms_data.y, simple_features=lms_data, complex_feature=3,
        random_state=0, grid_resolution=40,
    )
    predicted_positive = net.predict(grids[0]) == net.classes_[1]
    np.testing.assert_array_equal(display.decision.ravel() > 0, predicted_positive)
    assert predicted_positive.any() and not predicted_positive.all()
