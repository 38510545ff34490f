"""Per-example projected gradient descent (PGD) and delta-robust accuracy."""

from numbers import Integral, Real

import numpy as np
import torch
import torch.nn.functional as F
from sklearn import config_context

from ..utils._param_validation import (
    NORM_CONSTRAINTS,
    NORMS,
    HasMethods,
    InputBounds,
    Interval,
    validate_params,
)
from ..utils._random import torch_generator
from ._bounds import bounds_tensors
from ._steps import ascent_step, clip, project, tiny_random_start
from ._torch import torch_model


def default_step_size(eps, n_iter):
    """2.5 eps / n_iter: enough to cross the ball and come back (Madry et al.)."""
    return 2.5 * eps / n_iter


def pgd_attack(logits, X, y, *, eps, norm, n_iter, step_size, bounds, generator):
    """Untargeted PGD on a batch of tensors, maximizing the cross-entropy.

    Parameters
    ----------
    logits : callable
        Differentiable map from a batch to logits.
    X : torch.Tensor
    y : torch.Tensor of class indices
    eps, norm, n_iter, step_size : attack options
    bounds : pair of tensors or None
    generator : torch.Generator
        Draws the tiny random start (on the CPU).

    Returns
    -------
    X_adv : torch.Tensor, detached
    """
    delta = tiny_random_start(X.shape, eps, generator, X.device, X.dtype)
    for _ in range(n_iter):
        delta.requires_grad_(True)
        loss = F.cross_entropy(logits(clip(X + delta, bounds)), y, reduction="sum")
        (grad,) = torch.autograd.grad(loss, delta)
        delta = project(ascent_step(delta.detach(), grad, step_size, norm), eps, norm)
    return clip(X + delta, bounds).detach()


_ATTACK_OPTIONS = {
    "eps": [Interval(Real, 0, None, closed="neither")],
    "norm": NORM_CONSTRAINTS,
    "n_iter": [Interval(Integral, 1, None, closed="left")],
    "step_size": [Interval(Real, 0, None, closed="neither"), None],
    "bounds": [InputBounds(), None],
    "batch_size": [Interval(Integral, 1, None, closed="left")],
    "random_state": ["random_state"],
}
_ATTACK_CONSTRAINTS = {
    "estimator": [HasMethods(["predict"])],
    "X": ["array-like"],
    "y": ["array-like"],
    **_ATTACK_OPTIONS,
}


@validate_params(_ATTACK_CONSTRAINTS, prefer_skip_nested_validation=True)
def pgd_perturb(
    estimator, X, y, *, eps, norm=2, n_iter=20, step_size=None, bounds=None,
    batch_size=1024, random_state=None,
):
    """Adversarial examples by per-example PGD within an l2 or linf ball.

    Untargeted projected gradient ascent on the cross-entropy of the true
    label, from a tiny random start: l2 steps follow the normalized gradient,
    linf steps its sign; after every step the perturbation is projected onto
    the ball of radius ``eps`` and ``X + delta`` clipped to ``bounds``. Runs
    in batches on the estimator's device.

    Read more in the :ref:`User Guide <adversarial>`.

    Parameters
    ----------
    estimator : fitted SBNetClassifier or LogitEnsembleClassifier
        Or a :class:`~sklearn.frozen.FrozenEstimator` of one.
    X : array-like of shape (n_samples, ...)
    y : array-like of shape (n_samples,)
    eps : float
        Radius of the ball.
    norm : {2, 'inf'}, default=2
    n_iter : int, default=20
    step_size : float, default=None
        None uses ``2.5 * eps / n_iter``.
    bounds : (low, high), default=None
        Valid input range (scalars or arrays shaped like a sample).
    batch_size : int, default=1024
    random_state : int, RandomState instance or None, default=None
        Draws the random starts.

    Returns
    -------
    X_adv : ndarray, shaped like X
        ``||X_adv[i] - X[i]|| <= eps`` for every row.

    See Also
    --------
    robust_accuracy_score : Accuracy on these examples.
    UniversalPerturbation : One perturbation for all rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.adversarial import pgd_perturb
    >>> X, y = make_lms(1000, 10, random_state=0)
    >>> net = SBNetClassifier(module__width=50, max_epochs=5, random_state=0).fit(X, y)
    >>> X_adv = pgd_perturb(net, X, y, eps=0.5, random_state=0)
    >>> bool(np.all(np.linalg.norm(X_adv - X, axis=1) <= 0.5 + 1e-6))
    True
    """
    model = torch_model(estimator, "pgd_perturb")
    norm = NORMS[norm]
    eps = float(eps)
    step_size = step_size if step_size is not None else default_step_size(eps, n_iter)
    X_tensor = model.tensor(X, bounds)
    y_tensor = model.encode(y)
    bounds = bounds_tensors(bounds, model.device)
    generator = torch_generator(random_state)
    batches = []
    for start in range(0, len(X_tensor), batch_size):
        stop = start + batch_size
        batches.append(
            pgd_attack(
                model.logits, X_tensor[start:stop], y_tensor[start:stop], eps=eps,
                norm=norm, n_iter=n_iter, step_size=step_size, bounds=bounds,
                generator=generator,
            )
        )
    X_adv = torch.cat(batches).cpu().numpy()
    X_in = np.asarray(X)
    return X_adv.astype(X_in.dtype) if X_in.dtype.kind == "f" else X_adv


