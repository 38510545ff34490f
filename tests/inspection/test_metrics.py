"""The fast accuracy and ROC AUC equal scikit-learn's."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import get_scorer, roc_auc_score

from sklearn_sb import SBNetClassifier
from sklearn_sb.inspection._metrics import binary_roc_auc, fast_metric


@pytest.mark.parametrize("decimals", [0, 1, 3, None])
def test_binary_roc_auc_matches_sklearn_with_and_without_ties(decimals):
    rng = np.random.RandomState(0)
    y = rng.randint(0, 2, 5000)
    scores = rng.randn(5000) + y
    if decimals is not None:
        scores = np.round(scores, decimals)
    assert binary_roc_auc(y == 1, scores) == pytest.approx(roc_auc_score(y, scores), abs=1e-12)


@pytest.mark.parametrize(
    "scores, y",
    [
        ([0.0, 1.0, 2.0, 3.0], [0, 0, 1, 1]),  # every positive above every negative
        ([2.0, 3.0, 0.0, 1.0], [0, 0, 1, 1]),  # every positive below
        ([1.0, 1.0, 1.0, 1.0], [0, 1, 0, 1]),  # all tied
        ([5.0, 0.0, 5.0, 5.0, 1.0], [1, 0, 0, 1, 1]),  # the top score tied across classes
    ],
)
def test_binary_roc_auc_matches_sklearn_at_the_extremes(scores, y):
    scores, y = np.asarray(scores), np.asarray(y)
    assert binary_roc_auc(y == 1, scores) == pytest.approx(roc_auc_score(y, scores), abs=1e-12)


def test_infinite_scores_are_ordered_and_tied_like_any_other():
    # Pairs (positive, negative): (0, -inf) 1, (0, inf) 0, (inf, -inf) 1, (inf, inf) 1/2.
    positive = np.array([False, True, True, False])
    assert binary_roc_auc(positive, np.array([-np.inf, 0.0, np.inf, np.inf])) == 2.5 / 4


def test_binary_roc_auc_refuses_nan_scores_and_a_single_class():
    with pytest.raises(ValueError, match="NaN"):
        binary_roc_auc(np.array([True, False]), np.array([np.nan, 0.0]))
    with pytest.raises(ValueError, match="both classes"):
        binary_roc_auc(np.array([True, True]), np.array([1.0, 0.0]))


@pytest.mark.parametrize("metric", ["accuracy", "roc_auc"])
@pytest.mark.parametrize("labels", [(0, 1), ("no", "yes")])
def test_fast_metrics_match_sklearn_scorers(metric, labels, lms_data):
    y = np.asarray(labels)[lms_data.y]
    for model in (
        LogisticRegression(C=0.01).fit(lms_data.X, y),
        SBNetClassifier(module__width=8, max_epochs=1, random_state=0).fit(lms_data.X, y),
    ):
        fast = fast_metric(metric, model)
        expected = get_scorer(metric)(model, lms_data.X, y)
        assert fast(model, lms_data.X, y) == pytest.approx(expected, abs=1e-6)


def test_no_fast_path_for_other_metrics_or_multiclass(lms_data):
    model = LogisticRegression().fit(lms_data.X, np.arange(len(lms_data.y)) % 3)
    assert fast_metric("roc_auc", model) is None
    assert fast_metric("neg_log_loss", model) is None
