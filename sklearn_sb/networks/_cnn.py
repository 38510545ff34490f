"""One-dimensional convolutional network over the coordinates."""

from numbers import Integral, Real

from torch import nn

from ..utils._param_validation import Interval, StrOptions, validate_params
from ._activations import ACTIVATIONS, hidden_block
from ._registry import register_network


@register_network("cnn")
class CNN(nn.Module):
    """1-D CNN that reads the ``n_features`` coordinates as a one-channel signal.

    ``depth`` convolutions of ``channels`` filters of size ``kernel_size``
    ("same" padding, ReLU by default), then a linear layer from the flattened
    feature maps to the logits. The flattening keeps the position of every
    coordinate, which matters since the coordinates are not interchangeable.
    Defaults: 2 layers of 32 filters of size 5, about 8.5k weights for 50
    features.

    Parameters
    ----------
    n_features : int
        Length of the input signal.
    n_classes : int, default=2
        Number of output logits.
    channels : int, default=32
        Filters per convolution.
    kernel_size : int, default=5
        Odd filter length.
    depth : int, default=2
        Number of convolutions.
    activation : {'relu', 'tanh', 'leaky_relu', 'elu'}, default='relu'
        Activation after each convolution.
    dropout : float in [0, 1), default=0.0
        Probability of zeroing a feature-map value in training, applied after
        each activation; 0 adds no dropout layer.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import CNN
    >>> CNN(50)(torch.zeros(4, 50)).shape
    torch.Size([4, 2])
    >>> CNN(50, activation="elu", dropout=0.1)(torch.zeros(4, 50)).shape
    torch.Size([4, 2])
    """

    @validate_params(
        {
            "n_features": [Interval(Integral, 1, None, closed="left")],
            "n_classes": [Interval(Integral, 2, None, closed="left")],
            "channels": [Interval(Integral, 1, None, closed="left")],
            "kernel_size": [Interval(Integral, 1, None, closed="left")],
            "depth": [Interval(Integral, 0, None, closed="left")],
            "activation": [StrOptions(set(ACTIVATIONS))],
            "dropout": [Interval(Real, 0, 1, closed="left")],
        },
        prefer_skip_nested_validation=True,
    )
    def __init__(self, n_features, n_classes=2, channels=32, kernel_size=5, depth=2, *,
                 activation="relu", dropout=0.0):
        super().__init__()
        layers = [nn.Flatten(), nn.Unflatten(1, (1, n_features))]
        in_channels = 1
        for _ in range(depth):
            layers += [
                nn.Conv1d(in_channels, channels, kernel_size, padding=kernel_size // 2),
                *hidden_block(activation, dropout),
            ]
            in_channels = channels
        layers += [nn.Flatten(), nn.Linear(in_channels * n_features, n_classes)]
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)
