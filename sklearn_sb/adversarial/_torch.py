"""Differentiable access to the torch modules behind a fitted estimator."""

from sklearn.frozen import FrozenEstimator


def torch_model(estimator, caller):
    """The :class:`~sklearn_sb.base.TorchModel` of a fitted estimator of the package.

    Every estimator of the package declares the modules it predicts with
    through its ``torch_model()`` method; a ``FrozenEstimator`` of one is
    unwrapped first.
    """
    if isinstance(estimator, FrozenEstimator):
        estimator = estimator.estimator
    if not callable(getattr(estimator, "torch_model", None)):
        raise TypeError(
            f"{caller} needs an estimator backed by torch modules, one that declares them "
            f"with a torch_model() method (SBNetClassifier, the mitigation methods, or a "
            f"FrozenEstimator of one); got {type(estimator).__name__}."
        )
    return estimator.torch_model().eval()
