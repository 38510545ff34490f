"""Worst-group and group-balanced accuracy, calibration error, and their scorers."""

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.exceptions import DataConversionWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, KFold, cross_validate

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.inspection import (
    expected_calibration_error,
    group_balanced_accuracy,
    group_scores,
    make_group_scorer,
    worst_group_accuracy,
)
from sklearn_sb.utils._param_validation import InvalidParameterError

# Three groups: 'a' gets 3 of 4 rows right, 'b' 1 of 2, 'c' 2 of 3.
Y_TRUE = [0, 0, 0, 0, 1, 1, 1, 0, 1]
Y_PRED = [0, 0, 1, 0, 1, 0, 1, 0, 0]
GROUPS = ["a", "a", "a", "a", "b", "b", "c", "c", "c"]


@pytest.fixture(scope="module")
def shifted_data():
    """A label and a spurious binary attribute s that agrees with it in 80% of rows.

    The groups are (label, s); the model sees x0 (noisy label) and x1 (s).
    """
    rng = np.random.RandomState(0)
    y = rng.randint(2, size=120)
    s = np.where(rng.uniform(size=120) < 0.8, y, 1 - y)
    X = np.column_stack([y + rng.normal(scale=0.8, size=120), s + rng.normal(scale=0.1, size=120)])
    return X, y, 2 * y + s


# -- worst-group and group-balanced accuracy ------------------------------------------


def test_worst_group_accuracy_is_the_smallest_group_accuracy():
    assert worst_group_accuracy(Y_TRUE, Y_PRED, groups=GROUPS) == pytest.approx(1 / 2)


def test_group_balanced_accuracy_weighs_every_group_the_same():
    balanced = group_balanced_accuracy(Y_TRUE, Y_PRED, groups=GROUPS)
    assert balanced == pytest.approx((3 / 4 + 1 / 2 + 2 / 3) / 3)
    # The plain accuracy, 6 of 9 rows, weighs the groups by their size.
    assert balanced != pytest.approx(6 / 9)


def test_groups_may_be_tuples_numbers_or_strings_in_any_order():
    as_tuples = [(g, 0) for g in GROUPS]
    as_numbers = [ord(g) for g in GROUPS]
    order = np.random.RandomState(0).permutation(len(GROUPS))
    shuffled = (np.asarray(Y_TRUE)[order], np.asarray(Y_PRED)[order])
    assert worst_group_accuracy(Y_TRUE, Y_PRED, groups=as_tuples) == pytest.approx(1 / 2)
    assert worst_group_accuracy(Y_TRUE, Y_PRED, groups=as_numbers) == pytest.approx(1 / 2)
    assert group_balanced_accuracy(*shuffled, groups=np.asarray(GROUPS)[order]) == (
        pytest.approx((3 / 4 + 1 / 2 + 2 / 3) / 3)
    )


@pytest.mark.parametrize("metric", [worst_group_accuracy, group_balanced_accuracy])
def test_group_metrics_reject_mismatched_lengths(metric):
    with pytest.raises(ValueError, match="one entry per row; got 9 in y_true, 8 in y_pred"):
        metric(Y_TRUE, Y_PRED[:-1], groups=GROUPS)
    with pytest.raises(ValueError, match="8 in groups"):
        metric(Y_TRUE, Y_PRED, groups=GROUPS[:-1])


@pytest.mark.parametrize("missing", [np.nan, None])
def test_group_metrics_reject_rows_without_a_group(missing):
    groups = [0.0, 1.0, missing, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0]
    with pytest.raises(ValueError, match=r"no label \(NaN or None\) for 1 of 9 rows.*position 2"):
        worst_group_accuracy(Y_TRUE, Y_PRED, groups=groups)


def test_group_metrics_reject_empty_and_two_dimensional_groups():
    with pytest.raises(ValueError, match="groups is empty"):
        group_balanced_accuracy([], [], groups=[])
    with pytest.raises(ValueError, match="groups must be 1-d"):
        worst_group_accuracy([0, 1], [0, 1], groups=np.zeros((2, 2)))


# -- expected calibration error -------------------------------------------------------


