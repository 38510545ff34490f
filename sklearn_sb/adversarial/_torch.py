"""Differentiable access to the torch modules behind a fitted estimator."""

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.utils.validation import check_array, check_is_fitted

from ..utils._labels import encode_labels


@dataclass
class TorchModel:
    """Logits as a differentiable function of a batch, with what attacks need.

    Attributes
    ----------
    modules : list of torch.nn.Module
        The networks; their logits are averaged (one network, or an ensemble).
    device : torch.device
    classes : ndarray
    input_shape : tuple of int
        Shape of one sample, as the estimator was fitted.
    dtype : numpy dtype
    """

    modules: list
    device: torch.device
    classes: np.ndarray
    input_shape: tuple
    dtype: type = np.float32

    def logits(self, X):
        outputs = [module(X) for module in self.modules]
        return outputs[0] if len(outputs) == 1 else torch.stack(outputs).mean(dim=0)

    def eval(self):
        for module in self.modules:
            module.eval()
        return self

    def encode(self, y):
        """Labels as class indices, on the device."""
        return torch.as_tensor(encode_labels(y, self.classes), device=self.device)

    def tensor(self, X, bounds=None):
        """``X`` as a float tensor on the device, shaped like the training samples.

        X must be finite and, when ``bounds = (low, high)`` are given, lie
        within them: the attacks clip ``X + delta`` to the bounds, and only
        from inside them does clipping keep ``delta`` within its ball.
        """
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


def torch_model(estimator, caller):
    """The :class:`TorchModel` of a fitted SBNetClassifier, ensemble or FrozenEstimator."""
    inner = getattr(estimator, "estimator", None)
    if type(estimator).__name__ == "FrozenEstimator" and inner is not None:
        estimator = inner
    # The networks whose mean logits are the predictions: all the members,
    # or the ones a method predicts with (DivDis after disambiguation).
    members = getattr(estimator, "predicting_estimators_", None)
    if members is None:
        members = getattr(estimator, "estimators_", None)
    nets = members if members is not None else [estimator]
    if not all(hasattr(net, "module_") or hasattr(type(net), "initialize_module") for net in nets):
        raise TypeError(
            f"{caller} needs an estimator backed by torch modules (SBNetClassifier, "
            f"LogitEnsembleClassifier or FrozenEstimator of one); got "
            f"{type(estimator).__name__}."
        )
    for net in nets:
        check_is_fitted(net)
    first = nets[0]
    return TorchModel(
        modules=[net.module_ for net in nets],
        device=torch.device(first.device_),
        classes=np.asarray(first.classes_),
        input_shape=tuple(first.input_shape_),
        dtype=getattr(first, "_input_dtype", np.float32),
    ).eval()
