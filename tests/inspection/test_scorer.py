"""RandomizedFeatureScorer as a transformer and as a scorer."""

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer
from sklearn.model_selection import GridSearchCV, cross_validate, train_test_split
from sklearn.pipeline import make_pipeline

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.inspection import RandomizedFeatureScorer

# scikit-learn's estimator checks run over every estimator in tests/test_common.py.


def test_transform_randomizes_the_block_in_the_unrotated_basis(lms_data):
    scorer = RandomizedFeatureScorer.from_dataset(lms_data, "simple", random_state=0)
    X_new = scorer.fit_transform(lms_data.X)
    Z, Z_new = lms_data.X @ lms_data.rotation.T, X_new @ lms_data.rotation.T
    np.testing.assert_allclose(np.sort(Z_new[:, 0]), np.sort(Z[:, 0]), atol=1e-12)
    assert np.mean(np.sign(Z_new[:, 0]) == 2 * lms_data.y - 1) == pytest.approx(0.5, abs=0.05)
    np.testing.assert_allclose(Z_new[:, 1:], Z[:, 1:], atol=1e-12)


def test_transform_is_reproducible_with_random_state(lms_data):
    first = RandomizedFeatureScorer([0], random_state=3).fit_transform(lms_data.X)
    second = RandomizedFeatureScorer([0], random_state=3).fit_transform(lms_data.X)
    other = RandomizedFeatureScorer([0], random_state=4).fit_transform(lms_data.X)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


def test_from_dataset_resolves_the_simple_and_complex_blocks(lms_data):
    simple = RandomizedFeatureScorer.from_dataset(lms_data, "simple")
    complex_ = RandomizedFeatureScorer.from_dataset(lms_data, "complex")
    np.testing.assert_array_equal(simple.features, [0])
    np.testing.assert_array_equal(complex_.features, np.arange(1, 10))
    assert simple.rotation is lms_data.rotation
    with pytest.raises(ValueError, match="'simple' or 'complex'"):
        RandomizedFeatureScorer.from_dataset(lms_data, "noise")


def test_feature_names_and_pandas_output(lms_data):
    columns = [f"x{i}" for i in range(10)]
    frame = pd.DataFrame(lms_data.X, columns=columns)
    scorer = RandomizedFeatureScorer([0], rotation=lms_data.rotation, random_state=0)
    scorer.set_output(transform="pandas")
    out = scorer.fit_transform(frame)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == columns
    np.testing.assert_array_equal(scorer.get_feature_names_out(), columns)


def test_scorer_reads_simplicity_bias_of_hand_made_models(simple_rule, complex_rule, lms_data):
    X, y = lms_data.X, lms_data.y
    s_rand = RandomizedFeatureScorer.from_dataset(lms_data, "simple", random_state=0)
    c_rand = RandomizedFeatureScorer.from_dataset(lms_data, "complex", random_state=0)
    assert 0.45 <= s_rand(simple_rule, X, y) <= 0.55
    assert c_rand(simple_rule, X, y) == pytest.approx(1.0)
    assert 0.45 <= c_rand(complex_rule, X, y) <= 0.55
    assert s_rand(complex_rule, X, y) == pytest.approx(1.0)


@pytest.mark.parametrize("metric", ["accuracy", "roc_auc", "neg_log_loss", "balanced_accuracy"])
def test_any_sklearn_scorer_name(metric, lms_data):
    model = LogisticRegression().fit(lms_data.X, lms_data.y)
    scorer = RandomizedFeatureScorer.from_dataset(lms_data, metric=metric, random_state=0)
    assert np.isfinite(scorer(model, lms_data.X, lms_data.y))


@pytest.mark.parametrize("block", ["simple", "complex"])
@pytest.mark.parametrize("metric", ["accuracy", "roc_auc"])
def test_the_score_is_the_metric_on_the_transformed_data(block, metric, lms_data):
    # Holds for networks too, though their scorer randomizes straight into float32.
    X, y = lms_data.X, lms_data.y
    for model in (
        LogisticRegression(C=0.1).fit(X, y),
        SBNetClassifier(module__width=8, max_epochs=2, random_state=0).fit(X, y),
    ):
        scorer = RandomizedFeatureScorer.from_dataset(lms_data, block, metric=metric,
                                                      random_state=0)
        expected = get_scorer(metric)(model, scorer.fit_transform(X), y)
        assert scorer(model, X, y) == pytest.approx(expected, abs=1e-6)


