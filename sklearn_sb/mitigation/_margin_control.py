"""Margin control, MARG-CTRL (Puli, Zhang, Wald and Ranganath, NeurIPS 2023)."""

from numbers import Real

import torch
import torch.nn.functional as F
from scipy.stats import loguniform, uniform

from ..utils._param_validation import Interval, StrOptions
from ._base import TrainingMethod
from ._registry import register_method

#: The losses of the family this class computes (spectral decoupling, the
#: fourth, is :class:`~sklearn_sb.mitigation.SpectralDecoupling`).
LOSSES = ("marg-log", "sigma-damp", "alpha-stitch")

# sigma-damp's damping offset: the factor (1.1 - sigmoid(u)) stays above 0.1,
# so the damped margin keeps growing (slowly) and the loss still tends to 0.
_DAMP_OFFSET = 1.1


@register_method("margin-control")
@register_method("marg-log", params={"loss": "marg-log"})
@register_method("sigma-damp", params={"loss": "sigma-damp"})
@register_method("alpha-stitch", params={"loss": "alpha-stitch"})
class MarginControl(TrainingMethod):
    """Replace the cross-entropy by a loss that favours uniform margins.

    Passed as ``SBNetClassifier(method=MarginControl(...))``. Puli et al.
    argue that a network trained by gradient descent on the cross-entropy
    keeps growing its margins ``u = y f(x)`` (``y`` in {-1, +1}), and that
    the largest margins are reached by leaning on a shortcut even where a
    stable feature predicts the label perfectly, as S and the slabs both do
    on LMS-5. Their margin-control (MARG-CTRL) losses stop rewarding large
    margins, which favours solutions whose training margins are all alike.
    With ``l(u) = log(1 + exp(-u))`` the logistic loss (the cross-entropy of
    two logits), the training loss of a batch is the mean over its rows of:

    * ``'marg-log'``: ``l(u) + strength * log(1 + f(x) ** 2)``, a penalty
      on the log of the squared logit, which grows without bound with the
      margin and so makes very large margins costly;
    * ``'sigma-damp'``: ``l(temperature * u * (1.1 - sigmoid(u)))``, the
      logistic loss of a damped margin. The damped margin grows with ``u``
      but almost stops around ``u = 2.4`` (1.1 is about the smallest offset
      that keeps it increasing), so the loss's gradient nearly vanishes
      there and margins tend to stall at it; far beyond it the loss decays
      as ``l(0.1 * temperature * u)``;
    * ``'alpha-stitch'``: ``l(u)`` for ``u <= alpha`` stitched to its mirror
      image ``l(2 alpha - u)`` above, smallest at the margin ``alpha``.

    Spectral decoupling, ``l(u) + (lambda / 2) ||logits||^2``, is the
    family's fourth member: use :class:`SpectralDecoupling`.

    The margin is ``f = z_1 - z_0`` for a network with two logits, the
    logit ``z`` of a network with one (``single_logit = True``, its logits
    being ``(0, z)``); ``y`` is +1 for the second class. The losses are
    defined for two classes only: a network with more logits raises a
    ValueError when training starts. The loss replaces the network's
    criterion, which is not computed on training batches.

    The paper's own text could not be read while writing this class: the
    formulas are this package's reading of the losses' names (see the
    :ref:`User Guide <margin-control-method>`), the defaults its own.

    Read more in the :ref:`User Guide <margin-control-method>`.

    Parameters
    ----------
    loss : {'marg-log', 'sigma-damp', 'alpha-stitch'}, default='marg-log'
        The margin-control loss.
    strength : float, default=0.1
        lambda of ``'marg-log'``, the weight of the log penalty; 0 is the
        logistic loss alone. Used by ``'marg-log'`` only.
    temperature : float, default=10.0
        T of ``'sigma-damp'``, which scales the damped margin: with T below
        about 10 the loss beyond the stall decays more slowly than the
        logistic loss, and margins that pass the stall grow larger than
        under cross-entropy (see the User Guide). Used by ``'sigma-damp'``
        only.
    alpha : float, default=1.0
        The margin where ``'alpha-stitch'`` is smallest. Used by
        ``'alpha-stitch'`` only.

    Attributes
    ----------
    side_information : tuple of str
        ``('none',)``: labels only.
    replaces_criterion : bool
        True: :meth:`adjust_loss` needs no criterion loss.

    See Also
    --------
    SpectralDecoupling : The family's fourth member, a penalty on the logits.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.mitigation import MarginControl
    >>> X, y = make_lms(2000, 10, random_state=0)
    >>> options = dict(module__width=50, max_epochs=10, random_state=0, device="cpu")
    >>> plain = SBNetClassifier(**options).fit(X, y)
    >>> stitched = SBNetClassifier(**options,
    ...                            method=MarginControl("alpha-stitch", alpha=1.0)).fit(X, y)
    >>> def margins(net):
    ...     logits = net.predict_logits(X)
    ...     return (2 * y - 1) * (logits[:, 1] - logits[:, 0])
    >>> bool(margins(stitched).std() < margins(plain).std())
    True
    """

    penalties = {"strength": "MarginControl"}

    side_information = ("none",)
    replaces_criterion = True
    # The paper's search ranges could not be read here (see the User Guide):
    # these are this package's, around its defaults. lambda over three
    # decades as spectral decoupling's; T over two decades around 10, where
    # the damped loss's tail matches the logistic loss's; alpha from half the
    # logistic loss's unit margin to 5.
    # Only the chosen loss's knob changes the training.
    hyperparameters = {
        "strength": loguniform(1e-3, 1.0),
        "temperature": loguniform(1.0, 100.0),
        "alpha": uniform(0.5, 4.5),
    }

    _parameter_constraints = {
        "loss": [StrOptions(set(LOSSES))],
        "strength": [Interval(Real, 0, None, closed="left")],
        "temperature": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="neither")],
    }

    def __init__(self, loss="marg-log", *, strength=0.1, temperature=10.0, alpha=1.0):
        self.loss = loss
        self.strength = strength
        self.temperature = temperature
        self.alpha = alpha

    def loss_of_margin(self, margin):
        """Each row's loss at its margin ``u = y f(x)``, before the batch mean.

        Parameters
        ----------
        margin : torch.Tensor of shape (n_samples,)

        Returns
        -------
        loss : torch.Tensor of shape (n_samples,)
        """
        return self._losses_and_slopes(margin)[0]

    def _losses_and_slopes(self, margin):
        """Each row's loss and its derivative with respect to the margin."""
        if self.loss == "marg-log":
            # log(1 + f^2) = log(1 + u^2), as y^2 = 1.
            square = margin * margin
            losses = torch.add(F.softplus(-margin), torch.log1p(square), alpha=self.strength)
            slopes = torch.addcdiv(torch.sigmoid(margin) - 1, margin, square + 1,
                                   value=2 * self.strength)
            return losses, slopes
        if self.loss == "sigma-damp":
            squashed = torch.sigmoid(margin)
            factor = _DAMP_OFFSET - squashed
            scaled = (margin * factor) * -self.temperature
            # d(u factor)/du = factor - u sigmoid(u) (1 - sigmoid(u))
            damped_slope = torch.addcmul(factor, margin * squashed, squashed - 1)
            slopes = (torch.sigmoid(scaled) * damped_slope) * -self.temperature
            return F.softplus(scaled), slopes
        # alpha-stitch: l(u) below alpha, l(2 alpha - u) above.
        below = margin <= float(self.alpha)
        shifted = torch.where(below, -margin, margin - 2 * float(self.alpha))
        squashed = torch.sigmoid(shifted)
        return F.softplus(shifted), torch.where(below, -squashed, squashed)

    def adjust_loss(self, net, X, y, y_pred, loss):
        """The batch mean of :meth:`loss_of_margin`; the criterion's ``loss`` is replaced.

        Parameters
        ----------
        net : SBNetClassifier
        X : torch.Tensor
        y : torch.Tensor
            Class indices, 0 or 1.
        y_pred : torch.Tensor of shape (n_samples, 2)
            The logits (``(0, z)`` for a one-logit network).
        loss : torch.Tensor or None
            The criterion's loss, not used (the network does not compute it).

        Returns
        -------
        loss : torch.Tensor
        """
        if y_pred.ndim != 2 or y_pred.shape[1] != 2:
            n_logits = y_pred.shape[1] if y_pred.ndim == 2 else 1
            raise ValueError(
                f"MarginControl's losses are defined for two classes (the margin is "
                f"y * (z_1 - z_0)); the network has {n_logits} logits. Train it on "
                f"binary labels, or use a method defined for several classes "
                f"(SpectralDecoupling, or none)."
            )
        return _MarginLoss.apply(y_pred, y, self)


class _MarginLoss(torch.autograd.Function):
    """The batch mean of a margin-control loss as one node of the graph.

    Differentiating through the dozen elementwise operations of a loss costs
    more than a small network's own backward pass; the closed-form slope of
    :meth:`MarginControl._losses_and_slopes` costs one operation.
    """

    @staticmethod
    def forward(ctx, logits, y, method):
        direction = logits.new_tensor([-1.0, 1.0])  # f = z_1 - z_0 = logits @ direction
        sign = direction[y]
        margin = (logits @ direction) * sign
        losses, slopes = method._losses_and_slopes(margin)
        ctx.save_for_backward(slopes * sign, direction)
        return losses.mean()

    @staticmethod
    def backward(ctx, grad):
        slope, direction = ctx.saved_tensors
        return torch.outer(slope, direction * (grad / len(slope))), None, None
