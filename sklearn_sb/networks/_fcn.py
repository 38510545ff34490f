"""Fully connected network."""

from numbers import Integral, Real

from torch import nn

from ..utils._param_validation import Interval, StrOptions, validate_params
from ._activations import ACTIVATIONS, hidden_block
from ._registry import register_network


@register_network("fcn")
class FCN(nn.Module):
    """Fully connected network: ``depth`` hidden layers of ``width`` units.

    The paper's FCN(width, depth): ``depth`` blocks of ``Linear + ReLU``, then a
    linear layer to the class logits, with PyTorch's default initialisation.
    Inputs of any shape are flattened. Another activation, and dropout after
    each hidden activation, test the paper's claim that simplicity bias holds
    across activation functions and regularization.

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
    activation : {'relu', 'tanh', 'leaky_relu', 'elu'}, default='relu'
        Activation of the hidden layers (:class:`torch.nn.LeakyReLU` and
        :class:`torch.nn.ELU` with PyTorch's default slopes).
    dropout : float in [0, 1), default=0.0
        Probability of zeroing a hidden unit in training, applied after each
        hidden activation; 0 adds no dropout layer.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import FCN
    >>> net = FCN(50, width=100, depth=2)
    >>> net(torch.zeros(4, 50)).shape
    torch.Size([4, 2])
    >>> FCN(50, activation="tanh", dropout=0.2).layers[1:4]
    Sequential(
      (1): Linear(in_features=50, out_features=100, bias=True)
      (2): Tanh()
      (3): Dropout(p=0.2, inplace=False)
    )
    """

    @validate_params(
        {
            "n_features": [Interval(Integral, 1, None, closed="left")],
            "n_classes": [Interval(Integral, 2, None, closed="left")],
            "width": [Interval(Integral, 1, None, closed="left")],
            "depth": [Interval(Integral, 0, None, closed="left")],
            "activation": [StrOptions(set(ACTIVATIONS))],
            "dropout": [Interval(Real, 0, 1, closed="left")],
        },
        prefer_skip_nested_validation=True,
    )
    def __init__(self, n_features, n_classes=2, width=100, depth=2, *, activation="relu",
                 dropout=0.0):
        super().__init__()
        layers = [nn.Flatten()]
        fan_in = n_features
        for _ in range(depth):
            layers += [nn.Linear(fan_in, width), *hidden_block(activation, dropout)]
            fan_in = width
        layers.append(nn.Linear(fan_in, n_classes))
        self.layers = nn.Sequential(*layers)

    def forward(self, x):
        return self.layers(x)
