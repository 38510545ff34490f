"""The networks: shapes, the paper's architectures and the name registry."""

import math

import pytest
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from torch import nn

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.networks import (
    CNN,
    FCN,
    GRU,
    BinaryHingeLoss,
    SmallCNN,
    Theorem1Net,
    available_networks,
    get_network,
    register_network,
)


@pytest.mark.parametrize(
    "network, batch",
    [
        (FCN(50), torch.randn(4, 50)),
        (CNN(50), torch.randn(4, 50)),
        (GRU(50), torch.randn(4, 50)),
        (Theorem1Net(50), torch.randn(4, 50)),
        (SmallCNN(), torch.rand(4, 3, 64, 32)),
        (SmallCNN(), torch.rand(4, 3 * 64 * 32)),
        (FCN(3 * 64 * 32), torch.rand(4, 3, 64, 32)),
        (FCN(50, activation="tanh", dropout=0.5), torch.randn(4, 50)),
        (CNN(50, activation="leaky_relu", dropout=0.2), torch.randn(4, 50)),
        (GRU(50, num_layers=2, dropout=0.2), torch.randn(4, 50)),
    ],
    ids=["fcn", "cnn", "gru", "theorem1", "small_cnn", "small_cnn-flat", "fcn-images",
         "fcn-tanh-dropout", "cnn-leaky_relu-dropout", "gru-2-layers-dropout"],
)
def test_forward_and_backward_give_one_logit_per_class(network, batch):
    logits = network(batch)
    assert logits.shape == (4, 2)
    logits.sum().backward()
    assert all(p.grad is not None for p in network.parameters())


@pytest.mark.parametrize("width, depth", [(100, 2), (200, 1), (300, 2), (10, 0)])
def test_fcn_has_depth_hidden_relu_layers_of_width_units(width, depth):
    net = FCN(50, width=width, depth=depth)
    linears = [m for m in net.modules() if isinstance(m, nn.Linear)]
    relus = [m for m in net.modules() if isinstance(m, nn.ReLU)]
    assert len(linears) == depth + 1 and len(relus) == depth
    assert [m.out_features for m in linears] == [width] * depth + [2]
    assert linears[0].in_features == 50


def _plain_fcn():
    return nn.Sequential(nn.Flatten(), nn.Linear(50, 100), nn.ReLU(), nn.Linear(100, 100),
                         nn.ReLU(), nn.Linear(100, 2))


def _plain_cnn():
    return nn.Sequential(nn.Flatten(), nn.Unflatten(1, (1, 50)), nn.Conv1d(1, 32, 5, padding=2),
                         nn.ReLU(), nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.Flatten(),
                         nn.Linear(32 * 50, 2))


def _plain_gru():
    return nn.ModuleDict({"gru": nn.GRU(1, 64, batch_first=True), "head": nn.Linear(64, 2)})


@pytest.mark.parametrize(
    "network, plain", [(FCN, _plain_fcn), (CNN, _plain_cnn), (GRU, _plain_gru)],
    ids=["fcn", "cnn", "gru"],
)
def test_default_options_leave_the_plain_network_and_its_seeded_weights(network, plain):
    torch.manual_seed(0)
    ours = network(50).state_dict()
    torch.manual_seed(0)
    reference = plain().state_dict()
    # FCN and CNN hold their layers in `layers`, numbered as in the plain Sequential.
    reference = {(k if network is GRU else f"layers.{k}"): v for k, v in reference.items()}
    assert list(ours) == list(reference)
    for key, value in reference.items():
        torch.testing.assert_close(ours[key], value, rtol=0, atol=0)


@pytest.mark.parametrize("network", [FCN, CNN])
@pytest.mark.parametrize(
    "activation, layer",
    [("relu", nn.ReLU), ("tanh", nn.Tanh), ("leaky_relu", nn.LeakyReLU), ("elu", nn.ELU)],
)
def test_activation_follows_every_hidden_layer(network, activation, layer):
    net = network(20, depth=3, activation=activation)
    assert sum(isinstance(m, layer) for m in net.modules()) == 3
    assert not any(isinstance(m, nn.Dropout) for m in net.modules())


@pytest.mark.parametrize("network", [FCN, CNN])
def test_dropout_follows_every_hidden_activation_in_training_only(network):
    net = network(20, depth=2, activation="elu", dropout=0.5)
    layers = list(net.layers)
    dropouts = [i for i, m in enumerate(layers) if isinstance(m, nn.Dropout)]
    assert len(dropouts) == 2
    assert all(isinstance(layers[i - 1], nn.ELU) and layers[i].p == 0.5 for i in dropouts)
    x = torch.randn(8, 20)
    torch.manual_seed(0)
    assert not torch.equal(net(x), net(x))
    net.eval()
    assert torch.equal(net(x), net(x))


def test_gru_dropout_before_the_head_and_between_stacked_layers():
    one_layer = GRU(10, dropout=0.5)
    assert one_layer.gru.dropout == 0 and one_layer.dropout.p == 0.5
    assert GRU(10, num_layers=2, dropout=0.5).gru.dropout == 0.5
    x = torch.randn(8, 10)
    torch.manual_seed(0)
    assert not torch.equal(one_layer(x), one_layer(x))
    one_layer.eval()
    assert torch.equal(one_layer(x), one_layer(x))


