"""Universal adversarial perturbations: one vector that fools the model on most rows."""

from numbers import Integral, Real

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import restored_on_failure
from ..utils._blocks import check_rotation, resolve_block, unpack_dataset
from ..utils._param_validation import (
    NORM_CONSTRAINTS,
    NORMS,
    HasMethods,
    InputBounds,
    Interval,
    StrOptions,
)
from ..utils._random import torch_generator
from ._bounds import bounds_tensors
from ._pgd import default_step_size, pgd_attack
from ._steps import ascent_step, clip, project
from ._torch import torch_model


class UniversalPerturbation(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """A universal adversarial perturbation of a fitted network.

    One vector ``delta``, shaped like a row, added to every input. With
    ``label_signed=True`` (the paper's setting for binary tasks) row ``i``
    receives ``s_i * delta`` with ``s_i = +1`` for the positive class and
    ``-1`` for the negative one: the true label during :meth:`fit`, the
    model's clean prediction in :meth:`transform`, where labels are unknown.

    Two ways to learn ``delta``:

    * ``method='sgd'`` (Shafahi et al., universal adversarial training):
      from 0, ``n_epochs`` passes over the data, ``n_iter`` ascent steps per
      batch on the cross-entropy of ``clip(x + s * delta)``, normalized
      (l2) or signed (linf) steps of size ``lr``, projected onto the ball;
    * ``method='svd'`` (Kamath et al.): the per-example PGD perturbations
      stacked as rows; ``delta`` is ``eps`` times their top right singular
      vector (its sign for linf), with the sign that lowers accuracy most.

    Placed before the network in a :class:`~sklearn.pipeline.Pipeline`,
    ``pipeline.score(X, y)`` is the accuracy under the perturbation.

    Read more in the :ref:`User Guide <adversarial>`.

    Parameters
    ----------
    estimator : fitted SBNetClassifier or LogitEnsembleClassifier
        Or a :class:`~sklearn.frozen.FrozenEstimator` of one (which keeps it
        fitted through ``clone``, e.g. in cross-validation).
    eps : float, default=1.0
        Radius of the perturbation's ball.
    norm : {2, 'inf'}, default=2
    method : {'sgd', 'svd'}, default='sgd'
    n_epochs : int, default=5
        Passes over the data ('sgd').
    n_iter : int, default=2
        Ascent steps per batch ('sgd'); PGD iterations per example ('svd').
    lr : float, default=None
        Step size; None uses ``eps / 5`` ('sgd') or ``2.5 eps / n_iter``
        ('svd').
    batch_size : int, default=256
    bounds : (low, high), default=None
        Valid input range; perturbed inputs are clipped to it.
    label_signed : bool, default=True
        Sign the perturbation per row as described above (binary tasks).
    random_state : int, RandomState instance or None, default=None
        Batch order ('sgd') and random starts ('svd').

    Attributes
    ----------
    perturbation_ : ndarray, shaped like one row of X
    fooling_rate_ : float
        Fraction of the fit rows whose prediction the perturbation changes.
    accuracy_ : float
        Accuracy on the fit rows under the perturbation.
    n_features_in_ : int

    See Also
    --------
    pgd_perturb : A perturbation per row.

    Examples
    --------
    >>> from sklearn.pipeline import Pipeline
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.adversarial import UniversalPerturbation
    >>> data = make_lms(2000, 10, random_state=0, return_X_y=False)
    >>> net = SBNetClassifier(module__width=100, module__depth=1, max_epochs=5,
    ...                       random_state=0).fit(data.X, data.y)
    >>> uap = UniversalPerturbation(net, eps=1.0, random_state=0).fit(data.X, data.y)
    >>> uap.accuracy_ < 0.1, round(uap.budget_fraction(data), 2) > 0.95
    (True, True)
    >>> Pipeline([("uap", uap), ("net", net)]).score(data.X, data.y) < 0.1
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["predict"])],
        "eps": [Interval(Real, 0, None, closed="neither")],
        "norm": NORM_CONSTRAINTS,
        "method": [StrOptions({"sgd", "svd"})],
        "n_epochs": [Interval(Integral, 1, None, closed="left")],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither"), None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "bounds": [InputBounds(), None],
        "label_signed": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self, estimator, *, eps=1.0, norm=2, method="sgd", n_epochs=5, n_iter=2, lr=None,
        batch_size=256, bounds=None, label_signed=True, random_state=None,
    ):
        self.estimator = estimator
        self.eps = eps
        self.norm = norm
        self.method = method
        self.n_epochs = n_epochs
        self.n_iter = n_iter
        self.lr = lr
        self.batch_size = batch_size
        self.bounds = bounds
        self.label_signed = label_signed
        self.random_state = random_state

    def fit(self, X, y):
        """Learn the perturbation on ``(X, y)``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : UniversalPerturbation
            If fitting fails, the estimator is left as it was before the call.
        """
        self._validate_params()
        with restored_on_failure(self):
            return self._fit(X, y)

    def _fit(self, X, y):
        caller = type(self).__name__
        norm = NORMS[self.norm]
        eps = float(self.eps)
        model = torch_model(self.estimator, caller)
        if self.label_signed and len(model.classes) != 2:
            raise ValueError(
                "label_signed=True needs a binary classifier; set label_signed=False "
                f"for {len(model.classes)} classes."
            )
        X, y = validate_data(self, X, y, reset=True, allow_nd=True)
        X_tensor, y_tensor = model.tensor(X, self.bounds), model.encode(y)
        bounds = bounds_tensors(self.bounds, model.device)
        signs = self._signs(y_tensor, X_tensor.dtype)
        generator = torch_generator(self.random_state)
        if self.method == "sgd":
            delta = self._fit_sgd(model, X_tensor, y_tensor, signs, eps, norm, bounds, generator)
        else:
            delta = self._fit_svd(model, X_tensor, y_tensor, signs, eps, norm, bounds, generator)

        self.perturbation_ = delta.cpu().numpy()
        clean = self._predict_index(model, X_tensor)
        attacked = self._predict_index(model, clip(X_tensor + self._signs(clean, X_tensor.dtype)
                                                   .view(-1, *[1] * delta.dim()) * delta, bounds))
        self.fooling_rate_ = float((attacked != clean).float().mean())
        self.accuracy_ = float((attacked == y_tensor).float().mean())
        return self

    def _signs(self, labels, dtype):
        if not self.label_signed:
            return torch.ones(len(labels), dtype=dtype, device=labels.device)
        return 2 * labels.to(dtype) - 1

    def _fit_sgd(self, model, X, y, signs, eps, norm, bounds, generator):
        lr = self.lr if self.lr is not None else eps / 5
        delta = torch.zeros(X.shape[1:], dtype=X.dtype, device=X.device)
        broadcast = (-1,) + (1,) * delta.dim()
        for _ in range(self.n_epochs):
            order = torch.randperm(len(X), generator=generator).to(X.device)
            for start in range(0, len(X), self.batch_size):
                index = order[start : start + self.batch_size]
                X_batch, y_batch = X[index], y[index]
                s_batch = signs[index].view(broadcast)
                for _ in range(self.n_iter):
                    delta.requires_grad_(True)
                    loss = F.cross_entropy(
                        model.logits(clip(X_batch + s_batch * delta, bounds)), y_batch
                    )
                    (grad,) = torch.autograd.grad(loss, delta)
                    delta = project(
                        ascent_step(delta.detach()[None], grad[None], lr, norm), eps, norm
                    )[0]
        return delta.detach()

    def _fit_svd(self, model, X, y, signs, eps, norm, bounds, generator):
        step = self.lr if self.lr is not None else default_step_size(eps, self.n_iter)
        rows = []
        for start in range(0, len(X), self.batch_size):
            X_batch = X[start : start + self.batch_size]
            X_adv = pgd_attack(
                model.logits, X_batch, y[start : start + self.batch_size], eps=eps,
                norm=norm, n_iter=self.n_iter, step_size=step, bounds=bounds,
                generator=generator,
            )
            rows.append((X_adv - X_batch).flatten(1))
        direction = _top_right_singular_vector(torch.cat(rows), generator)
        direction = direction.view(X.shape[1:])
        delta = eps * (direction.sign() if norm == "inf" else direction)
        broadcast = (-1,) + (1,) * delta.dim()
        accuracies = [
            float((self._predict_index(model, clip(X + signs.view(broadcast) * d, bounds)) == y)
                  .float().mean())
            for d in (delta, -delta)
        ]
        return delta if accuracies[0] <= accuracies[1] else -delta

    @staticmethod
    def _predict_index(model, X, batch_size=8192):
        with torch.no_grad():
            return torch.cat(
                [model.logits(X[start : start + batch_size]).argmax(1)
                 for start in range(0, len(X), batch_size)]
            )

    def transform(self, X):
        """Add the perturbation, signed by the model's clean predictions.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        X_perturbed : ndarray, shaped like X
            Clipped to ``bounds``.
        """
        check_is_fitted(self)
        X_in = validate_data(self, X, reset=False, allow_nd=True)
        model = torch_model(self.estimator, type(self).__name__)
        X_tensor = model.tensor(X_in, self.bounds)
        delta = torch.as_tensor(self.perturbation_, device=model.device)
        signs = self._signs(self._predict_index(model, X_tensor), X_tensor.dtype)
        broadcast = (-1,) + (1,) * delta.dim()
        bounds = bounds_tensors(self.bounds, model.device)
        perturbed = clip(X_tensor + signs.view(broadcast) * delta, bounds).cpu().numpy()
        return perturbed.astype(X_in.dtype) if X_in.dtype.kind == "f" else perturbed

    def budget_fraction(self, simple_features, rotation=None):
        """Share of the perturbation's l2 norm on the block S of unrotated coordinates.

        ``||delta_Z[S]|| / ||delta_Z||`` with ``delta_Z = delta @ rotation.T``.

        Parameters
        ----------
        simple_features : array-like of int or bool, or dataset Bunch
            The block S; a dataset Bunch also gives the rotation (see
            :ref:`feature-blocks`).
        rotation : ndarray of shape (n_features, n_features), default=None

        Returns
        -------
        fraction : float in [0, 1]
        """
        check_is_fitted(self)
        simple_features, rotation = unpack_dataset(simple_features, rotation)
        delta = self.perturbation_.ravel().astype(np.float64)
        rotation = check_rotation(rotation, delta.size)
        delta_Z = delta @ rotation.T if rotation is not None else delta
        block = resolve_block(simple_features, delta.size, name="simple_features")
        return float(np.linalg.norm(delta_Z[block]) / np.linalg.norm(delta_Z))


def _top_right_singular_vector(P, generator, n_iter=200, tol=1e-9):
    """Top right singular vector of ``P`` by power iteration on ``P^T P``."""
    v = torch.randn(P.shape[1], generator=generator, dtype=P.dtype).to(P.device)
    v /= v.norm()
    for _ in range(n_iter):
        w = P.T @ (P @ v)
        w /= w.norm().clamp_min(1e-30)
        converged = (w - v).norm() < tol
        v = w
        if converged:
            break
    return v
