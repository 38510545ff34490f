"""Building blocks for the package's estimators."""

import contextlib
import copy

import numpy as np
from scipy.special import softmax


@contextlib.contextmanager
def restored_on_failure(estimator):
    """Leave ``estimator`` exactly as it was if the block raises.

    ``fit`` runs inside it: an error or an interrupt half-way through
    training leaves the previous fitted state (or none), never a model that
    claims to be fitted on data it has not learned. The fitted state and the
    private bookkeeping are deep-copied before the block, so old weights
    survive training in place; the parameters are kept as the very objects
    the user passed.
    """
    saved = {
        name: value if _is_parameter(name) else copy.deepcopy(value)
        for name, value in vars(estimator).items()
    }
    try:
        yield
    except BaseException:
        vars(estimator).clear()
        vars(estimator).update(saved)
        raise


def _is_parameter(name):
    return not (name.startswith("_") or name.endswith("_"))


class LogitClassifierMixin:
    """``decision_function``, ``predict_proba`` and ``predict`` from ``predict_logits``.

    A classifier of this package computes one logit per class; everything
    a scikit-learn classifier offers follows from them, the same way for
    every network, ensemble and training method. Subclasses implement
    ``predict_logits(X)`` and set ``classes_`` when fitted.
    """

    def decision_function(self, X):
        """Confidence scores: ``logit[1] - logit[0]`` for two classes.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
            For two classes, positive values favour ``classes_[1]``; for more,
            the logits.
        """
        logits = self.predict_logits(X).astype(np.float64)
        if logits.shape[1] == 2:
            return logits[:, 1] - logits[:, 0]
        return logits

    def predict_proba(self, X):
        """Class probabilities: the softmax of the logits.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return softmax(self.predict_logits(X).astype(np.float64), axis=1)

    def predict(self, X):
        """The class with the largest logit.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        # The logits first: they check that the model is fitted.
        indices = self.predict_logits(X).argmax(axis=1)
        return self.classes_[indices]
