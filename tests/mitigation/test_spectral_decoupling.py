"""Spectral decoupling: cross-entropy plus a penalty on the logits' norm (Pezeshki et al.)."""

import pickle

import numpy as np
import pytest
import torch
from skorch.dataset import ValidSplit
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.utils.validation import check_is_fitted

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.mitigation import SpectralDecoupling, TrainingMethod, make_method
from sklearn_sb.utils._param_validation import InvalidParameterError

# Small LMS-5, a small network on the CPU (equal seeds give equal weights):
# well under a second per fit.
OPTIONS = dict(module__width=32, max_epochs=5, batch_size=100, device="cpu", random_state=0)


@pytest.fixture(scope="module")
def data():
    return make_lms(1000, 10, random_state=0)


def _logit_norm(net, X):
    return float(np.linalg.norm(net.predict_logits(X), axis=1).mean())


def _weights(net):
    return [p.detach().numpy().copy() for p in net.module_.parameters()]


# -- the defining property ------------------------------------------------------


def test_penalty_shrinks_the_logits_and_more_with_a_larger_strength(data):
    X, y = data
    plain = SBNetClassifier(**OPTIONS).fit(X, y)
    norms = [
        _logit_norm(SBNetClassifier(**OPTIONS, method=SpectralDecoupling(strength=s)).fit(X, y), X)
        for s in (0.1, 0.5, 2.0)
    ]
    # Measured: plain 0.53, then 0.45, 0.33, 0.17.
    assert norms[0] < _logit_norm(plain, X)
    assert norms[0] > norms[1] > norms[2]
    assert norms[2] < 0.5 * _logit_norm(plain, X)


def test_zero_strength_gives_exactly_the_weights_of_plain_training(data):
    X, y = data
    plain = SBNetClassifier(**OPTIONS).fit(X, y)
    zero = SBNetClassifier(**OPTIONS, method=SpectralDecoupling(strength=0.0)).fit(X, y)
    for a, b in zip(_weights(plain), _weights(zero), strict=True):
        np.testing.assert_array_equal(a, b)
    # ...while any positive strength changes them.
    small = SBNetClassifier(**OPTIONS, method=SpectralDecoupling(strength=0.01)).fit(X, y)
    assert not all(np.array_equal(a, b) for a, b in zip(_weights(plain), _weights(small)))


# -- the loss value -------------------------------------------------------------


def _batch():
    """Logits of 7 rows and 3 classes, their labels and a criterion's loss of 0.8."""
    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(7, 3, generator=generator)
    y = torch.tensor([0, 1, 2, 2, 1, 0, 2])
    return logits, y, torch.tensor(0.8)


@pytest.fixture(scope="module")
def net_after_ten_batches():
    """A network of 3 classes (as ``_batch``'s logits) fitted for 2 epochs of 5 batches:
    10 training batches completed."""
    X, _ = make_lms(500, 6, random_state=0)
    net = SBNetClassifier(module__width=16, max_epochs=2, batch_size=100, device="cpu",
                          random_state=0).fit(X, np.arange(500) % 3)
    assert [len(epoch["batches"]) for epoch in net.history] == [5, 5]
    return net


def test_paper_loss_is_ce_plus_half_strength_times_mean_squared_norm(net_after_ten_batches):
    logits, y, loss = _batch()
    method = SpectralDecoupling(strength=0.3)
    value = method.adjust_loss(net_after_ten_batches, None, y, logits, loss)
    expected = 0.8 + 0.3 / 2 * float((logits.numpy() ** 2).sum(axis=1).mean())
    assert float(value) == pytest.approx(expected, rel=1e-6)


def test_paper_loss_with_a_scalar_gamma_shifts_every_logit(net_after_ten_batches):
    logits, y, loss = _batch()
    value = SpectralDecoupling(strength=0.5, gamma=1.5).adjust_loss(
        net_after_ten_batches, None, y, logits, loss
    )
    expected = 0.8 + 0.5 / 2 * float(((logits.numpy() - 1.5) ** 2).sum(axis=1).mean())
    assert float(value) == pytest.approx(expected, rel=1e-6)


def test_paper_loss_with_per_class_gamma_uses_the_rows_class_target(net_after_ten_batches):
    logits, y, loss = _batch()
    gamma = np.array([1.0, -2.0, 0.5])
    value = SpectralDecoupling(strength=0.2, gamma=gamma).adjust_loss(
        net_after_ten_batches, None, y, logits, loss
    )
    # Row i's logits are all pulled toward gamma[y_i].
    shifted = logits.numpy() - gamma[y.numpy()][:, None]
    expected = 0.8 + 0.2 / 2 * float((shifted ** 2).sum(axis=1).mean())
    assert float(value) == pytest.approx(expected, rel=1e-6)
    # Not the same as a scalar gamma, nor as gamma applied per column.
    per_column = logits.numpy() - gamma[None, :]
    assert float(value) != pytest.approx(
        0.8 + 0.1 * float((per_column ** 2).sum(axis=1).mean()), rel=1e-4
    )