def test_ece_matches_a_hand_count():
    y_true = [0, 1, 2, 2, 1]
    y_prob = [
        [0.7, 0.2, 0.1],  # predicts 0 (right) with confidence 0.7: bin (0.5, 0.75]
        [0.1, 0.6, 0.3],  # 1 (right), 0.6: bin (0.5, 0.75]
        [0.3, 0.6, 0.1],  # 1 (wrong), 0.6: bin (0.5, 0.75]
        [0.05, 0.05, 0.9],  # 2 (right), 0.9: bin (0.75, 1]
        [0.4, 0.35, 0.25],  # 0 (wrong), 0.4: bin (0.25, 0.5]
    ]
    expected = (
        1 / 5 * abs(0 - 0.4) + 3 / 5 * abs(2 / 3 - (0.7 + 0.6 + 0.6) / 3) + 1 / 5 * abs(1 - 0.9)
    )
    assert expected_calibration_error(y_true, y_prob, n_bins=4) == pytest.approx(expected)
    # One bin: the gap between the accuracy and the mean confidence.
    assert expected_calibration_error(y_true, y_prob, n_bins=1) == pytest.approx(
        abs(3 / 5 - (0.7 + 0.6 + 0.6 + 0.9 + 0.4) / 5)
    )


def test_ece_is_zero_when_every_bins_accuracy_is_its_confidence():
    # Ten rows predicted 1 with confidence 0.8, eight of them right; four rows
    # predicted 0 with confidence 0.75 (P(1) = 0.25), three of them right.
    y_prob = np.r_[np.full(10, 0.8), np.full(4, 0.25)]
    y_true = np.r_[np.ones(8), np.zeros(2), np.zeros(3), np.ones(1)]
    assert expected_calibration_error(y_true, y_prob) == pytest.approx(0, abs=1e-12)


def test_a_confidence_of_one_goes_in_the_last_bin():
    y_prob = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    # All three in the bin (14/15, 1]: accuracy 2/3, confidence 1.
    assert expected_calibration_error([0, 1, 1], y_prob) == pytest.approx(1 / 3)


def test_binary_ece_takes_the_probability_of_the_larger_label():
    y_true = np.array([3, 7, 7, 3, 7])
    p = np.array([0.1, 0.9, 0.45, 0.6, 0.7])
    two_columns = np.column_stack([1 - p, p])
    assert expected_calibration_error(y_true, p) == pytest.approx(
        expected_calibration_error(y_true, two_columns)
    )


def test_ece_takes_the_columns_classes_from_labels():
    y_prob = [[0.7, 0.2, 0.1], [0.1, 0.2, 0.7]]
    with pytest.raises(ValueError, match="y_prob has 3 columns but y_true holds 2 labels"):
        expected_calibration_error([0, 2], y_prob)
    # Columns 0, 1, 2: both rows right with confidence 0.7.
    assert expected_calibration_error([0, 2], y_prob, labels=[0, 1, 2]) == pytest.approx(0.3)
    # Columns named otherwise, the second row is wrong.
    assert expected_calibration_error([0, 2], y_prob, labels=[0, 2, 1]) == pytest.approx(
        abs(1 / 2 - 0.7)
    )
    with pytest.raises(ValueError, match=r"y_true holds labels missing from labels: \[2\]"):
        expected_calibration_error([0, 2], y_prob, labels=[0, 1, 3])


def test_binary_ece_of_a_single_class_needs_the_labels():
    with pytest.raises(ValueError, match=r"y_true holds 1 label\(s\) \[1\]: pass labels="):
        expected_calibration_error([1, 1], [0.9, 0.2])
    # Positive label 1: right with confidence 0.9, wrong with confidence 0.8,
    # in two bins of the default 15.
    assert expected_calibration_error([1, 1], [0.9, 0.2], labels=[0, 1]) == pytest.approx(
        1 / 2 * abs(1 - 0.9) + 1 / 2 * abs(0 - 0.8)
    )


