"""A fit that fails or is interrupted leaves the estimator as it was before the call.

Every way a training can end early is tried on every estimator that trains
networks: divergence (a non-finite loss), a network that cannot be built for
the new data, an error raised by a callback, and a user's interrupt.
"""

import _thread
import signal
import threading

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback
from skorch.dataset import ValidSplit

from sklearn_sb import RandomizedFeatureScorer, SBNetClassifier, UniversalPerturbation, make_lms
from sklearn_sb.mitigation import AdversarialTraining, LogitEnsembleClassifier

NET = dict(max_epochs=3, random_state=0, device="cpu")


class FailAtEpoch(Callback):
    """Raises ``error`` at the end of epoch ``epoch``."""

    def __init__(self, epoch=2, error=RuntimeError("injected failure")):
        self.epoch = epoch
        self.error = error

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise self.error


def _estimators():
    return {
        "network": lambda **p: SBNetClassifier(**{**NET, **p}),
        "adversarial": lambda **p: SBNetClassifier(
            **{**NET, "method": AdversarialTraining(eps=0.05, norm=2), **p}),
        "ensemble": lambda **p: LogitEnsembleClassifier(
            SBNetClassifier(**{**NET, **p}), n_estimators=2, random_state=0),
    }


ESTIMATORS = _estimators()


@pytest.fixture(scope="module")
def data():
    return make_lms(600, 10, random_state=0)


def _state(estimator):
    """The fitted state: attribute names, sizes, histories and weights of every network."""
    nets = getattr(estimator, "estimators_", [estimator])
    return {
        "fitted attributes": sorted(k for k in vars(estimator) if k.endswith("_")),
        "n_features_in_": getattr(estimator, "n_features_in_", None),
        "epochs": [len(net.history) for net in nets],
        "weights": [
            {k: v.detach().cpu().numpy().copy() for k, v in net.module_.state_dict().items()}
            for net in nets if hasattr(net, "module_")
        ],
    }


def _assert_same_state(state, expected):
    weights, expected_weights = state.pop("weights"), expected.pop("weights")
    assert state == expected
    assert len(weights) == len(expected_weights)
    for net, expected_net in zip(weights, expected_weights):
        assert net.keys() == expected_net.keys()
        for name in net:
            np.testing.assert_array_equal(net[name], expected_net[name])


class AtMostTenFeatures(torch.nn.Module):
    """A linear model that refuses to be built for more than 10 features."""

    def __init__(self, n_features, n_classes=2):
        if n_features > 10:
            raise ValueError("AtMostTenFeatures takes at most 10 features")
        super().__init__()
        self.linear = torch.nn.Linear(n_features, n_classes)

    def forward(self, X):
        return self.linear(X)


def _failures(data):
    """(what fails, network parameters, parameters set before the refit, data, error)."""
    X, y = data
    X_wide = np.hstack([X, X])
    return [
        ("diverging", {}, dict(lr=1e6), (X, y), FloatingPointError),
        ("a module that cannot be built for the new data", dict(module=AtMostTenFeatures),
         {}, (X_wide, y), ValueError),
        ("a failing callback", {}, dict(callbacks=[FailAtEpoch()]), (X, y), RuntimeError),
    ]


@pytest.mark.parametrize("name", ESTIMATORS)
@pytest.mark.parametrize("case", range(3))
def test_a_failed_refit_leaves_the_previous_model(name, case, data):
    description, built_with, failing, (X_new, y_new), error = _failures(data)[case]
    X, y = data
    estimator = ESTIMATORS[name](**built_with).fit(X, y)
    before, logits = _state(estimator), estimator.predict_logits(X)
    net = estimator.estimator if name == "ensemble" else estimator
    net.set_params(**failing)
    with pytest.raises(error):
        estimator.fit(X_new, y_new)
    _assert_same_state(_state(estimator), before)
    np.testing.assert_array_equal(estimator.predict_logits(X), logits, err_msg=description)
    assert estimator.n_features_in_ == X.shape[1]


@pytest.mark.parametrize("name", ESTIMATORS)
def test_a_failed_first_fit_leaves_the_estimator_unfitted(name, data):
    X, y = data
    estimator = ESTIMATORS[name](lr=1e6)
    with pytest.raises(FloatingPointError):
        estimator.fit(X, y)
    assert not hasattr(estimator, "n_features_in_")
    with pytest.raises(NotFittedError):
        estimator.predict(X)


def test_divergence_names_the_epoch_and_suggests_a_smaller_learning_rate(data):
    with pytest.raises(FloatingPointError, match=r"nan in epoch 1.*smaller learning rate.*1000000"):
        SBNetClassifier(**{**NET, "lr": 1e6}).fit(*data)


@pytest.fixture
def ctrl_c_raises():
    """SIGINT raises KeyboardInterrupt, as at a terminal.

    A test run started as a background job has SIGINT ignored, and then
    ``_thread.interrupt_main`` does nothing: the fit below would run its
    100,000 epochs.
    """
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.parametrize("name", ESTIMATORS)
def test_an_interrupt_propagates_and_leaves_the_previous_model(name, data, ctrl_c_raises):
    X, y = data
    estimator = ESTIMATORS[name](max_epochs=2).fit(X, y)
    before = _state(estimator)
    net = estimator.estimator if name == "ensemble" else estimator
    net.set_params(max_epochs=100_000)
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            estimator.fit(X, y)
    finally:
        timer.cancel()
    _assert_same_state(_state(estimator), before)


def test_a_target_still_stops_training_early(data):
    net = SBNetClassifier(**{**NET, "max_epochs": 50, "target_accuracy": 0.9}).fit(*data)
    assert len(net.history) < 50 and net.history[-1, "target_reached"]


def test_the_same_seed_gives_the_same_validation_split_and_model(data):
    X, y = data
    fits = [SBNetClassifier(**NET, train_split=ValidSplit(5)).fit(X, y) for _ in range(2)]
    assert fits[0].history[:, "valid_acc"] == fits[1].history[:, "valid_acc"]
    np.testing.assert_array_equal(fits[0].predict_logits(X), fits[1].predict_logits(X))
    other = SBNetClassifier(**{**NET, "random_state": 1}, train_split=ValidSplit(5)).fit(X, y)
    assert not np.array_equal(other.predict_logits(X), fits[0].predict_logits(X))


def test_the_validation_split_passed_is_left_unseeded(data):
    split = ValidSplit(5)
    SBNetClassifier(**NET, train_split=split).fit(*data)
    assert split.random_state is None


def test_a_failed_refit_of_a_universal_perturbation_keeps_the_previous_one(data):
    X, y = data
    net = SBNetClassifier(**NET).fit(X, y)
    uap = UniversalPerturbation(net, eps=0.5, n_epochs=1, random_state=0).fit(X, y)
    perturbation, n_features = uap.perturbation_.copy(), uap.n_features_in_
    with pytest.raises(ValueError, match="shape"):
        uap.fit(np.hstack([X, X]), y)
    np.testing.assert_array_equal(uap.perturbation_, perturbation)
    assert uap.n_features_in_ == n_features
    uap.transform(X)


def test_a_failed_refit_of_the_scorer_keeps_the_previous_block(data):
    X, _ = data
    scorer = RandomizedFeatureScorer([15], random_state=0).fit(np.hstack([X, X]))
    with pytest.raises(ValueError, match="out of range"):
        scorer.fit(X)
    assert scorer.n_features_in_ == 2 * X.shape[1] and scorer.features_.tolist() == [15]