def test_n_repeats_averages_several_randomizations(simple_rule, lms_data):
    X, y = lms_data.X, lms_data.y
    one = RandomizedFeatureScorer.from_dataset(lms_data, n_repeats=1, random_state=0)
    many = RandomizedFeatureScorer.from_dataset(lms_data, n_repeats=4, random_state=0)
    rng = np.random.RandomState(0)
    draws = []
    for _ in range(4):
        draws.append(
            RandomizedFeatureScorer.from_dataset(lms_data, random_state=rng)(simple_rule, X, y)
        )
    assert many(simple_rule, X, y) == pytest.approx(np.mean(draws))
    assert one(simple_rule, X, y) == pytest.approx(draws[0])


def test_in_cross_validate_and_grid_search(lms_data):
    X, y = lms_data.X, lms_data.y
    scoring = {
        "auc": "roc_auc",
        "s_randomized_auc": RandomizedFeatureScorer.from_dataset(lms_data, random_state=0),
        "sc_randomized_auc": RandomizedFeatureScorer.from_dataset(
            lms_data, "complex", random_state=0
        ),
    }
    scores = cross_validate(LogisticRegression(), X, y, cv=3, scoring=scoring)
    assert np.all(scores["test_s_randomized_auc"] < 0.56)
    assert np.all(scores["test_sc_randomized_auc"] > 0.99)
    grid = GridSearchCV(
        LogisticRegression(), {"C": [0.1, 1.0]}, cv=3, scoring=scoring, refit="auc"
    ).fit(X, y)
    assert "mean_test_s_randomized_auc" in grid.cv_results_


def test_fcn_shows_extreme_simplicity_bias_on_lms():
    data = make_lms(12_000, 50, random_state=0, return_X_y=False)
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=2000, random_state=0
    )
    net = SBNetClassifier(
        module__width=100, module__depth=2, max_epochs=10, target_accuracy=0.9999,
        random_state=0,
    ).fit(X_train, y_train)
    s_rand = RandomizedFeatureScorer.from_dataset(data, "simple", n_repeats=3, random_state=0)
    c_rand = RandomizedFeatureScorer.from_dataset(data, "complex", n_repeats=3, random_state=0)
    assert s_rand(net, X_test, y_test) <= 0.56
    assert c_rand(net, X_test, y_test) >= 0.99


def test_pipeline_trained_without_s_relies_on_s_complement():
    data = make_lms(110_000, 50, random_state=0, return_X_y=False)
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=10_000, random_state=0
    )
    pipe = make_pipeline(
        RandomizedFeatureScorer.from_dataset(data, "simple", random_state=0),
        SBNetClassifier(module__width=100, module__depth=2, max_epochs=30,
                        target_accuracy=0.99, random_state=0),
    ).fit(X_train, y_train)
    net = pipe[-1]
    s_rand = RandomizedFeatureScorer.from_dataset(data, "simple", random_state=0)
    c_rand = RandomizedFeatureScorer.from_dataset(data, "complex", random_state=0)
    assert c_rand(net, X_test, y_test) <= 0.56
    assert s_rand(net, X_test, y_test) >= 0.98


def test_scorer_errors(lms_data):
    X, y = lms_data.X, lms_data.y
    scorer = RandomizedFeatureScorer.from_dataset(lms_data, random_state=0)
    with pytest.raises(NotFittedError):
        scorer(LogisticRegression(), X, y)
    model = LogisticRegression().fit(X, y)
    with pytest.raises(ValueError, match="both classes"):
        scorer(model, X[y == 1], y[y == 1])
    with pytest.raises(ValueError, match="out of range"):
        RandomizedFeatureScorer([10])(model, X, y)
    with pytest.raises(ValueError, match="not orthogonal"):
        RandomizedFeatureScorer([0], rotation=2 * lms_data.rotation)(model, X, y)


def test_transform_checks_the_number_of_features(lms_data):
    scorer = RandomizedFeatureScorer([0]).fit(lms_data.X)
    with pytest.raises(ValueError, match="X has 3 features"):
        scorer.transform(lms_data.X[:, :3])
