"""Training steps that also penalize the network's outputs on a companion batch.

D-BAT and DivDis add to every training batch's loss a term computed on
as many unlabeled rows (the next batch of D_ood). This module is the one
implementation of that step: the network sees both batches in one forward
pass when its outputs for a row do not depend on the other rows of the
batch (no batch normalization), which halves the number of operations of
a small network's step; with batch normalization the batches go through
separately, so that the statistics of the training batch stay its own.
"""

from weakref import WeakKeyDictionary

import torch
from torch.nn.modules.batchnorm import _BatchNorm

# Walking a module tree every step is a measurable share of a small network's step.
_MIXES_ROWS = WeakKeyDictionary()


def mixes_rows(module):
    """Whether a training-mode forward pass of ``module`` mixes the rows of its batch."""
    if module not in _MIXES_ROWS:
        _MIXES_ROWS[module] = any(isinstance(layer, _BatchNorm) for layer in module.modules())
    return _MIXES_ROWS[module]


def step_with_companion(net, X, y, companion, penalty):
    """One training step on ``(X, y)`` whose loss adds ``penalty`` of the outputs on ``companion``.

    Parameters
    ----------
    net : SBNetClassifier
        The network being trained.
    X, y : torch.Tensor
        The training batch.
    companion : torch.Tensor
        The companion rows, shaped like ``X``'s rows.
    penalty : callable
        ``penalty(outputs) -> scalar tensor`` of the network's outputs on
        ``companion``.

    Returns
    -------
    step : dict
        ``{'loss': loss, 'y_pred': y_pred}``, as the plain step returns.
    """
    net._set_training(True)
    if mixes_rows(net.module_):
        y_pred, outputs = net.infer(X), net.infer(companion)
    else:
        y_pred, outputs = net.infer(torch.cat([X, companion])).split([len(X), len(companion)])
    loss = net.get_loss(y_pred, y, X=X, training=True) + penalty(outputs)
    loss.backward()
    return {"loss": loss, "y_pred": y_pred}
