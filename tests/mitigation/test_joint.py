"""Several members trained jointly in one SBNetClassifier loop, and each seen alone."""

import pickle

import numpy as np
import pytest
import torch

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.mitigation._joint import (
    JointNetworks,
    MembersLoss,
    joint_network,
    member_view,
)
from sklearn_sb.networks import FCN


@pytest.fixture(scope="module")
def lms():
    return make_lms(2000, 10, random_state=0)


@pytest.fixture(scope="module")
def joint(lms):
    template = SBNetClassifier(module__width=30, max_epochs=5, device="cpu", random_state=0)
    return joint_network(template, 3, owner="test").fit(*lms)


def test_the_joint_network_returns_every_members_logits(joint, lms):
    assert joint.predict_logits(lms[0][:4]).shape == (4, 3, 2)


def test_members_are_initialized_independently():
    first, second = JointNetworks("fcn", 2, n_features=10, n_classes=2, width=8).members
    assert not torch.equal(first.layers[1].weight, second.layers[1].weight)
    assert first.layers[1].weight.shape == (8, 10)


def test_a_network_instance_is_copied_and_reinitialized_per_member():
    instance = FCN(10, width=8)
    members = JointNetworks(instance, 2).members
    assert all(member is not instance for member in members)
    assert not torch.equal(members[0].layers[1].weight, instance.layers[1].weight)


def test_summed_members_loss_gives_each_member_its_own_gradient():
    logits = torch.randn(6, 2, 3, requires_grad=True)
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    MembersLoss()(logits, y).backward()
    alone = logits.detach()[:, 1].clone().requires_grad_(True)
    torch.nn.CrossEntropyLoss()(alone, y).backward()
    torch.testing.assert_close(logits.grad[:, 1], alone.grad)


def test_averaged_members_loss_is_the_mean():
    logits, y = torch.randn(6, 4, 2), torch.randint(0, 2, (6,))
    summed = MembersLoss(reduction="sum")(logits, y)
    assert MembersLoss(reduction="mean")(logits, y).item() == pytest.approx(summed.item() / 4)


def test_each_member_trains_as_a_network_of_its_own(joint, lms):
    members = [member_view(joint, module) for module in joint.module_.members]
    assert all(member.score(*lms) > 0.7 for member in members)


def test_a_member_view_predicts_its_members_logits_and_survives_pickling(joint, lms):
    X = lms[0][:5]
    view = member_view(joint, joint.module_.members[1], joint.criterion_.base)
    np.testing.assert_allclose(view.predict_logits(X), joint.predict_logits(X)[:, 1],
                               rtol=1e-6)
    np.testing.assert_allclose(pickle.loads(pickle.dumps(view)).predict_logits(X),
                               view.predict_logits(X), rtol=1e-6)
    assert isinstance(view.criterion_, torch.nn.CrossEntropyLoss)


def test_a_view_keeps_the_networks_criterion_unless_given_one(joint):
    assert member_view(joint, joint.module_.members[0]).criterion_ is joint.criterion_


def test_the_template_is_left_untouched(lms):
    template = SBNetClassifier(module__width=30, max_epochs=1, device="cpu")
    joint_network(template, 2, owner="test")
    assert template.module == "fcn" and template.criterion is None


def test_member_views_share_the_joint_networks_parameters(joint):
    view = member_view(joint, joint.module_.members[0])
    assert view.module_ is joint.module_.members[0]
    assert view.optimizer_ is joint.optimizer_


def test_a_target_stops_joint_training_when_every_member_reaches_it(lms):
    template = SBNetClassifier(module__width=30, max_epochs=30, device="cpu", random_state=0,
                               target_accuracy=0.9)
    joint = joint_network(template, 2, owner="test").fit(*lms)
    assert len(joint.history) < 30 and joint.history[-1, "target_reached"]
    members = [member_view(joint, module) for module in joint.module_.members]
    assert min(member.score(*lms) for member in members) >= 0.9


@pytest.mark.parametrize("make, fit_params", [
    ("GradientDiversityClassifier", lambda X: {}),
    ("DivDisClassifier", lambda X: {"X_ood": X[:20]}),
])
def test_a_template_with_a_validation_split_is_refused_naming_the_method(lms, make,
                                                                         fit_params):
    from skorch.dataset import ValidSplit

    from sklearn_sb import mitigation

    X, y = lms
    template = SBNetClassifier(module__width=8, max_epochs=1, train_split=ValidSplit(5))
    method = getattr(mitigation, make)(template, random_state=0)
    with pytest.raises(ValueError, match=f"{make} trains its members as one network.*"
                                         "set train_split=None"):
        method.fit(X, y, **fit_params(X))
    assert not hasattr(method, "estimators_")
