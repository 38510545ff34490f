"""randomized_scores and coordinatewise_randomized_scores."""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_sb import make_lms, make_slabs
from sklearn_sb.inspection import coordinatewise_randomized_scores, randomized_scores


def test_table_layout(simple_rule, lms_data):
    table = randomized_scores(simple_rule, lms_data.X, lms_data.y, simple_features=lms_data)
    assert list(table.index) == ["standard", "S-randomized", "S^c-randomized"]
    assert list(table.columns) == [
        "accuracy_mean", "accuracy_std", "roc_auc_mean", "roc_auc_std"
    ]
    assert table.loc["standard", "roc_auc_std"] == 0


def test_model_reading_only_s(simple_rule, lms_data):
    table = randomized_scores(
        simple_rule, lms_data.X, lms_data.y, simple_features=lms_data, random_state=0
    )
    assert 0.45 <= table.loc["S-randomized", "roc_auc_mean"] <= 0.55
    assert table.loc["S^c-randomized", "roc_auc_mean"] == table.loc["standard", "roc_auc_mean"]


def test_model_reading_only_s_complement(complex_rule, lms_data):
    table = randomized_scores(
        complex_rule, lms_data.X, lms_data.y, simple_features=[0],
        rotation=lms_data.rotation, random_state=0,
    )
    assert 0.45 <= table.loc["S^c-randomized", "roc_auc_mean"] <= 0.55
    assert table.loc["S-randomized", "roc_auc_mean"] == table.loc["standard", "roc_auc_mean"]


def test_logistic_regression_relies_on_s(lms_data):
    model = LogisticRegression().fit(lms_data.X, lms_data.y)
    table = randomized_scores(model, lms_data.X, lms_data.y, simple_features=lms_data,
                              random_state=0)
    assert 0.45 <= table.loc["S-randomized", "roc_auc_mean"] <= 0.55
    assert table.loc["S^c-randomized", "roc_auc_mean"] >= 0.99


def test_random_forest_scores_through_predict_proba():
    data = make_lms(4000, 10, rotate=False, random_state=0, return_X_y=False)
    forest = RandomForestClassifier(n_estimators=30, random_state=0).fit(data.X[:3000], data.y[:3000])
    table = randomized_scores(forest, data.X[3000:], data.y[3000:], simple_features=data,
                              random_state=0)
    # Trees split on single slab coordinates too: the forest is not blind to S^c.
    assert 0.6 <= table.loc["S-randomized", "roc_auc_mean"] < table.loc["standard", "roc_auc_mean"]
    assert table.loc["S^c-randomized", "roc_auc_mean"] >= 0.95


def test_same_random_state_same_table(simple_rule, lms_data):
    args = (simple_rule, lms_data.X, lms_data.y)
    first = randomized_scores(*args, simple_features=lms_data, random_state=5)
    second = randomized_scores(*args, simple_features=lms_data, random_state=5)
    assert first.equals(second)


def test_bunch_and_explicit_arguments_agree(simple_rule, lms_data):
    args = (simple_rule, lms_data.X, lms_data.y)
    from_bunch = randomized_scores(*args, simple_features=lms_data, random_state=0)
    explicit = randomized_scores(*args, simple_features=lms_data.simple_features,
                                 rotation=lms_data.rotation, random_state=0)
    assert from_bunch.equals(explicit)


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(simple_features=[10]), ValueError, "out of range"),
        (dict(simple_features=[]), ValueError, "empty"),
        (dict(simple_features=list(range(10))), ValueError, "S\\^c would be empty"),
        (dict(simple_features=[0], rotation=np.eye(3)), ValueError, "X has 10 features"),
        (dict(simple_features=[0], rotation=np.ones((10, 10))), ValueError, "not orthogonal"),
        (dict(simple_features=[0], n_repeats=0), InvalidParameterError, "n_repeats"),
    ],
)
def test_bad_arguments(simple_rule, lms_data, kwargs, error, match):
    with pytest.raises(error, match=match):
        randomized_scores(simple_rule, lms_data.X, lms_data.y, **kwargs)


def test_dataset_and_rotation_together_are_refused(simple_rule, lms_data):
    with pytest.raises(ValueError, match="not both"):
        randomized_scores(simple_rule, lms_data.X, lms_data.y, simple_features=lms_data,
                          rotation=lms_data.rotation)


def test_one_class_y_for_auc_and_unfitted_estimators(simple_rule, lms_data):
    positives = lms_data.y == 1
    with pytest.raises(ValueError, match="both classes"):
        randomized_scores(simple_rule, lms_data.X[positives], lms_data.y[positives],
                          simple_features=lms_data)
    with pytest.raises(NotFittedError):
        randomized_scores(LogisticRegression(), lms_data.X, lms_data.y, simple_features=lms_data)


def test_coordinatewise_scores_find_the_coordinate_a_model_reads(simple_rule, complex_rule, lms_data):
    for model, read in ((simple_rule, 0), (complex_rule, 1)):
        result = coordinatewise_randomized_scores(
            model, lms_data.X, lms_data.y, rotation=lms_data, n_repeats=2, random_state=0
        )
        assert result.scores.shape == (10, 2)
        assert int(np.argmax(result.importances_mean)) == read
        untouched = np.delete(result.scores_mean, read)
        np.testing.assert_allclose(untouched, result.baseline_score)


def test_coordinatewise_scores_on_ms5_single_out_one_coordinate(rule_model):
    data = make_slabs(4000, 5, n_slabs=5, rotate=False, random_state=0, return_X_y=False)
    model = rule_model(np.eye(5), "complex", coordinate=3).fit(data.X, data.y)
    result = coordinatewise_randomized_scores(model, data.X, data.y, random_state=0)
    assert int(np.argmax(result.importances_mean)) == 3
