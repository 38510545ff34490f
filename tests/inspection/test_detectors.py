"""in_distribution_scores: the formulas of the output-based shift detectors."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from sklearn_sb import make_lms
from sklearn_sb.inspection import in_distribution_scores

class FixedLogits(ClassifierMixin, BaseEstimator):
    """A 'model' whose logits on row i are ``logits[i]``, whatever X holds."""

    def __init__(self, logits):
        self.logits = logits

    def fit(self, X=None, y=None):
        self.classes_ = np.arange(np.shape(self.logits)[1])
        return self

    def predict_logits(self, X):
        return np.asarray(self.logits, dtype=np.float32)[: len(X)]


def _scores(logits, **params):
    model = FixedLogits(logits).fit()
    return in_distribution_scores(model, np.zeros((len(logits), 1)), **params)


def test_max_softmax_on_a_hand_computed_example():
    # softmax([2, 0]) = [e^2, 1] / (e^2 + 1); softmax([0, 0]) = [1/2, 1/2].
    scores = _scores([[0.0, 0.0], [2.0, 0.0], [0.0, -2.0]])
    np.testing.assert_allclose(scores, [0.5, np.e**2 / (np.e**2 + 1), np.e**2 / (np.e**2 + 1)])


def test_energy_on_a_hand_computed_example():
    # T log(e^{a/T} + e^{b/T}): log 2 for [0, 0], 1 + log 2 for [1, 1], and
    # 2 log(e + e^-1) for [2, -2] at T = 2.
    np.testing.assert_allclose(_scores([[0.0, 0.0], [1.0, 1.0]], detector="energy"),
                               [np.log(2), 1 + np.log(2)])
    np.testing.assert_allclose(_scores([[2.0, -2.0]], detector="energy", temperature=2.0),
                               [2 * np.log(np.e + 1 / np.e)])


def test_max_logit_is_the_largest_logit_at_any_temperature():
    logits = [[0.5, -3.0, 1.5], [-2.0, -1.0, -7.0]]
    for temperature in (0.1, 1.0, 10.0):
        np.testing.assert_allclose(
            _scores(logits, detector="max_logit", temperature=temperature), [1.5, -1.0]
        )


def test_temperature_flattens_the_softmax():
    # softmax([3, 0] / 3) = softmax([1, 0]).
    np.testing.assert_allclose(_scores([[3.0, 0.0]], temperature=3.0), [np.e / (np.e + 1)])
    sharp, flat = (_scores([[3.0, 0.0]], temperature=t)[0] for t in (0.5, 5.0))
    assert sharp > flat > 0.5


@pytest.mark.parametrize("n_classes", [2, 3, 10])
def test_max_softmax_lies_between_one_over_the_classes_and_one(n_classes):
    logits = np.random.RandomState(0).normal(scale=20, size=(500, n_classes))
    logits[0] = 0.0
    scores = _scores(logits)
    assert scores.min() == pytest.approx(1 / n_classes)
    assert np.all((1 / n_classes <= scores + 1e-12) & (scores <= 1.0))


def test_large_logits_do_not_overflow():
    scores = {d: _scores([[1e4, -1e4]], detector=d)[0]
              for d in ("max_softmax", "energy", "max_logit")}
    assert scores == {"max_softmax": 1.0, "energy": 1e4, "max_logit": 1e4}


def test_scores_are_float64_per_row():
    scores = _scores([[1.0, 0.0], [0.0, 1.0], [5.0, 0.0]], detector="energy")
    assert scores.shape == (3,) and scores.dtype == np.float64


def test_a_model_with_only_predict_proba_gets_max_softmax_from_its_probabilities():
    X, y = make_lms(500, 6, random_state=0)
    model = LogisticRegression().fit(X, y)
    np.testing.assert_allclose(in_distribution_scores(model, X),
                               model.predict_proba(X).max(axis=1))
    # log p is the logits up to a shift of each row: the temperature acts as on logits.
    logits = np.c_[np.zeros(len(X)), model.decision_function(X)]
    np.testing.assert_allclose(in_distribution_scores(model, X, temperature=4.0),
                               _scores(logits, temperature=4.0), rtol=1e-5)


@pytest.mark.parametrize("detector", ["energy", "max_logit"])
def test_logit_detectors_need_predict_logits(detector):
    X, y = make_lms(100, 4, random_state=0)
    with pytest.raises(ValueError, match="has no predict_logits; use detector='max_softmax'"):
        in_distribution_scores(LogisticRegression().fit(X, y), X, detector=detector)


def test_an_unfitted_model_is_refused():
    with pytest.raises(NotFittedError):
        in_distribution_scores(LogisticRegression(), np.zeros((2, 3)))
