"""PyTorch networks of the paper, usable on their own or by name in SBNetClassifier."""

from ._cnn import CNN
from ._fcn import FCN
from ._gru import GRU
from ._image import DenseNet121, GoogLeNet, MobileNetV2, ResNet18, ResNet50
from ._irm_mlp import IRMMLP
from ._lenet import DBATLeNet
from ._registry import available_networks, get_network, register_network
from ._small_cnn import SmallCNN
from ._theorem1 import BinaryHingeLoss, Theorem1Net

__all__ = [
    "CNN",
    "DBATLeNet",
    "FCN",
    "GRU",
    "IRMMLP",
    "BinaryHingeLoss",
    "DenseNet121",
    "GoogLeNet",
    "MobileNetV2",
    "ResNet18",
    "ResNet50",
    "SmallCNN",
    "Theorem1Net",
    "available_networks",
    "get_network",
    "register_network",
]
