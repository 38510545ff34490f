"""The three training hooks: what SBNetClassifier calls, when, and with what."""

import ast
from numbers import Real
from pathlib import Path

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from skorch.dataset import ValidSplit

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.adversarial._pgd import pgd_attack
from sklearn_sb.mitigation import AdversarialTraining, TrainingMethod
from sklearn_sb.utils._param_validation import Interval


class LogitPenalty(TrainingMethod):
    """Adds ``strength * mean(logits^2)`` to the loss; counts its calls."""

    penalties = {"strength": "LogitPenalty"}
    _parameter_constraints = {"strength": [Interval(Real, 0, None, closed="left")]}

    def __init__(self, strength=1.0):
        self.strength = strength

    def adjust_loss(self, net, X, y, y_pred, loss):
        self.calls_ = getattr(self, "calls_", 0) + 1
        return loss + self.strength * y_pred.pow(2).mean()


class FlipLabels(TrainingMethod):
    """Trains on the opposite labels: proof that the returned batch is the one used."""

    def transform_batch(self, net, X, y):
        return X, 1 - y


@pytest.fixture(scope="module")
def data():
    return make_lms(1000, 10, random_state=0)


def _net(**params):
    return SBNetClassifier(**{"module__width": 20, "max_epochs": 3, "random_state": 0, **params})


def _weights(net):
    return [p.detach().numpy().copy() for p in net.module_.parameters()]


def test_the_base_class_hooks_are_the_identity(data):
    X, y = data
    plain, with_base = _net().fit(X, y), _net(method=TrainingMethod()).fit(X, y)
    for a, b in zip(_weights(plain), _weights(with_base)):
        np.testing.assert_array_equal(a, b)


class SquaredLogits(TrainingMethod):
    """A loss of the logits alone: the criterion's is not needed."""

    replaces_criterion = True

    def adjust_loss(self, net, X, y, y_pred, loss):
        self.losses_given_ = getattr(self, "losses_given_", []) + [loss]
        return y_pred.pow(2).mean()


def test_a_method_that_replaces_the_criterion_gets_no_criterion_loss(data):
    X, y = data
    method = SquaredLogits()
    net = _net(method=method, max_epochs=1).fit(X, y)
    assert len(method.losses_given_) == len(net.history[-1, "batches"])
    assert all(loss is None for loss in method.losses_given_)
    assert np.abs(net.predict_logits(X)).max() < 0.5


def test_the_loss_hook_changes_the_training_loss_of_every_batch_only(data):
    X, y = data
    penalty = LogitPenalty(strength=1.0)
    net = _net(method=penalty, batch_size=100, train_split=ValidSplit(5)).fit(X, y)
    # 800 training rows in batches of 100, for 3 epochs: the validation
    # loss is the criterion's alone.
    assert net.method.calls_ == 3 * 8
    plain = _net(batch_size=100, train_split=ValidSplit(5)).fit(X, y)
    assert not np.allclose(net.history[:, "train_loss"], plain.history[:, "train_loss"])
    logits = net.predict_logits(X)
    assert np.abs(logits).mean() < np.abs(plain.predict_logits(X)).mean()


def test_the_batch_hook_replaces_what_the_network_trains_on(data):
    X, y = data
    flipped = SBNetClassifier(module__width=20, max_epochs=10, random_state=0,
                              method=FlipLabels()).fit(X, y)
    assert flipped.score(X, y) < 0.2


class RecordRows(TrainingMethod):
    """Records every training batch's rows and checks them against the batch."""

    def __init__(self, X=None):
        self.X = X

    def train_step(self, net, batch, step):
        self.rows_ = [*getattr(self, "rows_", []), batch.rows.numpy().copy()]
        np.testing.assert_array_equal(self.X[batch.rows.numpy()], batch.X.numpy())
        return step(batch.X, batch.y)


class NoUpdate(TrainingMethod):
    """Computes the gradients, then clears them: the optimizer applies what is left."""

    def train_step(self, net, batch, step):
        result = step(batch.X, batch.y)
        net.module_.zero_grad(set_to_none=False)
        return result


def test_the_step_hook_sees_every_training_row_once_per_epoch_by_position(data):
    X, y = data
    method = RecordRows(X.astype(np.float32))
    _net(method=method, max_epochs=2, batch_size=300).fit(X, y)
    fitted = method.rows_
    assert len(fitted) == 2 * 4
    for epoch in (fitted[:4], fitted[4:]):
        np.testing.assert_array_equal(np.sort(np.concatenate(epoch)), np.arange(len(X)))


def test_the_rows_are_positions_in_the_data_given_to_fit_under_a_validation_split(data):
    X, y = data
    method = RecordRows(X.astype(np.float32))
    _net(method=method, max_epochs=1, train_split=ValidSplit(0.2, random_state=0)).fit(X, y)
    seen = np.concatenate(method.rows_)
    assert len(seen) == len(np.unique(seen)) == 800


