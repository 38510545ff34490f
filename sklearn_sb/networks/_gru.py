"""Recurrent network that reads the coordinates as a sequence."""

from numbers import Integral

from torch import nn

from ..utils._param_validation import Interval, validate_params
from ._registry import register_network


@register_network("gru")
class GRU(nn.Module):
    """GRU that reads the ``n_features`` coordinates one at a time.

    The input row is a sequence of ``n_features`` scalars; the last hidden
    state of the top layer goes through a linear layer to the logits.
    Defaults: one layer of 64 hidden units.

    Parameters
    ----------
    n_features : int
        Sequence length.
    n_classes : int, default=2
        Number of output logits.
    hidden_size : int, default=64
        Hidden units per layer.
    num_layers : int, default=1
        Stacked GRU layers.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import GRU
    >>> GRU(50)(torch.zeros(4, 50)).shape
    torch.Size([4, 2])
    """

    @validate_params(
        {
            "n_features": [Interval(Integral, 1, None, closed="left")],
            "n_classes": [Interval(Integral, 2, None, closed="left")],
            "hidden_size": [Interval(Integral, 1, None, closed="left")],
            "num_layers": [Interval(Integral, 1, None, closed="left")],
        },
        prefer_skip_nested_validation=True,
    )
    def __init__(self, n_features, n_classes=2, hidden_size=64, num_layers=1):
        super().__init__()
        self.n_features = n_features
        self.gru = nn.GRU(1, hidden_size, num_layers=num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, x):
        _, hidden = self.gru(x.reshape(len(x), self.n_features, 1))
        return self.head(hidden[-1])