@pytest.mark.parametrize(
    "y_prob, message",
    [
        ([[1.2, -0.2], [0.5, 0.5]], r"probabilities in \[0, 1\]"),
        ([2.0, 0.5], r"probabilities in \[0, 1\]"),
        ([[0.5, 0.3], [0.5, 0.5]], "row 0 sums to 0.8"),
        ([[np.nan, 0.5], [0.5, 0.5]], "NaN"),
    ],
)
def test_ece_rejects_what_are_not_probabilities(y_prob, message):
    with pytest.raises(ValueError, match=message):
        expected_calibration_error([0, 1], y_prob)


def test_ece_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="one entry per row; got 3 in y_true, 2 in y_prob"):
        expected_calibration_error([0, 1, 1], [0.2, 0.7])


# -- group_scores ---------------------------------------------------------------------


def _check_table_against_the_metrics(table, model, X, y, groups, n_bins=15):
    proba, pred = model.predict_proba(X), model.predict(X)
    names = np.unique(groups)
    assert table.index.name == "group"
    assert table.index.tolist() == [*names, "worst group", "group-balanced", "average"]
    assert table.columns.tolist() == ["samples", "accuracy", "expected calibration error"]
    for name in names:
        rows = groups == name
        assert table.loc[name, "samples"] == rows.sum()
        assert table.loc[name, "accuracy"] == pytest.approx(np.mean(pred[rows] == y[rows]))
        assert table.loc[name, "expected calibration error"] == pytest.approx(
            expected_calibration_error(y[rows], proba[rows], labels=model.classes_, n_bins=n_bins)
        )
    per_group = table.loc[names]
    worst = per_group["accuracy"].idxmin()
    assert table.loc["worst group"].tolist() == pytest.approx([
        per_group.loc[worst, "samples"],
        worst_group_accuracy(y, pred, groups=groups),
        per_group["expected calibration error"].max(),
    ])
    assert table.loc["group-balanced"].tolist() == pytest.approx([
        len(y),
        group_balanced_accuracy(y, pred, groups=groups),
        per_group["expected calibration error"].mean(),
    ])
    assert table.loc["average"].tolist() == pytest.approx([
        len(y),
        np.mean(pred == y),
        expected_calibration_error(y, proba, n_bins=n_bins),
    ])


def test_group_scores_of_a_linear_model_agree_with_the_metrics(shifted_data):
    X, y, groups = shifted_data
    model = LogisticRegression().fit(X, y)
    table = group_scores(model, X, y, groups, n_bins=10)
    _check_table_against_the_metrics(table, model, X, y, groups, n_bins=10)
    # The model leans on s: the groups where s disagrees with y are the worst.
    assert table.loc["worst group", "accuracy"] < table.loc["average", "accuracy"]
    assert table["samples"].dtype.kind == "i"


def test_group_scores_of_a_network_agree_with_the_metrics():
    X, y = make_lms(200, 4, random_state=0)
    net = SBNetClassifier(module__width=8, max_epochs=2, batch_size=64, device="cpu",
                          random_state=0).fit(X, y)
    groups = np.where(y == 1, "positive", "negative")
    _check_table_against_the_metrics(group_scores(net, X, y, groups), net, X, y, groups)


def test_group_scores_ravel_a_column_y_with_a_warning(shifted_data):
    X, y, groups = shifted_data
    model = LogisticRegression().fit(X, y)
    with pytest.warns(DataConversionWarning):
        table = group_scores(model, X, y.reshape(-1, 1), groups)
    assert table.equals(group_scores(model, X, y, groups))


def test_group_scores_reject_groups_of_another_length(shifted_data):
    X, y, groups = shifted_data
    model = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="one entry per row; got 120 in X, 119 in groups"):
        group_scores(model, X, y, groups[1:])


# -- scorers --------------------------------------------------------------------------


def _by_hand(X, y, groups, cv, model, metric):
    """The metric of a model refitted on each training fold, on the test fold."""
    scores = []
    for train, test in cv.split(X, y):
        fitted = clone(model).fit(X[train], y[train])
        scores.append(metric(fitted, X[test], y[test], groups[test]))
    return np.array(scores)


