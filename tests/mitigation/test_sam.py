"""SAM: every batch's gradient taken at the worst nearby weights (Foret et al.; Kwon et al.)."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import Callback

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb._batching import TrainingBatch
from sklearn_sb.mitigation import SAM, TrainingMethod, make_method
from sklearn_sb.utils._param_validation import InvalidParameterError

# Small LMS-5, a small network on the CPU (equal seeds give equal weights).
OPTIONS = dict(module__width=32, max_epochs=4, batch_size=100, device="cpu", random_state=0)


@pytest.fixture(scope="module")
def data():
    return make_lms(600, 10, random_state=0)


class TinyLinear(torch.nn.Module):
    """A linear layer: logits = X W^T + b."""

    def __init__(self, n_features, n_classes):
        super().__init__()
        self.linear = torch.nn.Linear(n_features, n_classes)

    def forward(self, X):
        return self.linear(X)


class WithUnusedParameter(TinyLinear):
    """A linear layer and a parameter the loss never reaches (its .grad stays None)."""

    def __init__(self, n_features, n_classes):
        super().__init__(n_features, n_classes)
        self.unused = torch.nn.Parameter(torch.ones(4))


class ConstantLogits(TinyLinear):
    """Logits that do not depend on the weights: every gradient is zero."""

    def forward(self, X):
        return self.linear(X) * 0.0


class WithBatchNorm(torch.nn.Module):
    """Linear, BatchNorm, ReLU, Linear: SAM must not update the running statistics twice."""

    def __init__(self, n_features, n_classes):
        super().__init__()
        self.hidden = torch.nn.Linear(n_features, 6)
        self.norm = torch.nn.BatchNorm1d(6)
        self.out = torch.nn.Linear(6, n_classes)

    def forward(self, X):
        return self.out(torch.relu(self.norm(self.hidden(X))))


def _tiny_data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(8, 3)).astype(np.float32)
    y = np.array([0, 1, 1, 0, 1, 0, 0, 1])
    return X, y


def _one_step(method, module=TinyLinear, lr=0.5):
    """A network after exactly one full-batch plain-SGD step (no momentum, no decay)."""
    X, y = _tiny_data()
    return SBNetClassifier(module=module, lr=lr, max_epochs=1, batch_size=len(X),
                           device="cpu", random_state=0, method=method).fit(X, y)


def _weights(net):
    return [p.detach().numpy().copy() for p in net.module_.parameters()]


def _loss(W, b, X, y):
    return torch.nn.functional.cross_entropy(X @ W.T + b, y)


def _grad(W, b, X, y):
    W = W.clone().requires_grad_(True)
    b = b.clone().requires_grad_(True)
    return torch.autograd.grad(_loss(W, b, X, y), (W, b))


class InitialWeights(Callback):
    """Records the module's weights when training begins."""

    def on_train_begin(self, net, **kwargs):
        self.weights_ = _weights(net)


def _initial_weights():
    """The seeded initial weights of ``_one_step``'s network."""
    X, y = _tiny_data()
    record = InitialWeights()
    SBNetClassifier(module=TinyLinear, max_epochs=1, batch_size=len(X), device="cpu",
                    random_state=0, callbacks=[("initial", record)]).fit(X, y)
    W0, b0 = (torch.tensor(w) for w in record.weights_)
    return W0, b0


# -- one step, by hand ----------------------------------------------------------


def test_one_sam_step_is_sgd_on_the_gradient_at_the_perturbed_weights():
    X, y = (torch.tensor(a) for a in _tiny_data())
    W0, b0 = _initial_weights()
    lr, rho = 0.5, 0.3
    gW, gb = _grad(W0, b0, X, y)
    norm = torch.sqrt((gW ** 2).sum() + (gb ** 2).sum())
    eW, eb = rho * gW / norm, rho * gb / norm
    hW, hb = _grad(W0 + eW, b0 + eb, X, y)
    expected = [W0 - lr * hW, b0 - lr * hb]

    net = _one_step(SAM(rho=rho), lr=lr)
    for got, want in zip(_weights(net), expected, strict=True):
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-5, atol=1e-7)
    # ...which is not the plain step.
    plain = [W0 - lr * gW, b0 - lr * gb]
    assert not np.allclose(_weights(net)[0], plain[0].numpy(), rtol=1e-4, atol=1e-6)
    # The loss recorded for the batch is the loss at the unperturbed weights.
    assert net.history[-1, "train_loss"] == pytest.approx(float(_loss(W0, b0, X, y)), rel=1e-6)


