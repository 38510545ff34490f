"""The LeNet of the D-BAT authors' dominoes notebooks."""

from numbers import Integral

from torch import nn

from ..utils._param_validation import Interval, validate_params
from ._image_input import ImageInput
from ._registry import register_network
from ._single_logit import SingleLogit


@register_network("dbat_lenet")
class DBATLeNet(ImageInput):
    """Two 5x5 convolutions with average pooling, three linear layers, one logit.

    The network of the D-BAT authors' M/C-Dominoes notebook (Pagliardini et
    al., repository ``mpagli/Agree-to-Disagree``): conv 3->32 (5 x 5, padding
    2), ReLU, average pooling 2; conv 32->56 (5 x 5), ReLU, average pooling
    3; linear 2016->512->256, ReLU; a last linear layer. For the 3 x 64 x 32
    MNIST-CIFAR images the flattened features are 56 x 9 x 4 = 2016. With two
    classes the last layer has one unit, returned as the logits ``(0, z)``
    (the authors' single logit with binary cross-entropy).

    Parameters
    ----------
    n_features : int, default=None
        Flattened input size; checked against ``input_shape`` when given.
    n_classes : int, default=2
    input_shape : tuple of int, default=(3, 64, 32)

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import DBATLeNet
    >>> logits = DBATLeNet()(torch.zeros(2, 3, 64, 32))
    >>> logits.shape, logits[:, 0].abs().max().item()
    (torch.Size([2, 2]), 0.0)
    """

    @validate_params(
        {
            "n_features": [Interval(Integral, 1, None, closed="left"), None],
            "n_classes": [Interval(Integral, 2, None, closed="left")],
            "input_shape": [tuple, list],
        },
        prefer_skip_nested_validation=True,
    )
    def __init__(self, n_features=None, n_classes=2, input_shape=(3, 64, 32)):
        super().__init__(n_features, input_shape)
        channels, height, width = self.input_shape
        flat = 56 * ((height // 2 - 4) // 3) * ((width // 2 - 4) // 3)
        self.single_logit = n_classes == 2
        self.backbone = nn.Sequential(
            nn.Conv2d(channels, 32, 5, padding=2), nn.ReLU(), nn.AvgPool2d(2),
            nn.Conv2d(32, 56, 5), nn.ReLU(), nn.AvgPool2d(3),
            nn.Flatten(),
            nn.Linear(flat, 512), nn.ReLU(),
            nn.Linear(512, 256), nn.ReLU(),
            nn.Linear(256, 1 if self.single_logit else n_classes),
            *([SingleLogit()] if self.single_logit else []),
        )
