"""Recurrent network that reads the coordinates as a sequence."""

from numbers import Integral, Real

from torch import nn

from ..utils._param_validation import Interval, validate_params
from ._registry import register_network


@register_network("gru")
class GRU(nn.Module):
    """GRU that reads the ``n_features`` coordinates one at a time.

    The input row is a sequence of ``n_features`` scalars; the last hidden
    state of the top layer goes through a linear layer to the logits.
    Defaults: one layer of 64 hidden units. ``dropout`` zeroes units of the
    last hidden state before the linear layer, and of the outputs between
    stacked layers (``torch.nn.GRU``'s own dropout) when there are several.

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
    dropout : float in [0, 1), default=0.0
        Probability of zeroing a unit in training, before the linear layer
        and between stacked layers.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import GRU
    >>> GRU(50)(torch.zeros(4, 50)).shape
    torch.Size([4, 2])
    >>> GRU(50, num_layers=2, dropout=0.2).gru.dropout
    0.2
    """

    @validate_params(
        {
            "n_features": [Interval(Integral, 1, None, closed="left")],
            "n_classes": [Interval(Integral, 2, None, closed="left")],
            "hidden_size": [Interval(Integral, 1, None, closed="left")],
            "num_layers": [Interval(Integral, 1, None, closed="left")],
            "dropout": [Interval(Real, 0, 1, closed="left")],
        },
        prefer_skip_nested_validation=True,
    )
    def __init__(self, n_features, n_classes=2, hidden_size=64, num_layers=1, *, dropout=0.0):
        super().__init__()
        self.n_features = n_features
        # nn.GRU drops out only between layers, and warns when it has none.
        self.gru = nn.GRU(1, hidden_size, num_layers=num_layers, batch_first=True,
                          dropout=dropout if num_layers > 1 else 0.0)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, x):
        _, hidden = self.gru(x.reshape(len(x), self.n_features, 1))
        return self.head(self.dropout(hidden[-1]))
