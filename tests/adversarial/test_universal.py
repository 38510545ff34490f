"""Universal perturbations go where the model looks, and break it."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_sb import SBNetClassifier, make_slabs
from sklearn_sb.adversarial import UniversalPerturbation
from sklearn_sb.inspection import coordinatewise_randomized_scores


@pytest.mark.parametrize("method", ["sgd", "svd"])
def test_uap_at_l2_eps_1_breaks_the_lms_fcn_through_s(fcn_200_1, lms, method):
    data, X_train, X_test, y_train, y_test = lms
    uap = UniversalPerturbation(fcn_200_1, eps=1.0, method=method, random_state=0)
    uap.fit(X_train[:5000], y_train[:5000])
    assert uap.accuracy_ <= 0.10
    assert Pipeline([("uap", uap), ("net", fcn_200_1)]).score(X_test, y_test) <= 0.10
    assert uap.budget_fraction(data) >= 0.95
    assert uap.budget_fraction(data.simple_features, data.rotation) == uap.budget_fraction(data)


@pytest.mark.parametrize("method", ["sgd", "svd"])
@pytest.mark.parametrize("norm, order", [(2, 2), ("inf", np.inf)])
def test_norm_is_within_eps(fcn_200_1, lms, method, norm, order):
    _, X_train, _, y_train, _ = lms
    uap = UniversalPerturbation(fcn_200_1, eps=0.4, norm=norm, method=method, random_state=0)
    size = np.linalg.norm(uap.fit(X_train[:2000], y_train[:2000]).perturbation_, ord=order)
    assert size <= 0.4 + 1e-6
    if method == "svd":
        assert size == pytest.approx(0.4, rel=1e-5)


def test_transform_signs_by_prediction_and_respects_bounds(fcn_200_1, lms):
    _, X_train, X_test, y_train, _ = lms
    bounds = (min(X_train.min(), X_test.min()), max(X_train.max(), X_test.max()))
    uap = UniversalPerturbation(fcn_200_1, eps=1.0, bounds=bounds, random_state=0)
    X_new = uap.fit(X_train[:2000], y_train[:2000]).transform(X_test)
    assert X_new.min() >= bounds[0] - 1e-6 and X_new.max() <= bounds[1] + 1e-6
    unclipped = UniversalPerturbation(fcn_200_1, eps=1.0, random_state=0)
    shift = unclipped.fit(X_train[:2000], y_train[:2000]).transform(X_test) - X_test
    signs = np.where(fcn_200_1.predict(X_test) == 1, 1.0, -1.0)
    np.testing.assert_allclose(shift, signs[:, None] * unclipped.perturbation_, atol=1e-5)


def test_unsigned_uap_adds_the_same_vector_to_every_row(fcn_200_1, lms):
    _, X_train, X_test, y_train, _ = lms
    uap = UniversalPerturbation(fcn_200_1, eps=1.0, label_signed=False, random_state=0)
    shift = uap.fit(X_train[:2000], y_train[:2000]).transform(X_test) - X_test
    np.testing.assert_allclose(shift, np.broadcast_to(uap.perturbation_, shift.shape), atol=1e-5)
    # One direction can only push one class across a linear boundary.
    assert 0.3 <= uap.fooling_rate_ <= 0.55


@pytest.mark.parametrize("method", ["sgd", "svd"])
def test_same_seed_same_perturbation(fcn_200_1, lms, method):
    _, X_train, _, y_train, _ = lms
    first = UniversalPerturbation(fcn_200_1, method=method, random_state=1).fit(
        X_train[:1000], y_train[:1000]).perturbation_
    second = UniversalPerturbation(fcn_200_1, method=method, random_state=1).fit(
        X_train[:1000], y_train[:1000]).perturbation_
    np.testing.assert_array_equal(first, second)


def test_clone_and_get_params_with_a_frozen_network(fcn_200_1, lms):
    _, X_train, _, y_train, _ = lms
    uap = UniversalPerturbation(FrozenEstimator(fcn_200_1), eps=1.0)
    assert uap.get_params()["eps"] == 1.0
    copy = clone(uap)
    copy.fit(X_train[:1000], y_train[:1000])
    assert copy.accuracy_ < 0.1


@pytest.mark.parametrize(
    "params, error, match",
    [
        (dict(eps=0.0), InvalidParameterError, "'eps'"),
        (dict(norm="l1"), InvalidParameterError, "'norm'"),
        (dict(method="deepfool"), InvalidParameterError, "'method'"),
        (dict(bounds=(1, 1)), InvalidParameterError, "'bounds'"),
    ],
)
def test_bad_options(fcn_200_1, lms, params, error, match):
    _, X_train, _, y_train, _ = lms
    with pytest.raises(error, match=match):
        UniversalPerturbation(fcn_200_1, **params).fit(X_train[:100], y_train[:100])


def test_unfitted_or_non_torch_estimators(lms):
    from sklearn.exceptions import NotFittedError
    from sklearn.linear_model import LogisticRegression

    _, X_train, _, y_train, _ = lms
    with pytest.raises(NotFittedError):
        UniversalPerturbation(SBNetClassifier()).fit(X_train[:100], y_train[:100])
    model = LogisticRegression().fit(X_train, y_train)
    with pytest.raises(TypeError, match="torch modules"):
        UniversalPerturbation(model).fit(X_train[:100], y_train[:100])


def test_ms57_uap_spends_its_budget_on_the_5_slab_coordinate():
    data = make_slabs(110_000, 50, n_slabs=(5, 7), random_state=0, return_X_y=False)
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=10_000, random_state=0
    )
    net = SBNetClassifier(
        module__width=100, module__depth=2, optimizer__weight_decay=5e-5, max_epochs=60,
        target_accuracy=0.9999, random_state=0,
    ).fit(X_train, y_train)
    for method in ("sgd", "svd"):
        uap = UniversalPerturbation(net, eps=0.5, method=method, random_state=0)
        uap.fit(X_train[:10_000], y_train[:10_000])
        assert uap.budget_fraction([0], data.rotation) >= 0.9
        assert net.score(uap.transform(X_test), y_test) <= 0.15


def test_ms5_uap_concentrates_on_the_coordinate_the_model_depends_on():
    data = make_slabs(60_000, 20, n_slabs=5, random_state=0, return_X_y=False)
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=10_000, random_state=0
    )
    net = SBNetClassifier(module__width=100, module__depth=2, max_epochs=40,
                          target_accuracy=0.999, random_state=0).fit(X_train, y_train)
    reliance = coordinatewise_randomized_scores(
        net, X_test, y_test, rotation=data, n_repeats=2, random_state=0
    ).importances_mean
    uap = UniversalPerturbation(net, eps=0.5, random_state=0).fit(X_train[:10_000], y_train[:10_000])
    unrotated = uap.perturbation_ @ data.rotation.T
    assert int(np.argmax(np.abs(unrotated))) == int(np.argmax(reliance))
