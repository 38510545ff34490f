"""Stop training once the training accuracy or loss reaches a target."""

import torch
from skorch.callbacks import Callback

from .._batching import dataset_tensors


class StopTraining(Exception):
    """Raised by a callback to end :class:`~sklearn_sb.SBNetClassifier`'s training.

    skorch ends training on ``KeyboardInterrupt``, which would swallow the
    user's Ctrl-C; the package's networks stop on this exception instead,
    after the epoch in progress, and let an interrupt propagate.
    """


class StopAtTarget(Callback):
    """Stop training at a target training accuracy or loss.

    Training stops once the training accuracy reaches ``accuracy`` or the
    training loss falls below ``loss``. The paper's stopping rule: after every epoch the network is evaluated on
    the whole training set (in evaluation mode, without gradients) and
    training stops as soon as a target is met. The metrics are recorded in
    the history as ``train_acc`` and ``train_full_loss``, and
    ``target_reached`` is True on the epoch that met the target.

    Parameters
    ----------
    accuracy : float or None, default=None
        Training accuracy to reach.
    loss : float or None, default=None
        Training loss to fall below.

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.callbacks import StopAtTarget
    >>> X, y = make_lms(2000, 10, random_state=0)
    >>> clf = SBNetClassifier(max_epochs=50, random_state=0,
    ...                       callbacks=[StopAtTarget(accuracy=0.99)]).fit(X, y)
    >>> clf.history[-1, "target_reached"]
    True
    """

    def __init__(self, accuracy=None, loss=None):
        self.accuracy = accuracy
        self.loss = loss

    def on_epoch_end(self, net, dataset_train=None, **kwargs):
        X, y, _ = dataset_tensors(dataset_train)
        accuracy, loss = training_metrics(net, X, y)
        net.history.record("train_acc", accuracy)
        net.history.record("train_full_loss", loss)
        reached = (self.accuracy is not None and accuracy >= self.accuracy) or (
            self.loss is not None and loss < self.loss
        )
        net.history.record("target_reached", bool(reached))
        if reached:
            raise StopTraining


def training_metrics(net, X, y):
    """Accuracy and mean loss of ``net`` on ``(X, y)``, in evaluation mode.

    A network of several members trained jointly gives its worst member's
    accuracy and loss: its logits have shape ``(n, n_members, n_classes)``
    and its criterion takes logits of that shape, so one member's loss is
    the criterion of that member's slice.
    """
    net.module_.eval()
    correct = loss_sum = 0
    with torch.no_grad():
        for start in range(0, len(X), 8192):
            Xb, yb = X[start : start + 8192], y[start : start + 8192]
            logits = net.infer(Xb)
            if logits.ndim == 2:
                members, losses = logits[:, None], [net.criterion_(logits, yb)]
            else:
                members = logits
                losses = [net.criterion_(logits[:, k:k + 1], yb) for k in range(logits.shape[1])]
            correct = correct + (members.argmax(2) == yb[:, None]).sum(0)
            loss_sum = loss_sum + torch.stack(losses) * len(yb)
    return correct.min().item() / len(X), loss_sum.max().item() / len(X)