def _wga(model, X, y, groups):
    return worst_group_accuracy(y, model.predict(X), groups=groups)


def _balanced(model, X, y, groups):
    return group_balanced_accuracy(y, model.predict(X), groups=groups)


def _neg_ece(model, X, y, groups):
    return -expected_calibration_error(y, model.predict_proba(X), n_bins=5)


def test_group_scorers_in_cross_validate_with_metadata_routing(shifted_data):
    X, y, groups = shifted_data
    cv = KFold(3, shuffle=True, random_state=0)
    scoring = {
        "worst": make_group_scorer("worst_group_accuracy"),
        "balanced": make_group_scorer("group_balanced_accuracy"),
        "ece": make_group_scorer("expected_calibration_error", n_bins=5),
    }
    with sklearn.config_context(enable_metadata_routing=True):
        result = cross_validate(LogisticRegression(), X, y, cv=cv, scoring=scoring,
                                params={"groups": groups})
    for name, metric in [("worst", _wga), ("balanced", _balanced), ("ece", _neg_ece)]:
        expected = _by_hand(X, y, groups, cv, LogisticRegression(), metric)
        np.testing.assert_allclose(result[f"test_{name}"], expected)
    assert np.all(result["test_ece"] < 0)


def test_a_group_scorer_in_a_grid_search_with_metadata_routing(shifted_data):
    X, y, groups = shifted_data
    cv = KFold(3, shuffle=True, random_state=0)
    grid = {"C": [0.01, 1.0]}
    with sklearn.config_context(enable_metadata_routing=True):
        search = GridSearchCV(LogisticRegression(), grid, cv=cv,
                              scoring=make_group_scorer("worst_group_accuracy"))
        search.fit(X, y, groups=groups)
    expected = [_by_hand(X, y, groups, cv, LogisticRegression(C=C), _wga).mean()
                for C in grid["C"]]
    np.testing.assert_allclose(search.cv_results_["mean_test_score"], expected)


def test_a_group_scorer_called_directly_takes_the_groups(shifted_data):
    X, y, groups = shifted_data
    model = LogisticRegression().fit(X, y)
    for name, metric in [("worst_group_accuracy", _wga), ("group_balanced_accuracy", _balanced)]:
        scorer = make_group_scorer(name)
        assert scorer(model, X, y, groups=groups) == pytest.approx(metric(model, X, y, groups))
    with pytest.raises(ValueError, match="needs the groups.*enable_metadata_routing"):
        make_group_scorer("worst_group_accuracy")(model, X, y)


def test_a_group_scorer_of_a_callable_passes_the_groups_and_options(shifted_data):
    X, y, groups = shifted_data
    model = LogisticRegression().fit(X, y)

    def accuracy_of(y_true, y_pred, *, groups, group):
        rows = groups == group
        return np.mean(y_true[rows] == y_pred[rows])

    scorer = make_group_scorer(accuracy_of, group=1)
    rows = groups == 1
    assert scorer(model, X, y, groups=groups) == pytest.approx(
        np.mean(model.predict(X[rows]) == y[rows])
    )


@pytest.mark.parametrize("n_classes", [2, 3])
def test_the_ece_scorer_scores_a_fold_without_some_class(n_classes):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 2))
    y = np.arange(60) % n_classes
    model = LogisticRegression().fit(X, y)
    fold = y == 1
    score = make_group_scorer("expected_calibration_error")(model, X[fold], y[fold])
    assert score == pytest.approx(
        -expected_calibration_error(y[fold], model.predict_proba(X[fold]), labels=model.classes_)
    )
    assert score < 0


def test_make_group_scorer_lists_the_names_of_an_unknown_metric():
    with pytest.raises(InvalidParameterError, match="worst_group_accuracy.*Got 'accuracy'"):
        make_group_scorer("accuracy")


def test_make_group_scorer_rejects_arguments_the_call_gives():
    with pytest.raises(ValueError, match="drop labels="):
        make_group_scorer("expected_calibration_error", labels=[0, 1])
    with pytest.raises(ValueError, match="drop groups="):
        make_group_scorer("worst_group_accuracy", groups=[0, 1])
