"""Binary networks with one logit, as the D-BAT and spectral decoupling authors train them."""

import torch
from torch import nn


class SingleLogit(nn.Module):
    """The output ``z`` of a one-unit layer, returned as the pair of logits ``(0, z)``.

    Cross-entropy on ``(0, z)`` is the binary cross-entropy of ``z``, so a
    network ending with it trains exactly as one with a single logit and
    BCE, while predicting like every other classifier of the package.
    Methods that act on logits (spectral decoupling) act on ``z``: the
    network declares ``single_logit = True``.
    """

    def forward(self, z):
        return torch.cat([torch.zeros_like(z), z], dim=1)
