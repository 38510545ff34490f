"""The CIFAR-style image networks: shapes, stems, registry, use by name."""

import subprocess
import sys

import numpy as np
import pytest
import torch
from torch import nn

from sklearn_sb import SBNetClassifier
from sklearn_sb.networks import (
    DenseNet121,
    GoogLeNet,
    MobileNetV2,
    ResNet18,
    ResNet50,
    SmallCNN,
    get_network,
)

NETWORKS = {
    "resnet18": ResNet18,
    "resnet50": ResNet50,
    "mobilenet_v2": MobileNetV2,
    "googlenet": GoogLeNet,
    "densenet121": DenseNet121,
    "small_cnn": SmallCNN,
}
IMAGE_NETWORKS = [name for name in NETWORKS if name != "small_cnn"]


@pytest.mark.parametrize("name", NETWORKS)
def test_registered_by_name(name):
    assert get_network(name) is NETWORKS[name]


@pytest.mark.parametrize("name", NETWORKS)
def test_forward_and_backward_on_images_and_flat_rows(name):
    torch.manual_seed(0)
    network = get_network(name)(n_features=6144)
    images = torch.rand(2, 3, 64, 32)
    logits = network(images)
    assert logits.shape == (2, 2)
    logits.sum().backward()
    assert all(p.grad is not None for p in network.parameters())
    network.eval()
    with torch.no_grad():
        torch.testing.assert_close(network(images.reshape(2, -1)), network(images))


def _first_conv(network):
    return next(m for m in network.modules() if isinstance(m, nn.Conv2d))


@pytest.mark.parametrize("name", IMAGE_NETWORKS)
def test_first_convolution_is_3x3_stride_1(name):
    conv = _first_conv(get_network(name)())
    assert conv.kernel_size == (3, 3) and conv.stride == (1, 1) and conv.padding == (1, 1)
    assert conv.in_channels == 3


def test_stems_adapted_for_32_pixel_wide_images():
    resnet = ResNet50().backbone
    assert isinstance(resnet.maxpool, nn.MaxPool2d), "the reference ResNet keeps its max-pool"
    googlenet = GoogLeNet().backbone
    assert isinstance(googlenet.maxpool1, nn.Identity)
    assert isinstance(googlenet.maxpool2, nn.Identity)
    assert googlenet.aux1 is None and not googlenet.transform_input
    assert isinstance(DenseNet121().backbone.features.pool0, nn.Identity)


@pytest.mark.parametrize("name", IMAGE_NETWORKS)
def test_other_image_shapes_and_class_counts(name):
    network = get_network(name)(n_classes=10, input_shape=(1, 28, 28))
    assert _first_conv(network).in_channels == 1
    assert network(torch.rand(2, 1 * 28 * 28)).shape == (2, 10)


@pytest.mark.parametrize("name", IMAGE_NETWORKS)
def test_shape_checks(name):
    with pytest.raises(ValueError, match="module__input_shape"):
        get_network(name)(n_features=50)
    with pytest.raises(ValueError, match=r"\(channels, height, width\)"):
        get_network(name)(input_shape=(64, 32))


@pytest.mark.parametrize("name, shape", [("resnet18", (3, 64, 32)), ("mobilenet_v2", (6144,))])
def test_trained_by_name_in_sbnetclassifier(name, shape):
    rng = np.random.default_rng(0)
    X = rng.random((8, *shape), dtype=np.float32)
    y = np.array([0, 1] * 4)
    clf = SBNetClassifier(name, max_epochs=1, batch_size=4, device="cpu",
                          random_state=0).fit(X, y)
    assert isinstance(clf.module_, get_network(name))
    assert clf.module_.input_shape == (3, 64, 32)
    assert clf.predict_logits(X).shape == (8, 2)


def test_importing_the_networks_does_not_load_torchvision():
    code = "import sys, sklearn_sb.networks; print('torchvision' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "False"
