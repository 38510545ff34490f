"""Per-example PGD and delta-robust accuracy."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_validate
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_sb import SBNetClassifier
from sklearn_sb.adversarial import make_robust_accuracy_scorer, pgd_perturb, robust_accuracy_score


def test_pgd_breaks_an_fcn_at_l2_eps_1(fcn_200_1, lms):
    _, _, X_test, _, y_test = lms
    assert fcn_200_1.score(X_test, y_test) >= 0.99
    assert robust_accuracy_score(fcn_200_1, X_test, y_test, eps=1.0, random_state=0) <= 0.05


@pytest.mark.parametrize("norm, order", [(2, 2), ("inf", np.inf)])
def test_perturbations_stay_in_the_ball(fcn_200_1, lms, norm, order):
    _, _, X_test, _, y_test = lms
    X_adv = pgd_perturb(fcn_200_1, X_test[:500], y_test[:500], eps=0.3, norm=norm,
                        random_state=0)
    sizes = np.linalg.norm(X_adv - X_test[:500], ord=order, axis=1)
    assert sizes.max() <= 0.3 + 1e-5
    assert sizes.max() >= 0.3 - 1e-3  # the attack uses its budget


def test_bounds_are_respected(fcn_200_1, lms):
    _, _, X_test, _, y_test = lms
    low, high = X_test.min() - 0.01, X_test.max() + 0.01
    X_adv = pgd_perturb(fcn_200_1, X_test[:300], y_test[:300], eps=2.0, bounds=(low, high),
                        random_state=0)
    assert X_adv.min() >= low - 1e-6 and X_adv.max() <= high + 1e-6


def test_same_seed_same_examples(fcn_200_1, lms):
    _, _, X_test, _, y_test = lms
    first = pgd_perturb(fcn_200_1, X_test[:200], y_test[:200], eps=0.5, random_state=3)
    second = pgd_perturb(fcn_200_1, X_test[:200], y_test[:200], eps=0.5, random_state=3)
    np.testing.assert_array_equal(first, second)


def test_robust_accuracy_scorer_in_cross_validate(lms):
    _, X_train, _, y_train, _ = lms
    scores = cross_validate(
        SBNetClassifier(module__width=50, max_epochs=10, random_state=0),
        X_train[:3000], y_train[:3000], cv=3,
        scoring={"accuracy": "accuracy", "robust": make_robust_accuracy_scorer(eps=1.0)},
    )
    assert np.all(scores["test_accuracy"] > 0.8)
    assert np.all(scores["test_robust"] < scores["test_accuracy"] - 0.5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(eps=0), "'eps'"),
        (dict(eps=-1.0), "'eps'"),
        (dict(eps=1.0, norm=3), "'norm'"),
        (dict(eps=1.0, norm="l1"), "'norm'"),
        (dict(eps=1.0, bounds=(1.0, 0.0)), "'bounds'"),
        (dict(eps=1.0, n_iter=0), "'n_iter'"),
    ],
)
def test_bad_options_raise_naming_the_parameter(fcn_200_1, lms, kwargs, match):
    _, _, X_test, _, y_test = lms
    with pytest.raises(InvalidParameterError, match=match):
        pgd_perturb(fcn_200_1, X_test[:10], y_test[:10], **kwargs)


def test_estimators_without_a_torch_module_are_refused(lms):
    _, X_train, _, y_train, _ = lms
    model = LogisticRegression().fit(X_train, y_train)
    with pytest.raises(TypeError, match="torch modules"):
        pgd_perturb(model, X_train[:10], y_train[:10], eps=1.0)


def test_unfitted_estimators_are_refused(lms):
    from sklearn.exceptions import NotFittedError

    _, X_train, _, y_train, _ = lms
    with pytest.raises(NotFittedError):
        pgd_perturb(SBNetClassifier(), X_train[:10], y_train[:10], eps=1.0)