@pytest.mark.parametrize("network", [FCN, CNN, GRU])
@pytest.mark.parametrize("dropout", [-0.1, 1.0])
def test_dropout_must_be_a_probability_below_one(network, dropout):
    with pytest.raises(ValueError, match=r"'dropout' parameter .* range \[0.0, 1.0\)"):
        network(10, dropout=dropout)


@pytest.mark.parametrize("network", [FCN, CNN])
def test_unknown_activation_lists_the_known_ones(network):
    with pytest.raises(ValueError, match="'activation' parameter .*'leaky_relu'"):
        network(10, activation="gelu")


def test_activation_and_dropout_are_grid_searchable_through_the_classifier():
    X, y = make_lms(300, 6, random_state=0)
    net = SBNetClassifier("fcn", module__width=8, max_epochs=1, device="cpu", random_state=0)
    grid = {"module__activation": ["relu", "tanh"], "module__dropout": [0.0, 0.3]}
    search = GridSearchCV(net, grid, cv=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    best = search.best_estimator_.module_
    activation = {"relu": nn.ReLU, "tanh": nn.Tanh}[search.best_params_["module__activation"]]
    assert any(isinstance(m, activation) for m in best.modules())
    assert any(isinstance(m, nn.Dropout) for m in best.modules()) == (
        search.best_params_["module__dropout"] > 0
    )


@pytest.mark.parametrize("module", ["cnn", "gru"])
def test_cloned_classifier_builds_the_network_with_its_new_options(module):
    X, y = make_lms(100, 6, random_state=0)
    net = SBNetClassifier(module, max_epochs=1, device="cpu", random_state=0)
    net = clone(net).set_params(module__dropout=0.4)
    net.fit(X, y)
    assert net.get_params()["module__dropout"] == 0.4
    assert [m.p for m in net.module_.modules() if isinstance(m, nn.Dropout)][0] == 0.4


def test_n_classes_sets_the_number_of_logits():
    assert FCN(10, n_classes=5)(torch.zeros(3, 10)).shape == (3, 5)
    assert CNN(10, n_classes=5)(torch.zeros(3, 10)).shape == (3, 5)
    assert GRU(10, n_classes=5)(torch.zeros(3, 10)).shape == (3, 5)


def test_theorem1_initialisation_and_fixed_output_weights():
    d, k = 400, 200
    torch.manual_seed(0)
    net = Theorem1Net(d, n_hidden=k)
    expected_std = 1 / math.sqrt(d * k * math.log(d) ** 4)
    assert net.hidden.weight.std().item() == pytest.approx(expected_std, rel=0.02)
    assert net.hidden.bias is None
    v = net.output_weights
    assert torch.allclose(v.abs(), torch.full((k,), k**-0.5))
    assert (v > 0).sum() == (v < 0).sum() == k // 2
    assert "output_weights" not in dict(net.named_parameters())


def test_theorem1_margin_is_the_network_function():
    net = Theorem1Net(5, n_hidden=4)
    x = torch.randn(7, 5)
    f = torch.relu(x @ net.hidden.weight.T) @ net.output_weights
    logits = net(x)
    torch.testing.assert_close(logits[:, 1] - logits[:, 0], f)


def test_theorem1_is_binary_only():
    with pytest.raises(ValueError, match="n_classes=3"):
        Theorem1Net(5, n_classes=3)


def test_hinge_loss_on_the_logit_margin():
    logits = torch.tensor([[0.0, 2.0], [0.0, 0.5], [1.0, 0.0]])
    target = torch.tensor([1, 0, 0])
    # margins 2, 0.5, -1 with signs +1, -1, -1: losses 0, 1.5, 0
    assert BinaryHingeLoss()(logits, target).item() == pytest.approx(0.5)


def test_small_cnn_checks_flat_rows_against_the_image_shape():
    with pytest.raises(ValueError, match="input_shape"):
        SmallCNN(n_features=50)
    SmallCNN(n_features=3 * 16 * 16, input_shape=(3, 16, 16))


def test_registry_resolves_the_paper_networks():
    assert {"fcn", "cnn", "gru", "theorem1", "small_cnn"} <= set(available_networks())
    assert get_network("fcn") is FCN and get_network("theorem1") is Theorem1Net


def test_unknown_network_lists_the_known_ones():
    with pytest.raises(ValueError, match="'fcn'"):
        get_network("resnet9000")


def test_registering_a_network_and_refusing_a_clash(monkeypatch):
    from sklearn_sb.networks import _registry

    monkeypatch.setattr(_registry._NETWORKS, "_entries", _registry._NETWORKS.entries())

    @register_network("test-only-linear")
    class Linear(nn.Linear):
        pass

    assert get_network("test-only-linear") is Linear
    assert register_network("test-only-linear")(Linear) is Linear
    with pytest.raises(ValueError, match="already registered"):
        register_network("fcn")(Linear)
