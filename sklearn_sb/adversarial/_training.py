"""Adversarial training: fit on PGD examples instead of the clean batches."""

from numbers import Integral, Real

from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval

from ._pgd import pgd_attack
from ._validation import check_bounds, check_eps, check_norm


class AdversarialTraining(BaseEstimator):
    """The attack an :class:`~sklearn_sb.SBNetClassifier` trains against.

    Passed as ``SBNetClassifier(adversarial=AdversarialTraining(...))``:
    every training batch is replaced by its per-example PGD examples against
    the current weights, and the network is trained on those only (Madry et
    al.). The defaults are the paper's: linf, eps 0.3, step 0.12, 7
    iterations. The options are grid-searchable as ``adversarial__eps``, ...

    Parameters
    ----------
    eps : float, default=0.3
    norm : {2, 'inf'}, default='inf'
    step_size : float, default=0.12
    n_iter : int, default=7
    bounds : (low, high), default=None
        Valid input range.

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.adversarial import AdversarialTraining, robust_accuracy_score
    >>> X, y = make_lms(1000, 10, random_state=0)
    >>> net = SBNetClassifier(module__width=100, max_epochs=10, random_state=0,
    ...                       adversarial=AdversarialTraining(eps=0.05, norm=2))
    >>> net.fit(X, y).score(X, y) > 0.9
    True
    """

    _parameter_constraints = {
        "eps": [Interval(Real, 0, None, closed="neither")],
        "norm": [Real, str],
        "step_size": [Interval(Real, 0, None, closed="neither")],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "bounds": [tuple, list, None],
    }

    def __init__(self, eps=0.3, norm="inf", step_size=0.12, n_iter=7, bounds=None):
        self.eps = eps
        self.norm = norm
        self.step_size = step_size
        self.n_iter = n_iter
        self.bounds = bounds

    def perturb(self, net, X, y):
        """PGD examples of the batch ``(X, y)`` against ``net``'s current module.

        The module is evaluated in evaluation mode; only the inputs receive
        gradients.

        Parameters
        ----------
        net : SBNetClassifier
            The network being trained (its ``module_``).
        X : torch.Tensor
            A training batch, on the network's device.
        y : torch.Tensor
            Its labels, as class indices.

        Returns
        -------
        X_adv : torch.Tensor
        """
        self._validate_params()
        caller = type(self).__name__
        norm = check_norm(self.norm, caller)
        eps = check_eps(self.eps, caller)
        bounds = check_bounds(self.bounds, caller, X.device, X.dtype)
        module = net.module_
        was_training = module.training
        module.eval()
        try:
            return pgd_attack(
                module, X, y, eps=eps, norm=norm, n_iter=self.n_iter,
                step_size=self.step_size, bounds=bounds, generator=None,
            )
        finally:
            module.train(was_training)
