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
