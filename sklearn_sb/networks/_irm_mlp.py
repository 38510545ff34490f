"""The MLP of the IRM and spectral decoupling Colored MNIST code."""

from numbers import Integral

from torch import nn

from ..utils._param_validation import Interval, validate_params
from ._registry import register_network
from ._single_logit import SingleLogit


@register_network("irm_mlp")
class IRMMLP(nn.Module):
    """Linear layers with ReLU, xavier-uniform weights and zero biases, one logit.

    The network of the Colored MNIST code of Arjovsky et al. (IRM) that the
    spectral decoupling authors reuse (``mpezeshki/Gradient_Starvation``):
    392 -> 300 -> 300 -> 1 for 2 x 14 x 14 images. With two classes the last
    layer has one unit, returned as the logits ``(0, z)`` (a single logit
    with binary cross-entropy).

    Parameters
    ----------
    n_features : int
    n_classes : int, default=2
    width : int, default=300
    depth : int, default=2
        Hidden layers.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import IRMMLP
    >>> IRMMLP(392)(torch.zeros(3, 392)).shape
    torch.Size([3, 2])
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
    def __init__(self, n_features, n_classes=2, width=300, depth=2):
        super().__init__()
        self.single_logit = n_classes == 2
        sizes = [n_features] + [width] * depth + [1 if self.single_logit else n_classes]
        layers = [nn.Flatten()]
        for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
            linear = nn.Linear(fan_in, fan_out)
            nn.init.xavier_uniform_(linear.weight)
            nn.init.zeros_(linear.bias)
            layers += [linear, nn.ReLU()]
        layers.pop()
        if self.single_logit:
            layers.append(SingleLogit())
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)
