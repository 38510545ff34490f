"""Building blocks for the package's estimators."""

import contextlib
import copy
from dataclasses import dataclass

import numpy as np
from scipy.special import softmax
from sklearn.utils.validation import check_array

from .utils._labels import encode_labels


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


@dataclass
class TorchModel:
    """The torch modules an estimator predicts with, and how inputs reach them.

    Every estimator of the package returns one from its ``torch_model()``
    method (the method contract): its predictions are the mean of the
    modules' logits on inputs converted by :meth:`tensor`. Attacks,
    universal perturbations and the benchmark differentiate through it.

    Parameters
    ----------
    modules : list of torch.nn.Module
        The networks; their logits are averaged (one network, or an ensemble).
    device : torch.device
    classes : ndarray
    input_shape : tuple of int
        Shape of one sample, as the estimator was fitted.
    dtype : numpy dtype, default=np.float32
    """

    modules: list
    device: object
    classes: np.ndarray
    input_shape: tuple
    dtype: type = np.float32

    def logits(self, X):
        """The mean of the modules' logits on the tensor ``X``.

        Parameters
        ----------
        X : torch.Tensor
            A batch, as :meth:`tensor` makes it.

        Returns
        -------
        logits : torch.Tensor of shape (n_samples, n_classes)
        """
        import torch

        outputs = [module(X) for module in self.modules]
        return outputs[0] if len(outputs) == 1 else torch.stack(outputs).mean(dim=0)

    def eval(self):
        for module in self.modules:
            module.eval()
        return self

    def encode(self, y):
        """Labels as class indices, on the device.

        Parameters
        ----------
        y : array-like of shape (n_samples,)

        Returns
        -------
        indices : torch.Tensor
        """
        import torch

        return torch.as_tensor(encode_labels(y, self.classes), device=self.device)

    def tensor(self, X, bounds=None):
        """``X`` as a float tensor on the device, shaped like the training samples.

        X must be finite and, when ``bounds = (low, high)`` are given, lie
        within them: the attacks clip ``X + delta`` to the bounds, and only
        from inside them does clipping keep ``delta`` within its ball.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        bounds : (low, high), default=None

        Returns
        -------
        X : torch.Tensor
        """
        import torch

        X = check_array(X, dtype=self.dtype, allow_nd=True)
        if X.shape[1:] != self.input_shape:
            raise ValueError(
                f"X has samples of shape {X.shape[1:]}, but the model was fitted on "
                f"samples of shape {self.input_shape}."
            )
        if bounds is not None:
            low, high = (np.asarray(side, dtype=self.dtype) for side in bounds)
            if np.any(X < low) or np.any(X > high):
                raise ValueError(
                    f"X has values outside bounds=({bounds[0]!r}, {bounds[1]!r}) "
                    f"(X ranges over [{X.min():.4g}, {X.max():.4g}]): perturbations "
                    "are clipped to the bounds, so X must lie within them. Clip X "
                    "to the bounds first, or widen them."
                )
        return torch.as_tensor(X, device=self.device)


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
