"""Fully connected ReLU network."""

from numbers import Integral

from torch import nn

from ..utils._param_validation import Interval, validate_params
from ._registry import register_network


@register_network("fcn")
class FCN(nn.Module):
    """Fully connected network: ``depth`` hidden ReLU layers of ``width`` units.

    The paper's FCN(width, depth): ``depth`` blocks of ``Linear + ReLU``, then a
    linear layer to the class logits, with PyTorch's default initialisation.
    Inputs of any shape are flattened.

    Parameters
    ----------
    n_features : int
        Number of input features (after flattening).
    n_classes : int, default=2
        Number of output logits.
    width : int, default=100
        Units per hidden layer.
    depth : int, default=2
        Number of hidden layers; 0 gives a linear model.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import FCN
    >>> net = FCN(50, width=100, depth=2)
    >>> net(torch.zeros(4, 50)).shape
    torch.Size([4, 2])
    """

    @validate_params(
        {
            "n_features": [Interval(Integral, 1, None, closed="left")],
            "n_classes": [Interval(Integral, 2, None, closed="left")],
            "width": [Interval(Integral, 1, None, closed="left")],
            "depth": [Interval(Integral, 0, None, closed="left")],
        },
        prefer_skip_nested_validation=True,
    )
    def __init__(self, n_features, n_classes=2, width=100, depth=2):
        super().__init__()
        layers = [nn.Flatten()]
        fan_in = n_features
        for _ in range(depth):
            layers += [nn.Linear(fan_in, width), nn.ReLU()]
            fan_in = width
        layers.append(nn.Linear(fan_in, n_classes))
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)
