"""GroupDROClassifier: a network trained on the loss of its worst group (Sagawa et al.)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import Callback
from skorch.dataset import ValidSplit

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.inspection import group_scores
from sklearn_sb._batching import TrainingBatch
from sklearn_sb.mitigation import GroupDROClassifier, SpectralDecoupling, make_method
from sklearn_sb.mitigation._group_dro import _GroupDROLoss
from sklearn_sb.networks import BinaryHingeLoss
from sklearn_sb.networks._single_logit import SingleLogit
from sklearn_sb.utils._param_validation import InvalidParameterError
from sklearn_sb.utils._random import draw_seed

# -- a tiny problem computed by hand ------------------------------------------------


def _tiny():
    """12 rows of 3 features, two classes, four groups of sizes 5, 1, 2, 4."""
    rng = np.random.RandomState(0)
    X = rng.randn(12, 3).astype(np.float32)
    y = np.array([0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1])
    groups = np.array([0, 0, 0, 0, 0, 1, 2, 2, 3, 3, 3, 3])
    return X, y, groups


def _linear(seed=0):
    torch.manual_seed(seed)
    return torch.nn.Linear(3, 2)


def _one_step_network(module, **params):
    """One full-batch step of plain SGD: the update is readable by hand."""
    return SBNetClassifier(module=module, max_epochs=1, batch_size=-1, lr=0.5,
                           device="cpu", **params)


def _group_means(losses, groups, n_groups):
    return torch.stack([losses[torch.as_tensor(groups == g)].mean() if (groups == g).any()
                        else losses.sum() * 0 for g in range(n_groups)])


def _by_hand(module, X, y, groups, step_size, C=0.0, q=None):
    """The group losses, the updated q and the loss of one batch, as the paper writes them."""
    losses = F.cross_entropy(module(torch.as_tensor(X)), torch.as_tensor(y), reduction="none")
    group_losses = _group_means(losses, groups, 4)
    counts = torch.tensor([5.0, 1.0, 2.0, 4.0])
    q = torch.full((4,), 0.25) if q is None else q
    q = q * torch.exp(step_size * (group_losses.detach() + C / torch.sqrt(counts)))
    q = q / q.sum()
    return group_losses, q, q @ group_losses


@pytest.mark.parametrize("C", [0.0, 0.5])
def test_q_after_one_batch_is_the_exponentiated_gradient_update(C):
    X, y, groups = _tiny()
    module = _linear()
    dro = GroupDROClassifier(_one_step_network(module), step_size=2.0,
                             generalization_adjustment=C, weight_decay=0.0,
                             balanced_batches=False, random_state=0).fit(X, y, groups=groups)
    _, q, _ = _by_hand(module, X, y, groups, step_size=2.0, C=C)
    np.testing.assert_allclose(dro.group_weights_, q.numpy(), rtol=1e-5)
    assert not np.allclose(dro.group_weights_, 0.25)  # the update did something
    np.testing.assert_allclose(dro.group_weights_.sum(), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(dro.group_counts_, [5, 1, 2, 4])


def test_the_network_steps_on_the_q_weighted_sum_of_the_group_losses():
    X, y, groups = _tiny()
    module = _linear()
    dro = GroupDROClassifier(_one_step_network(module), step_size=2.0, weight_decay=0.0,
                             balanced_batches=False, random_state=0).fit(X, y, groups=groups)
    # q is updated first, then sum_g q_g loss_g (q held fixed) is backpropagated.
    _, _, loss = _by_hand(module, X, y, groups, step_size=2.0)
    loss.backward()
    trained = dro.estimators_[0].module_
    for before, after in zip(module.parameters(), trained.parameters()):
        np.testing.assert_allclose(after.detach().numpy(),
                                   (before - 0.5 * before.grad).detach().numpy(), rtol=1e-5,
                                   atol=1e-6)
    # Not the plain mean loss's step: the groups are weighted, not the rows.
    plain = _one_step_network(_linear(), random_state=0).fit(X, y)
    assert not np.allclose(plain.module_.weight.detach(), trained.weight.detach())


def _initialized(module, criterion=None):
    net = SBNetClassifier(module=module, device="cpu", criterion=criterion)
    return net.initialize()


def test_a_group_absent_from_a_batch_counts_with_loss_zero_as_the_authors_do():
    # kohpangwei/group_DRO, loss.py: an absent group's mean loss is 0 (its
    # count is guarded against 0), and q is updated for every group with it.
    X, y, groups = _tiny()
    module = _linear()
    method = _GroupDROLoss(groups=groups, counts=np.array([5, 1, 2, 4]), step_size=2.0,
                           generalization_adjustment=0.5)
    net = _initialized(module)
    first = np.arange(12)
    method.train_step(net, TrainingBatch(torch.as_tensor(X), torch.as_tensor(y),
                                         torch.as_tensor(first)), None)
    _, q, _ = _by_hand(module, X, y, groups, step_size=2.0, C=0.5)
    np.testing.assert_allclose(method.weights, q.numpy(), rtol=1e-5)
    net.module_.zero_grad()
    # The second batch has no row of group 1 (row 5).
    rows = np.array([0, 2, 6, 7, 8, 11])
    step = method.train_step(net, TrainingBatch(torch.as_tensor(X[rows]),
                                                torch.as_tensor(y[rows]),
                                                torch.as_tensor(rows)), None)
    losses, q2, loss = _by_hand(module, X[rows], y[rows], groups[rows], step_size=2.0, C=0.5,
                                q=q)
    assert losses[1].item() == 0
    np.testing.assert_allclose(method.weights, q2.numpy(), rtol=1e-5)
    np.testing.assert_allclose(step["loss"].item(), loss.item(), rtol=1e-5)
    assert step["y_pred"].shape == (6, 2)


def test_a_one_logit_network_is_trained_on_the_binary_cross_entropy_of_its_logit():
    X, y, groups = _tiny()
    torch.manual_seed(0)
    module = torch.nn.Sequential(torch.nn.Linear(3, 1), SingleLogit())
    net = _initialized(module)
    method = _GroupDROLoss(groups=groups, counts=np.array([5, 1, 2, 4]))
    z = module[0](torch.as_tensor(X))[:, 0]
    expected = _group_means(F.binary_cross_entropy_with_logits(
        z, torch.as_tensor(y, dtype=torch.float32), reduction="none"), groups, 4)
    got = method.group_losses(net, module(torch.as_tensor(X)), torch.as_tensor(y),
                              torch.as_tensor(groups))
    np.testing.assert_allclose(got.detach().numpy(), expected.detach().numpy(), rtol=1e-5)


def test_a_criterion_without_reduction_is_averaged_over_each_group():
    X, y, groups = _tiny()
    module = _linear()
    net = _initialized(module, criterion=BinaryHingeLoss)
    method = _GroupDROLoss(groups=groups, counts=np.array([5, 1, 2, 4]))
    logits = module(torch.as_tensor(X))
    rows = np.flatnonzero(groups != 2)  # group 2 absent: 0
    got = method.group_losses(net, logits[rows], torch.as_tensor(y[rows]),
                              torch.as_tensor(groups[rows]))
    hinge = BinaryHingeLoss()
    expected = [hinge(logits[groups == g], torch.as_tensor(y[groups == g])).item()
                if g != 2 else 0.0 for g in range(4)]
    np.testing.assert_allclose(got.detach().numpy(), expected, rtol=1e-5)


# -- the defining property --------------------------------------------------------------


def test_on_lms5_with_minority_groups_it_lifts_the_worst_group_over_erm():
    # S agrees with the label on 90 % of the rows: ERM follows S and fails on
    # the two minority groups; group DRO (balanced batches, q) must not.
    data = make_lms(1500, 6, correlation=0.9, random_state=0, return_X_y=False)
    test = make_lms(2000, 6, correlation=0.9, rotation=data.rotation, random_state=1,
                    return_X_y=False)
    network = SBNetClassifier(module__width=50, lr=0.05, optimizer__momentum=0.9,
                              batch_size=64, max_epochs=8, device="cpu", random_state=0)
    erm = clone(network).fit(data.X, data.y)
    dro = GroupDROClassifier(network, random_state=0).fit(data.X, data.y, groups=data.groups)
    worst = {name: group_scores(model, test.X, test.y, test.groups).loc["worst group",
                                                                        "accuracy"]
             for name, model in [("erm", erm), ("dro", dro)]}
    assert worst["erm"] < 0.2 and worst["dro"] > 0.6, worst


# -- the estimator ------------------------------------------------------------------

SMALL_NET = dict(module__width=16, max_epochs=3, lr=0.5, batch_size=64, device="cpu")


@pytest.fixture(scope="module")
def lms():
    return make_lms(600, 6, correlation=0.8, random_state=0, return_X_y=False)


def _weights(model):
    return [p.detach().numpy().copy() for p in model.estimators_[0].module_.parameters()]


def test_fit_records_the_groups_their_weights_and_the_side_information(lms):
    dro = GroupDROClassifier(SBNetClassifier(**SMALL_NET), random_state=0).fit(
        lms.X, lms.y, groups=lms.groups)
    check_is_fitted(dro)
    assert dro.groups_.tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(dro.group_counts_, np.bincount(lms.groups))
    assert dro.group_weights_.shape == (4,) and np.isclose(dro.group_weights_.sum(), 1)
    assert dro.side_information_ == ("group_labels",)
    assert (dro.selected_, dro.selection_) == (0, "last member")
    assert dro.predicting_estimators_ == dro.estimators_
    # The member is a plain fitted network afterwards.
    assert dro.estimators_[0].method is None
    np.testing.assert_allclose(dro.predict_logits(lms.X[:5]),
                               dro.estimators_[0].predict_logits(lms.X[:5]))


def test_without_groups_the_classes_are_the_groups(lms):
    dro = GroupDROClassifier(SBNetClassifier(**SMALL_NET), random_state=0).fit(lms.X, lms.y)
    assert dro.groups_.tolist() == [0, 1]
    assert dro.side_information_ == ("none",)
    same = GroupDROClassifier(SBNetClassifier(**SMALL_NET), random_state=0).fit(
        lms.X, lms.y, groups=lms.y)
    for a, b in zip(_weights(dro), _weights(same)):
        np.testing.assert_array_equal(a, b)


def test_groups_may_be_any_labels(lms):
    # Labels sorted in the order of the integer groups: the same codes.
    names = np.array(["a: y=0, S=0", "b: y=0, S=1", "c: y=1, S=0", "d: y=1, S=1"],
                     dtype=object)[lms.groups]
    fits = [GroupDROClassifier(SBNetClassifier(**SMALL_NET), random_state=0).fit(
        lms.X, lms.y, groups=groups) for groups in (names, lms.groups * 10 - 7, lms.groups)]
    assert fits[0].groups_.tolist() == ["a: y=0, S=0", "b: y=0, S=1", "c: y=1, S=0",
                                        "d: y=1, S=1"]
    assert fits[1].groups_.tolist() == [-7, 3, 13, 23]
    for fit in fits[:2]:
        np.testing.assert_array_equal(fit.group_weights_, fits[2].group_weights_)
        np.testing.assert_array_equal(fit.predict_logits(lms.X), fits[2].predict_logits(lms.X))


def test_groups_of_the_wrong_length_are_refused(lms):
    dro = GroupDROClassifier(SBNetClassifier(**SMALL_NET))
    with pytest.raises(ValueError, match=r"groups must give one value per row of X \(600\)"):
        dro.fit(lms.X, lms.y, groups=lms.groups[:-1])
    with pytest.raises(NotFittedError):
        check_is_fitted(dro)


def test_the_same_random_state_gives_the_same_network(lms):
    for balanced in (True, False):
        fits = [GroupDROClassifier(SBNetClassifier(**SMALL_NET), balanced_batches=balanced,
                                   random_state=3).fit(lms.X, lms.y, groups=lms.groups)
                for _ in range(2)]
        for a, b in zip(_weights(fits[0]), _weights(fits[1])):
            np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(fits[0].group_weights_, fits[1].group_weights_)


def test_balanced_batches_draw_every_group_equally_often():
    groups = np.repeat([0, 1, 2], [900, 90, 10])
    X = np.arange(1000, dtype=np.float32)[:, None]  # a row's value is its position
    y = groups % 2
    method = _GroupDROLoss(groups=groups, counts=np.bincount(groups), X=X, y=y)
    net = SBNetClassifier(module=torch.nn.Linear(1, 2), device="cpu")
    net.initialize()
    net.classes_inferred_ = np.array([0, 1])
    method._to(torch.device("cpu"))
    torch.manual_seed(0)
    X_batch, y_batch, drawn = method._balanced_batch(net, 30_000, torch.device("cpu"))
    rows = X_batch[:, 0].long().numpy()
    np.testing.assert_array_equal(groups[rows], drawn.numpy())  # rows of the drawn group
    np.testing.assert_array_equal(y[rows], y_batch.numpy())
    np.testing.assert_allclose(np.bincount(drawn.numpy()) / 30_000, 1 / 3, atol=0.01)
    assert len(np.unique(rows[drawn.numpy() == 2])) == 10  # every row of the small group


def test_with_one_group_and_a_zero_step_it_is_erm(lms):
    network = SBNetClassifier(**SMALL_NET)
    dro = GroupDROClassifier(network, step_size=0.0, weight_decay=None,
                             balanced_batches=False, random_state=0)
    dro.fit(lms.X, lms.y, groups=np.zeros(600, int))

    erm = clone(network).set_params(random_state=draw_seed(0)).fit(lms.X, lms.y)
    np.testing.assert_allclose(dro.predict_logits(lms.X), erm.predict_logits(lms.X),
                               rtol=1e-4, atol=1e-5)


def test_weight_decay_replaces_the_network_s_unless_none(lms):
    network = SBNetClassifier(**SMALL_NET, optimizer__weight_decay=1e-4)
    dro = GroupDROClassifier(network, random_state=0).fit(lms.X, lms.y, groups=lms.groups)
    assert dro.estimators_[0].optimizer_.param_groups[0]["weight_decay"] == 1e-3
    assert network.optimizer__weight_decay == 1e-4  # the template is left as it was
    kept = GroupDROClassifier(network, weight_decay=None, random_state=0).fit(lms.X, lms.y)
    assert kept.estimators_[0].optimizer_.param_groups[0]["weight_decay"] == 1e-4


def test_bad_settings_are_refused_with_what_to_do(lms):
    with pytest.raises(InvalidParameterError, match="step_size"):
        GroupDROClassifier(step_size=-1.0).fit(lms.X, lms.y)
    with pytest.raises(ValueError, match="without a method"):
        GroupDROClassifier(SBNetClassifier(**SMALL_NET, method=SpectralDecoupling())).fit(
            lms.X, lms.y)
    with pytest.raises(ValueError, match="train_split=None"):
        GroupDROClassifier(SBNetClassifier(**SMALL_NET, train_split=ValidSplit(5))).fit(
            lms.X, lms.y)


class _Interrupt(Callback):
    def on_epoch_end(self, net, **kwargs):
        raise KeyboardInterrupt


def test_an_interrupt_propagates_and_leaves_it_unfitted(lms):
    dro = GroupDROClassifier(SBNetClassifier(**SMALL_NET, callbacks=[_Interrupt()]))
    with pytest.raises(KeyboardInterrupt):
        dro.fit(lms.X, lms.y, groups=lms.groups)
    with pytest.raises(NotFittedError):
        check_is_fitted(dro)


def test_it_is_registered_as_group_dro():
    method = make_method("group-dro")
    assert isinstance(method, GroupDROClassifier)
    assert method.accepted_side_data() == ["groups"]


def test_the_benchmark_is_told_it_acts_on_minority_groups_only():
    assert GroupDROClassifier.needs_minority_groups
