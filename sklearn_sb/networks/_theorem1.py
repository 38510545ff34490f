"""The one-hidden-layer network of Theorem 1, and its hinge loss."""

import math

import torch
from torch import nn

from ._registry import register_network


class BinaryHingeLoss(nn.Module):
    """Hinge loss on the margin ``logit[1] - logit[0]``, labels in {0, 1}.

    ``mean(max(0, 1 - (2y - 1) * (logit[1] - logit[0])))``.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import BinaryHingeLoss
    >>> BinaryHingeLoss()(torch.tensor([[0.0, 2.0], [0.0, 0.5]]), torch.tensor([1, 0]))
    tensor(0.7500)
    """

    def __init__(self):
        super().__init__()

    def forward(self, logits, target):
        margin = logits[:, 1] - logits[:, 0]
        sign = 2 * target.to(margin.dtype) - 1
        return torch.relu(1 - sign * margin).mean()


@register_network("theorem1")
class Theorem1Net(nn.Module):
    """``f(x) = sum_j v_j ReLU(w_j^T x)`` with fixed output weights (Theorem 1).

    ``n_hidden = k`` hidden units without biases; the output weights
    ``v_j = ±1/sqrt(k)`` (the first half positive) are a buffer, not trained;
    the hidden weights start from ``N(0, 1 / (d k log^4 d))`` with ``d`` the
    number of features. The module returns the logits ``(-f/2, f/2)``, so
    ``logit[1] - logit[0] = f``. Its default loss in
    :class:`~sklearn_sb.SBNetClassifier` is :class:`BinaryHingeLoss`.

    Parameters
    ----------
    n_features : int
        Input dimension d (at least 2).
    n_classes : int, default=2
        Must be 2.
    n_hidden : int, default=100
        Hidden units k.

    Attributes
    ----------
    hidden : torch.nn.Linear
        The trained weights ``w``, one row per hidden unit.
    output_weights : torch.Tensor
        The fixed ``v``.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import Theorem1Net
    >>> net = Theorem1Net(50, n_hidden=10)
    >>> net.output_weights.abs().unique()
    tensor([0.3162])
    >>> net(torch.zeros(3, 50)).shape
    torch.Size([3, 2])
    """

    default_criterion = BinaryHingeLoss

    def __init__(self, n_features, n_classes=2, n_hidden=100):
        super().__init__()
        if n_classes != 2:
            raise ValueError(
                f"Theorem1Net is a binary classifier; got n_classes={n_classes}."
            )
        if n_features < 2:
            raise ValueError(f"Theorem1Net needs n_features >= 2; got {n_features}.")
        self.hidden = nn.Linear(n_features, n_hidden, bias=False)
        std = (n_features * n_hidden * math.log(n_features) ** 4) ** -0.5
        nn.init.normal_(self.hidden.weight, std=std)
        signs = torch.ones(n_hidden)
        signs[n_hidden - n_hidden // 2 :] = -1
        self.register_buffer("output_weights", signs / math.sqrt(n_hidden))

    def forward(self, x):
        f = torch.relu(self.hidden(x.flatten(1))) @ self.output_weights
        return torch.stack([-f / 2, f / 2], dim=1)