def test_loss_keeps_the_gradient_of_the_penalty(net_after_ten_batches):
    logits, y, loss = _batch()
    logits.requires_grad_(True)
    SpectralDecoupling(strength=0.4).adjust_loss(
        net_after_ten_batches, None, y, logits, loss
    ).backward()
    # d/dz (s/2 * mean_i ||z_i||^2) = s * z / n
    np.testing.assert_allclose(logits.grad.numpy(), 0.4 * logits.detach().numpy() / 7, rtol=1e-5)


def test_annealed_loss_before_anneal_steps_adds_strength_times_mean_square(net_after_ten_batches):
    logits, y, loss = _batch()
    method = SpectralDecoupling(strength=0.3, variant="annealed", anneal_steps=11)
    value = method.adjust_loss(net_after_ten_batches, None, y, logits, loss)
    expected = 0.8 + 0.3 * float((logits.numpy() ** 2).mean())
    assert float(value) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("anneal_steps", [10, 3, 0])
def test_annealed_loss_after_anneal_steps_scales_the_whole_loss(net_after_ten_batches,
                                                                anneal_steps):
    logits, y, loss = _batch()
    method = SpectralDecoupling(strength=0.3, variant="annealed", anneal_steps=anneal_steps)
    value = method.adjust_loss(net_after_ten_batches, None, y, logits, loss)
    expected = 0.3 * (0.8 + float((logits.numpy() ** 2).mean()))
    assert float(value) == pytest.approx(expected, rel=1e-6)


def test_the_annealed_variant_refuses_a_gamma_it_would_ignore(net_after_ten_batches):
    logits, y, loss = _batch()
    options = dict(strength=0.3, variant="annealed", anneal_steps=11)
    SpectralDecoupling(**options, gamma=0.0).adjust_loss(net_after_ten_batches, None, y, logits,
                                                         loss)
    with pytest.raises(ValueError, match="'annealed' one has no targets.*variant='paper'"):
        SpectralDecoupling(**options, gamma=5.0).adjust_loss(
            net_after_ten_batches, None, y, logits, loss)


@pytest.mark.parametrize("gamma, message", [
    ([1.0, 2.0], r"one target per class; the network has 3 classes, and gamma has shape \(2,\)"),
    ([1.0, 2.0, 3.0, 4.0], r"gamma has shape \(4,\)"),
    ([[1.0, 2.0, 3.0]], r"gamma has shape \(1, 3\)"),
    (float("nan"), "gamma must be finite"),
    ([0.0, np.inf, 1.0], "gamma must be finite"),
])
def test_a_gamma_that_is_not_one_finite_target_per_class_is_refused(net_after_ten_batches,
                                                                     gamma, message):
    logits, y, loss = _batch()
    with pytest.raises(ValueError, match=message):
        SpectralDecoupling(gamma=gamma).adjust_loss(net_after_ten_batches, None, y, logits, loss)