def test_one_adaptive_step_uses_the_neighborhood_scaled_by_the_weights():
    X, y = (torch.tensor(a) for a in _tiny_data())
    W0, b0 = _initial_weights()
    lr, rho, eta = 0.5, 0.5, 0.01
    gW, gb = _grad(W0, b0, X, y)
    tW, tb = W0.abs() + eta, b0.abs() + eta
    norm = torch.sqrt(((tW * gW) ** 2).sum() + ((tb * gb) ** 2).sum())
    eW, eb = rho * tW ** 2 * gW / norm, rho * tb ** 2 * gb / norm
    hW, hb = _grad(W0 + eW, b0 + eb, X, y)

    net = _one_step(SAM(rho=rho, adaptive=True, eta=eta), lr=lr)
    for got, want in zip(_weights(net), [W0 - lr * hW, b0 - lr * hb], strict=True):
        np.testing.assert_allclose(got, want.numpy(), rtol=1e-5, atol=1e-7)
    # A different neighborhood from SAM's of the same radius.
    sam = _one_step(SAM(rho=rho), lr=lr)
    assert not np.allclose(_weights(net)[0], _weights(sam)[0], rtol=1e-4, atol=1e-6)


def test_a_parameter_without_gradient_is_neither_moved_nor_counted_in_the_norm():
    X, y = (torch.tensor(a) for a in _tiny_data())
    W0, b0 = _initial_weights()
    lr, rho = 0.5, 0.3
    gW, gb = _grad(W0, b0, X, y)
    norm = torch.sqrt((gW ** 2).sum() + (gb ** 2).sum())
    hW, hb = _grad(W0 + rho * gW / norm, b0 + rho * gb / norm, X, y)

    net = _one_step(SAM(rho=rho), module=WithUnusedParameter, lr=lr)
    np.testing.assert_allclose(net.module_.linear.weight.detach().numpy(),
                               (W0 - lr * hW).numpy(), rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(net.module_.unused.detach().numpy(), np.ones(4))
    assert net.module_.unused.grad is None


def test_a_zero_gradient_moves_nothing_and_gives_no_nan():
    X, y = _tiny_data()
    W0, b0 = _initial_weights()
    for method in (SAM(rho=0.5), SAM(rho=0.5, adaptive=True, eta=0.0)):
        net = SBNetClassifier(module=ConstantLogits, lr=0.5, max_epochs=3, batch_size=4,
                              device="cpu", random_state=0, method=method).fit(X, y)
        np.testing.assert_array_equal(_weights(net)[0], W0.numpy())
        np.testing.assert_array_equal(_weights(net)[1], b0.numpy())
        assert all(np.isfinite(net.history[:, "train_loss"]))


def test_zero_rho_gives_exactly_the_weights_of_plain_training(data):
    X, y = data
    # With dropout: the second pass replays the first pass's random numbers.
    options = {**OPTIONS, "module__dropout": 0.2}
    plain = SBNetClassifier(**options).fit(X, y)
    for method in (SAM(rho=0.0), SAM(rho=0.0, adaptive=True)):
        zero = SBNetClassifier(**options, method=method).fit(X, y)
        for a, b in zip(_weights(plain), _weights(zero), strict=True):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(plain.history[:, "train_loss"],
                                      zero.history[:, "train_loss"])
    # ...while a positive radius changes them.
    sam = SBNetClassifier(**options, method=SAM(rho=0.05)).fit(X, y)
    assert not all(np.array_equal(a, b) for a, b in zip(_weights(plain), _weights(sam)))


def test_batch_norm_statistics_come_from_the_first_pass_only():
    X, y = _tiny_data()

    def fitted(method):
        return SBNetClassifier(module=WithBatchNorm, lr=0.5, max_epochs=1, batch_size=len(X),
                               device="cpu", random_state=0, method=method).fit(X, y)

    plain, sam = fitted(None), fitted(SAM(rho=0.5))
    # Both saw the batch once at the same initial weights: the same statistics.
    for name in ("running_mean", "running_var", "num_batches_tracked"):
        np.testing.assert_array_equal(getattr(sam.module_.norm, name).numpy(),
                                      getattr(plain.module_.norm, name).numpy())
    assert int(sam.module_.norm.num_batches_tracked) == 1
    # ...while the weights differ: the second pass did run at other weights.
    assert not np.allclose(sam.module_.out.weight.detach().numpy(),
                           plain.module_.out.weight.detach().numpy())


def test_weights_are_restored_when_the_second_pass_fails():
    X, y = _tiny_data()
    net = _one_step(None)
    before = _weights(net)
    calls = []

    def step(X, y):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        loss = torch.nn.functional.cross_entropy(net.module_(X), y)
        loss.backward()
        return {"loss": loss, "y_pred": None}

    batch = TrainingBatch(torch.tensor(X), torch.tensor(y), None)
    with pytest.raises(KeyboardInterrupt):
        SAM(rho=0.5).train_step(net, batch, step)
    for a, b in zip(before, _weights(net), strict=True):
        np.testing.assert_array_equal(a, b)


# -- training -------------------------------------------------------------------


def test_seeded_training_is_deterministic(data):
    X, y = data
    for method in (SAM(rho=0.1), SAM(rho=0.5, adaptive=True)):
        first = SBNetClassifier(**OPTIONS, method=method).fit(X, y)
        second = SBNetClassifier(**OPTIONS, method=clone(method)).fit(X, y)
        for a, b in zip(_weights(first), _weights(second), strict=True):
            np.testing.assert_array_equal(a, b)
        other = SBNetClassifier(**{**OPTIONS, "random_state": 1}, method=clone(method)).fit(X, y)
        assert not np.array_equal(first.predict_logits(X), other.predict_logits(X))


def test_trains_to_the_labels_and_uses_labels_only(data):
    X, y = data
    # Measured: 0.968 after 10 epochs (plain training 0.972).
    net = SBNetClassifier(**{**OPTIONS, "max_epochs": 10}, method=SAM()).fit(X, y)
    assert net.score(X, y) > 0.95
    assert net.side_information_ == ("none",)
    assert SAM.side_information == ("none",)


def test_pickled_fitted_network_keeps_its_method_and_logits(data):
    X, y = data
    net = SBNetClassifier(**{**OPTIONS, "max_epochs": 1}, method=SAM(rho=0.2)).fit(X, y)
    loaded = pickle.loads(pickle.dumps(net))
    assert isinstance(loaded.method, SAM) and loaded.method.rho == 0.2
    np.testing.assert_array_equal(loaded.predict_logits(X), net.predict_logits(X))


# -- parameters -----------------------------------------------------------------


def test_rho_is_grid_searchable_through_the_network(data):
    X, y = data
    net = SBNetClassifier(module__width=16, max_epochs=2, batch_size=100, device="cpu",
                          random_state=0, method=SAM())
    assert net.get_params()["method__rho"] == 0.05
    grid = GridSearchCV(net, {"method__rho": [0.0, 0.2]}, cv=2).fit(X, y)
    assert [p["method__rho"] for p in grid.cv_results_["params"]] == [0.0, 0.2]
    assert grid.best_estimator_.method.rho == grid.best_params_["method__rho"]
    assert grid.best_estimator_.method is not net.method
    assert net.method.rho == 0.05  # the template is untouched


@pytest.mark.parametrize(
    "params, name",
    [
        ({"rho": -0.1}, "rho"),
        ({"rho": "big"}, "rho"),
        ({"adaptive": "yes"}, "adaptive"),
        ({"eta": -1.0}, "eta"),
    ],
)
def test_bad_parameters_are_rejected_when_fit_starts(data, params, name):
    X, y = data
    net = SBNetClassifier(**{**OPTIONS, "max_epochs": 1}, method=SAM(**params))
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter of SAM"):
        net.fit(X, y)
    with pytest.raises(NotFittedError):
        check_is_fitted(net)


def test_hyperparameters_are_the_authors_grid_of_rho():
    assert SAM.hyperparameters == {"rho": [0.01, 0.02, 0.05, 0.1, 0.2, 0.5]}
    assert SAM().rho == 0.05 and SAM().adaptive is False and SAM().eta == 0.01


def test_registered_as_sam():
    method = make_method("sam", rho=0.1)
    assert isinstance(method, SAM) and isinstance(method, TrainingMethod)
    template = SBNetClassifier(module__width=16)
    net = method.apply_to(template)
    assert isinstance(net.method, SAM) and net.method is not method
    assert net.get_params()["method__rho"] == 0.1
    assert template.method is None
