"""JTTClassifier: train once, then again with the first network's errors up-sampled."""

import warnings

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator

from sklearn_sb import make_lms
from sklearn_sb.mitigation import JTTClassifier, SpectralDecoupling, make_method
from sklearn_sb.mitigation._upsampling import upsampled_rows
from sklearn_sb.utils._param_validation import InvalidParameterError
from sklearn_sb.utils._random import draw_seed

from ._recording import recorded, recording_net

# The benchmark's optimizer (SGD, momentum 0.9, lr 0.05) on a small network.
NET = dict(module__width=32, max_epochs=8, lr=0.05, optimizer__momentum=0.9, device="cpu")


def net(**params):
    return recording_net(NET, **params)


def weights(network):
    return [p.detach().clone() for p in network.module_.parameters()]


def same_weights(a, b):
    return all(torch.equal(p, q) for p, q in zip(weights(a), weights(b)))


@pytest.fixture(scope="module")
def minority():
    """LMS-5 where S points to the other label on 10 % of the rows (groups 1 and 2)."""
    return make_lms(2000, 6, correlation=0.9, random_state=0, return_X_y=False)


@pytest.fixture(scope="module")
def jtt(minority):
    return JTTClassifier(net(), identification_epochs=4, upweight=5,
                         random_state=0).fit(minority.X, minority.y)


# -- the error set and the up-sampled training set ------------------------------------


def test_the_identification_network_trains_for_identification_epochs(jtt):
    identification, final = jtt.estimators_
    assert jtt.identification_epochs_ == 4
    assert len(identification.history_) == 4
    assert len(final.history_) == NET["max_epochs"]


def test_the_error_set_is_exactly_the_identification_networks_training_errors(minority, jtt):
    identification = jtt.estimators_[0]
    wrong = np.flatnonzero(identification.predict(minority.X) != minority.y)
    assert len(wrong) > 0
    np.testing.assert_array_equal(jtt.error_set_, wrong)


def test_early_on_the_error_set_is_the_minority_group(minority, jtt):
    # After 4 epochs (32 steps) the network uses S, which the minority contradicts.
    in_minority = np.isin(minority.groups, (1, 2))
    assert in_minority[jtt.error_set_].mean() > 0.9
    assert np.isin(np.flatnonzero(in_minority), jtt.error_set_).mean() > 0.9


def test_each_error_is_upweight_times_in_the_final_training_set(minority, jtt):
    counts = jtt.upsampling_counts_
    assert counts.dtype.kind == "i" and counts.shape == (len(minority.X),)
    assert set(counts[jtt.error_set_]) == {5}
    assert counts.sum() == len(minority.X) + 4 * len(jtt.error_set_)
    assert np.all(np.delete(counts, jtt.error_set_) == 1)


def test_the_final_network_trained_on_the_upsampled_rows(minority, jtt):
    rows, labels = recorded(jtt.estimators_[1])
    expected = upsampled_rows(jtt.upsampling_counts_)
    assert len(rows) == len(minority.X) + 4 * len(jtt.error_set_)
    np.testing.assert_array_equal(rows, minority.X[expected].astype(np.float32))
    np.testing.assert_array_equal(labels, minority.y[expected])
    # Each training row appears as many times as its count says.
    seen, times = np.unique(rows, axis=0, return_counts=True)
    position = {row.tobytes(): i for i, row in enumerate(minority.X.astype(np.float32))}
    counted = np.zeros(len(minority.X), dtype=int)
    counted[[position[row.tobytes()] for row in seen]] = times
    np.testing.assert_array_equal(counted, jtt.upsampling_counts_)


def test_the_identification_network_trained_on_the_training_rows_once(minority, jtt):
    rows, _ = recorded(jtt.estimators_[0])
    np.testing.assert_array_equal(rows, minority.X.astype(np.float32))


def test_the_final_network_predicts(minority, jtt):
    final = jtt.estimators_[1]
    assert (jtt.selected_, jtt.selection_) == (1, "last member")
    assert jtt.selected_estimator_ is final
    assert jtt.predicting_estimators_ == [final]
    np.testing.assert_allclose(jtt.predict_logits(minority.X[:20]),
                               final.predict_logits(minority.X[:20]))
    assert jtt.side_information_ == ("none",)
    assert jtt.torch_model().modules == [final.module_]


# -- no training error: ERM -----------------------------------------------------------


@pytest.fixture(scope="module")
def separable():
    """Unrotated LMS-5 at 100 % correlation: S separates the classes on every row."""
    return make_lms(1000, 6, rotate=False, margin=0.2, random_state=0)