def test_a_bad_gamma_fails_the_fit_at_its_first_batch():
    X, y = make_lms(200, 5, random_state=0)
    net = SBNetClassifier(module__width=8, max_epochs=3, device="cpu",
                          method=SpectralDecoupling(gamma=[1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="the network has 2 classes"):
        net.fit(X, y)


class _RegimeSpy(SpectralDecoupling):
    """Records, for every training batch, whether the annealed loss was in its first regime."""

    def adjust_loss(self, net, X, y, y_pred, loss):
        value = super().adjust_loss(net, X, y, y_pred, loss)
        first = loss + self.strength * y_pred.pow(2).mean()
        self.regimes_.append("before" if torch.equal(value, first) else "after")
        return value


def test_while_training_the_first_anneal_steps_batches_get_the_first_regime():
    X, y = make_lms(500, 6, random_state=0)
    spy = _RegimeSpy(strength=0.3, variant="annealed", anneal_steps=7)
    spy.regimes_ = []
    SBNetClassifier(module__width=16, max_epochs=3, batch_size=100, device="cpu",
                    random_state=0, method=spy).fit(X, y)
    assert spy.regimes_ == ["before"] * 7 + ["after"] * 8


def test_validation_batches_are_not_training_steps():
    X, y = make_lms(500, 6, random_state=0)
    options = dict(module__width=16, max_epochs=3, batch_size=100, device="cpu",
                   random_state=0)
    with_split = _RegimeSpy(strength=0.3, variant="annealed", anneal_steps=9)
    with_split.regimes_ = []
    # 400 training rows, 4 batches per epoch, and a validation batch per epoch.
    SBNetClassifier(**options, train_split=ValidSplit(5), method=with_split).fit(X, y)
    without = clone(with_split)
    without.regimes_ = []
    SBNetClassifier(**options, method=without).fit(X[:400], y[:400])
    assert len(with_split.regimes_) == len(without.regimes_) == 12
    assert with_split.regimes_ == without.regimes_


# -- an estimator's parameter -------------------------------------------------------


def test_strength_is_grid_searchable_through_the_network(data):
    X, y = data
    net = SBNetClassifier(module__width=16, max_epochs=2, batch_size=100, device="cpu",
                          random_state=0, method=SpectralDecoupling())
    assert net.get_params()["method__strength"] == 0.1
    grid = GridSearchCV(net, {"method__strength": [0.0, 0.5]}, cv=2).fit(X[:600], y[:600])
    assert [p["method__strength"] for p in grid.cv_results_["params"]] == [0.0, 0.5]
    assert grid.best_params_["method__strength"] in (0.0, 0.5)
    assert grid.best_estimator_.method.strength == grid.best_params_["method__strength"]
    assert grid.best_estimator_.method is not net.method
    assert net.method.strength == 0.1  # the template is untouched


def test_clone_copies_the_method_and_its_parameters():
    method = SpectralDecoupling(strength=0.7, gamma=[0.5, -0.5], variant="paper",
                                anneal_steps=3)
    net = SBNetClassifier(module__width=16, method=method)
    copy = clone(net)
    assert copy.method is not method
    assert isinstance(copy.method, SpectralDecoupling)
    assert copy.method.get_params() == method.get_params()
    assert copy.get_params()["method__gamma"] == [0.5, -0.5]


def test_pickled_fitted_network_keeps_its_method_and_logits(data):
    X, y = data
    net = SBNetClassifier(**OPTIONS, method=SpectralDecoupling(strength=0.5)).fit(X, y)
    loaded = pickle.loads(pickle.dumps(net))
    assert isinstance(loaded.method, SpectralDecoupling) and loaded.method.strength == 0.5
    np.testing.assert_array_equal(loaded.predict_logits(X), net.predict_logits(X))
    assert loaded.side_information_ == ("none",)


@pytest.mark.parametrize("variant", ["paper", "annealed"])
def test_seeded_training_is_deterministic(data, variant):
    X, y = data
    method = SpectralDecoupling(strength=0.5, variant=variant, anneal_steps=20)
    first = SBNetClassifier(**OPTIONS, method=method).fit(X, y)
    second = SBNetClassifier(**OPTIONS, method=clone(method)).fit(X, y)
    np.testing.assert_array_equal(first.predict_logits(X), second.predict_logits(X))
    other = SBNetClassifier(**{**OPTIONS, "random_state": 1}, method=clone(method)).fit(X, y)
    assert not np.array_equal(first.predict_logits(X), other.predict_logits(X))


def test_fitted_network_uses_labels_only(data):
    X, y = data
    net = SBNetClassifier(**{**OPTIONS, "max_epochs": 1},
                          method=SpectralDecoupling()).fit(X, y)
    assert net.side_information_ == ("none",)
    assert SpectralDecoupling.side_information == ("none",)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"strength": -1}, "strength"),
        ({"variant": "x"}, "variant"),
        ({"anneal_steps": -1}, "anneal_steps"),
        ({"anneal_steps": 2.5}, "anneal_steps"),
        ({"gamma": "zero"}, "gamma"),
    ],
)
def test_bad_parameters_are_rejected_when_fit_starts(data, params, name):
    X, y = data
    method = SpectralDecoupling(**params)  # the constructor does not validate
    net = SBNetClassifier(**{**OPTIONS, "max_epochs": 1}, method=method)
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of SpectralDecoupling"):
        net.fit(X, y)
    with pytest.raises(NotFittedError):
        check_is_fitted(net)


# -- registered -----------------------------------------------------------------


def test_registered_as_spectral_decoupling():
    method = make_method("spectral-decoupling", strength=0.2)
    assert isinstance(method, SpectralDecoupling) and isinstance(method, TrainingMethod)
    assert method.strength == 0.2
    template = SBNetClassifier(module__width=16)
    net = method.apply_to(template)
    assert isinstance(net, SBNetClassifier) and net is not template
    assert isinstance(net.method, SpectralDecoupling) and net.method is not method
    assert net.get_params()["method__strength"] == 0.2
    assert template.method is None