@validate_params(_ATTACK_CONSTRAINTS, prefer_skip_nested_validation=True)
def robust_accuracy_score(
    estimator, X, y, *, eps, norm=2, n_iter=20, step_size=None, bounds=None,
    batch_size=1024, random_state=None,
):
    """Accuracy under per-example PGD within a ball of radius ``eps``.

    A row counts as correct when the model still predicts its label after
    the attack of :func:`pgd_perturb`.

    Parameters
    ----------
    estimator : fitted SBNetClassifier or LogitEnsembleClassifier
    X : array-like of shape (n_samples, ...)
    y : array-like of shape (n_samples,)
    eps : float
    norm : {2, 'inf'}, default=2
    n_iter : int, default=20
    step_size : float, default=None
    bounds : (low, high), default=None
    batch_size : int, default=1024
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    accuracy : float

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.adversarial import robust_accuracy_score
    >>> X, y = make_lms(1000, 10, random_state=0)
    >>> net = SBNetClassifier(module__width=50, max_epochs=5, random_state=0).fit(X, y)
    >>> robust_accuracy_score(net, X, y, eps=1.0, random_state=0) < 0.05
    True
    """
    X_adv = pgd_perturb(
        estimator, X, y, eps=eps, norm=norm, n_iter=n_iter, step_size=step_size,
        bounds=bounds, batch_size=batch_size, random_state=random_state,
    )
    return float(np.mean(estimator.predict(X_adv) == np.asarray(y)))


@validate_params(_ATTACK_OPTIONS, prefer_skip_nested_validation=True)
def make_robust_accuracy_scorer(*, eps, norm=2, n_iter=20, step_size=None, bounds=None,
                                batch_size=1024, random_state=None):
    """A scorer ``(estimator, X, y) -> robust accuracy`` for cross-validation.

    Parameters
    ----------
    eps : float
    norm : {2, 'inf'}, default=2
    n_iter : int, default=20
    step_size : float, default=None
    bounds : (low, high), default=None
    batch_size : int, default=1024
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    scorer : callable

    Examples
    --------
    >>> from sklearn.model_selection import cross_validate
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.adversarial import make_robust_accuracy_scorer
    >>> X, y = make_lms(900, 10, random_state=0)
    >>> scores = cross_validate(
    ...     SBNetClassifier(module__width=50, max_epochs=5, random_state=0), X, y,
    ...     cv=3, scoring={"acc": "accuracy",
    ...                    "robust": make_robust_accuracy_scorer(eps=1.0)})
    >>> bool((scores["test_robust"] < scores["test_acc"]).all())
    True
    """

    def robust_accuracy(estimator, X, y):
        # The options were validated once, here; a search calls this per fold.
        with config_context(skip_parameter_validation=True):
            return robust_accuracy_score(
                estimator, X, y, eps=eps, norm=norm, n_iter=n_iter, step_size=step_size,
                bounds=bounds, batch_size=batch_size, random_state=random_state,
            )

    return robust_accuracy
