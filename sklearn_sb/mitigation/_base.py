"""The base class of the training methods, and what every method shares."""

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from ..base import restored_on_failure


class TrainingMethod(BaseEstimator):
    """A change to how one network is trained, plugged into SBNetClassifier.

    ``SBNetClassifier(method=...)`` calls two hooks during training, both
    identity here: :meth:`transform_batch` may replace a training batch
    (adversarial training replaces it with attacks of it), and
    :meth:`adjust_loss` may change the loss of a batch (a penalty on the
    logits, say). A subclass overrides one or both. Its constructor
    parameters are grid-searchable through the network as
    ``method__<name>``, and are validated once when the network's ``fit``
    starts (declare them in ``_parameter_constraints``).

    Hooks receive tensors already on the network's device. They run under
    the network's seeded torch generator, so a method that draws random
    numbers from torch is as deterministic as the network.

    ``side_information`` names what the method uses besides the labels (see
    :ref:`side-information`); the network records it as
    ``side_information_`` when fitted.
    """

    side_information = ("none",)

    _parameter_constraints = {}

    def transform_batch(self, net, X, y):
        """The batch to train on instead of ``(X, y)``.

        Parameters
        ----------
        net : SBNetClassifier
            The network being trained (``net.module_`` is its module).
        X : torch.Tensor
            A training batch.
        y : torch.Tensor
            Its labels, as class indices.

        Returns
        -------
        X, y : torch.Tensor
        """
        return X, y

    def adjust_loss(self, net, X, y, y_pred, loss):
        """The training loss of a batch, given the base loss.

        Parameters
        ----------
        net : SBNetClassifier
        X : torch.Tensor
            The batch the network saw (after :meth:`transform_batch`).
        y : torch.Tensor
            Its labels, as class indices.
        y_pred : torch.Tensor
            The network's outputs (logits) on ``X``.
        loss : torch.Tensor
            The criterion's loss on the batch.

        Returns
        -------
        loss : torch.Tensor, a scalar
        """
        return loss

    def apply_to(self, network):
        """An unfitted copy of ``network`` trained with this method.

        Parameters
        ----------
        network : SBNetClassifier

        Returns
        -------
        model : SBNetClassifier
        """
        return clone(network).set_params(method=clone(self))


class NetworkTemplateMixin:
    """For methods built on a network given as their ``estimator`` parameter."""

    def apply_to(self, network):
        """An unfitted copy of this method with ``network`` as its network template.

        Parameters
        ----------
        network : SBNetClassifier

        Returns
        -------
        model : estimator
        """
        return clone(self).set_params(estimator=clone(network))


class NetworkEnsembleMixin(NetworkTemplateMixin):
    """For methods that train several networks and combine them.

    Such a method is a meta-estimator whose ``estimator`` parameter is the
    member network; :meth:`apply_to` sets it. It implements ``_fit(X, y)``
    and stores its members in ``estimators_``; :meth:`fit` runs ``_fit`` so
    that a failure or an interrupt leaves the estimator as it was before
    the call, and :meth:`predict_logits` averages the members' logits.
    """

    def fit(self, X, y):
        """Train the members on ``(X, y)`` and combine them.

        If training fails or is interrupted, the estimator is left as it was
        before the call and the exception propagates.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        y : array-like of shape (n_samples,)

        Returns
        -------
        self : estimator
        """
        with restored_on_failure(self):
            return self._fit(X, y)

    def predict_logits(self, X):
        """The members' logits, averaged.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        logits : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        return np.mean([member.predict_logits(X) for member in self.estimators_], axis=0)


def member_template(estimator, owner):
    """The network template of a method that trains its own members.

    ``estimator``, or ``SBNetClassifier()`` for None. A template with a
    training method is refused: the method ``owner`` trains the members its
    own way.
    """
    if estimator is None:
        from .._classifier import SBNetClassifier

        return SBNetClassifier()
    if getattr(estimator, "method", None) is not None:
        raise ValueError(
            f"{owner} trains its members with its own loss: give an estimator without "
            f"a method (got method={estimator.method!r})."
        )
    return estimator


def select_member(members, X_val, y_val, otherwise):
    """The member a labeled decorrelated set picks, or the fallback without one.

    Returns
    -------
    validation_scores : ndarray of shape (n_members,) or None
        Each member's accuracy on ``(X_val, y_val)``.
    selected : int or None
        The best member's index, else ``otherwise``.
    rule : str
        'validation accuracy', else 'last member' (``otherwise`` an index)
        or 'ensemble' (``otherwise`` None).
    """
    if X_val is None:
        return None, otherwise, "ensemble" if otherwise is None else "last member"
    scores = np.array([member.score(X_val, y_val) for member in members])
    return scores, int(np.argmax(scores)), "validation accuracy"
