"""The networks: shapes, the paper's architectures and the name registry."""

import math

import pytest
import torch
from torch import nn

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
    ],
    ids=["fcn", "cnn", "gru", "theorem1", "small_cnn", "small_cnn-flat", "fcn-images"],
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
