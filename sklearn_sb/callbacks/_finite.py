"""Stop a diverging training with an error instead of training on to NaN weights."""

import math

from skorch.callbacks import Callback


class RaiseOnNonFiniteLoss(Callback):
    """Raise a FloatingPointError once an epoch's training loss is not finite.

    A learning rate too large for the network makes the loss overflow to
    inf or NaN, after which every weight becomes NaN and every prediction
    meaningless; this ends the training at the first such epoch and says so.
    A training method's penalty weights (its ``penalties``) are named too.

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> X, y = make_lms(2000, 10, random_state=0)
    >>> SBNetClassifier(lr=1e6, max_epochs=5, random_state=0).fit(X, y)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    FloatingPointError: The training loss is nan in epoch 1: training diverged. ...
    """

    def on_epoch_end(self, net, **kwargs):
        loss = net.history[-1].get("train_loss")
        if loss is not None and not math.isfinite(loss):
            method = getattr(net, "method", None)
            weights = [f"{owner}({param}={getattr(method, param)!r})"
                       for param, owner in getattr(method, "penalties", {}).items()]
            penalty = f", or a weaker penalty than {' or '.join(weights)}" if weights else ""
            raise FloatingPointError(
                f"The training loss is {loss} in epoch {net.history[-1, 'epoch']}: "
                f"training diverged. Try a smaller learning rate than lr={net.lr}{penalty}."
            )