def test_what_the_step_hook_leaves_in_the_gradients_is_what_the_optimizer_applies(data):
    X, y = data
    net = _net(method=NoUpdate(), max_epochs=1)
    # The same initial weights, moved by far less than float32 resolves.
    initial = _weights(_net(max_epochs=1, lr=1e-30).fit(X, y))
    after = _weights(net.fit(X, y))
    for a, b in zip(initial, after):
        np.testing.assert_array_equal(a, b)
    assert np.isfinite(net.history[-1, "train_loss"])


def test_method_parameters_are_nested_parameters(data):
    X, y = data
    net = _net(method=LogitPenalty(strength=0.5))
    assert net.get_params()["method__strength"] == 0.5
    net.set_params(method__strength=0.25)
    assert net.method.strength == 0.25 and not hasattr(net, "method__strength")
    cloned = clone(net)
    assert cloned.method is not net.method and cloned.method.strength == 0.25
    search = GridSearchCV(net, {"method__strength": [0.0, 2.0]}, cv=2).fit(X, y)
    assert [p["method__strength"] for p in search.cv_results_["params"]] == [0.0, 2.0]
    assert search.best_estimator_.method.strength in (0.0, 2.0)


def test_nested_parameters_of_no_method_are_refused():
    with pytest.raises(ValueError, match="method=None"):
        _net().set_params(method__eps=0.1)


def test_the_method_is_validated_when_fit_starts(data):
    X, y = data
    with pytest.raises(ValueError, match="'strength' parameter of LogitPenalty"):
        _net(method=LogitPenalty(strength=-1.0)).fit(X, y)


def test_apply_to_gives_an_unfitted_copy_of_the_network_with_the_method(data):
    net = _net(module__width=7)
    model = LogitPenalty(strength=3.0).apply_to(net)
    assert model is not net and net.method is None
    assert model.get_params()["module__width"] == 7
    assert model.method.strength == 3.0


class _HandWiredAdversarialNet(SBNetClassifier):
    """Adversarial training wired into the training step by hand."""

    def train_step_single(self, batch, **fit_params):
        X, y = batch
        self.module_.eval()
        X_adv = pgd_attack(self.module_, X, y, eps=0.05, norm=2, n_iter=7, step_size=0.02,
                           bounds=None, generator=None)
        self.module_.train()
        return super().train_step_single((X_adv, y), **fit_params)


def test_adversarial_training_as_a_method_trains_the_same_weights_as_by_hand(data):
    X, y = data
    method = AdversarialTraining(eps=0.05, norm=2, step_size=0.02, n_iter=7)
    as_method = _net(method=method).fit(X, y)
    by_hand = _HandWiredAdversarialNet(module__width=20, max_epochs=3, random_state=0).fit(X, y)
    for a, b in zip(_weights(as_method), _weights(by_hand)):
        np.testing.assert_array_equal(a, b)


def _imported_subpackages(path):
    """The sklearn_sb subpackages a module imports, relative or absolute."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 2 and node.module:
                names.add(node.module.split(".")[0])
            elif node.level == 0 and (node.module or "").startswith("sklearn_sb."):
                names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[1] for a in node.names
                         if a.name.startswith("sklearn_sb."))
    return names


def test_mitigation_never_imports_the_measurements_or_the_experiments():
    package = Path(__import__("sklearn_sb.mitigation").mitigation.__file__).parent
    for module in package.glob("*.py"):
        assert not _imported_subpackages(module) & {"inspection", "experiments"}, module.name


def test_a_method_draws_from_the_networks_seeded_generator(data):
    class Noise(TrainingMethod):
        def transform_batch(self, net, X, y):
            return X + 0.1 * torch.randn_like(X), y

    X, y = data
    first, second = _net(method=Noise()).fit(X, y), _net(method=Noise()).fit(X, y)
    for a, b in zip(_weights(first), _weights(second)):
        np.testing.assert_array_equal(a, b)


def test_a_diverging_training_names_the_methods_penalty_beside_the_learning_rate(data):
    X, y = data
    with pytest.raises(FloatingPointError, match=r"lr=0\.1, or a weaker penalty than "
                                                 r"LogitPenalty\(strength=1e\+300\)"):
        _net(lr=0.1, method=LogitPenalty(strength=1e300)).fit(X, y)
    with pytest.raises(FloatingPointError, match=r"learning rate than lr=1000000\.0\.$"):
        _net(lr=1e6).fit(X, y)


def test_every_penalty_a_method_names_is_one_of_its_parameters():
    from sklearn_sb.mitigation import _dbat, _divdis, _gradient_diversity
    from sklearn_sb.mitigation import MarginControl, SAM, SpectralDecoupling

    for method in (_dbat._Disagreement, _divdis._DiversifyLoss,
                   _gradient_diversity._GradientDiversity, MarginControl, SAM,
                   SpectralDecoupling):
        assert method.penalties and set(method.penalties) <= set(method().get_params())
