"""DFR's l1 logistic regression: liblinear's objective, minimized by L-BFGS-B."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from sklearn_sb.mitigation._l1_logistic import l1_logistic


@pytest.fixture(scope="module")
def problem():
    rng = np.random.RandomState(0)
    X = rng.randn(400, 12)
    logits = X[:, 0] * 2 - X[:, 1] + 0.5 + rng.randn(400)
    return X, logits > 0


def _objective(X, positive, C, coef, intercept):
    """liblinear's: the intercept is a weight of a constant feature, penalized too."""
    sign = np.where(positive, 1.0, -1.0)
    margins = sign * (X @ coef + intercept)
    return C * np.logaddexp(0, -margins).sum() + np.abs(coef).sum() + abs(intercept)


@pytest.mark.parametrize("C", [1.0, 0.1, 0.01])
def test_the_minimum_is_liblinears(problem, C):
    X, positive = problem
    coef, intercept, converged = l1_logistic(X, positive, C)
    assert converged
    # As low as liblinear with its default tolerance (the authors' setting),
    # and as close to the exact minimum.
    ours = _objective(X, positive, C, coef, intercept)
    default = LogisticRegression(l1_ratio=1.0, C=C, solver="liblinear").fit(X, positive)
    theirs = _objective(X, positive, C, default.coef_[0], default.intercept_[0])
    assert ours <= theirs + 1e-6 * abs(theirs)
    exact = LogisticRegression(l1_ratio=1.0, C=C, solver="liblinear", tol=1e-10,
                               max_iter=10_000).fit(X, positive)
    ours_error = np.abs(coef - exact.coef_[0]).max()
    assert ours_error <= max(2 * np.abs(default.coef_[0] - exact.coef_[0]).max(), 1e-4)


def test_weights_the_penalty_removes_are_exactly_zero(problem):
    X, positive = problem
    coef, _, _ = l1_logistic(X, positive, 0.05)
    assert np.count_nonzero(coef == 0) >= 8
    assert coef[0] > 0 > coef[1]


def test_a_start_near_the_solution_gives_the_same_solution(problem):
    X, positive = problem
    coef, intercept, _ = l1_logistic(X, positive, 0.3)
    warm = l1_logistic(X, positive, 0.3, start=np.append(coef * 1.1, intercept))
    np.testing.assert_allclose(warm[0], coef, atol=1e-3)