def test_without_training_errors_jtt_is_erm_without_a_warning(separable):
    X, y = separable
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        jtt = JTTClassifier(net(), identification_epochs=8, random_state=0).fit(X, y)
    assert jtt.error_set_.shape == (0,)
    assert np.all(jtt.upsampling_counts_ == 1)
    final_seed = draw_seed(0, size=2)[1]
    erm = clone(net()).set_params(random_state=int(final_seed)).fit(X, y)
    assert same_weights(jtt.estimators_[1], erm)
    np.testing.assert_array_equal(jtt.predict(X), erm.predict(X))


def test_upweight_1_is_erm_whatever_the_errors(minority):
    jtt = JTTClassifier(net(), identification_epochs=1, upweight=1,
                        random_state=0).fit(minority.X, minority.y)
    assert len(jtt.error_set_) > 0 and np.all(jtt.upsampling_counts_ == 1)
    erm = net(random_state=int(draw_seed(0, size=2)[1])).fit(minority.X, minority.y)
    assert same_weights(jtt.estimators_[1], erm)


# -- parameters -----------------------------------------------------------------------


@pytest.mark.parametrize("share, epochs", [(0.25, 2), (0.5, 4), (0.01, 1)])
def test_a_float_identification_epochs_is_a_share_of_the_templates_epochs(
        separable, share, epochs):
    X, y = separable
    jtt = JTTClassifier(net(), identification_epochs=share, upweight=1,
                        random_state=0).fit(X[:300], y[:300])
    assert jtt.identification_epochs_ == epochs
    assert len(jtt.estimators_[0].history_) == epochs


def test_the_same_random_state_gives_the_same_networks(minority):
    X, y = minority.X[:600], minority.y[:600]
    fit = lambda seed: JTTClassifier(net(max_epochs=3), identification_epochs=1,  # noqa: E731
                                     upweight=3, random_state=seed).fit(X, y)
    a, b, c = fit(0), fit(0), fit(1)
    assert all(same_weights(p, q) for p, q in zip(a.estimators_, b.estimators_))
    np.testing.assert_array_equal(a.error_set_, b.error_set_)
    assert not same_weights(a.estimators_[1], c.estimators_[1])


def test_the_two_networks_have_different_seeds(minority):
    jtt = JTTClassifier(net(max_epochs=2), identification_epochs=2, upweight=1,
                        random_state=0).fit(minority.X[:300], minority.y[:300])
    identification, final = jtt.estimators_
    assert identification.random_state != final.random_state
    assert not same_weights(identification, final)


@pytest.mark.parametrize("params, match", [
    ({"identification_epochs": 0}, "identification_epochs"),
    ({"identification_epochs": 1.0}, "identification_epochs"),
    ({"identification_epochs": -0.5}, "identification_epochs"),
    ({"upweight": 0}, "upweight"),
    ({"upweight": 2.5}, "upweight"),
])
def test_invalid_parameters_are_refused(separable, params, match):
    with pytest.raises(InvalidParameterError, match=match):
        JTTClassifier(net(), **params).fit(*separable)


def test_a_template_with_a_training_method_is_refused(separable):
    template = net(method=SpectralDecoupling())
    with pytest.raises(ValueError, match="without a method"):
        JTTClassifier(template).fit(*separable)


def test_a_fitted_frozen_network_is_refused(separable):
    frozen = FrozenEstimator(net(max_epochs=1).fit(*separable))
    with pytest.raises(ValueError, match="max_epochs"):
        JTTClassifier(frozen).fit(*separable)


def test_one_class_is_refused(separable):
    X, _ = separable
    with pytest.raises(ValueError, match="at least two classes"):
        JTTClassifier(net()).fit(X[:30], np.zeros(30))


def test_three_classes_have_one_error_set(separable):
    X, _ = separable
    y = np.arange(len(X)) % 3  # labels unrelated to X: many training errors
    jtt = JTTClassifier(net(max_epochs=2), identification_epochs=1, upweight=2,
                        random_state=0).fit(X, y)
    np.testing.assert_array_equal(
        jtt.error_set_, np.flatnonzero(jtt.estimators_[0].predict(X) != y))
    assert list(jtt.classes_) == [0, 1, 2] and jtt.predict_proba(X[:5]).shape == (5, 3)


def test_registered_as_jtt_and_applied_to_a_network():
    method = make_method("jtt", upweight=6)
    assert isinstance(method, JTTClassifier) and method.upweight == 6
    model = method.apply_to(net(max_epochs=3))
    assert isinstance(model, JTTClassifier) and model.estimator.max_epochs == 3


def test_default_parameters():
    jtt = JTTClassifier()
    assert (jtt.identification_epochs, jtt.upweight) == (0.1, 6)
    assert jtt.accepted_side_data() == []


def test_the_benchmark_is_told_it_acts_on_minority_groups_only():
    assert JTTClassifier.needs_minority_groups
