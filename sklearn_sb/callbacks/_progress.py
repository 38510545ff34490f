"""A progress bar over the epochs of a fit."""

import math
import time

from skorch.callbacks import Callback
from tqdm.auto import tqdm


class EpochProgressBar(Callback):
    """One tqdm bar for the whole fit, in epochs, that moves within long epochs too.

    The bar counts the epochs done out of ``max_epochs``; during an epoch
    it is redrawn every ``refresh_seconds`` with the share of the epoch's
    training batches done (``2.4/30``), so that a long epoch does not look
    stuck. It shows the latest training loss and, when recorded, the
    training and validation accuracies. An epoch that a stopping callback
    ends (the target accuracy reached) is counted too. Nested in another
    bar (a command's steps), it is cleared when the fit ends; on its own it
    stays.

    Parameters
    ----------
    refresh_seconds : float, default=0.5
        The least time between two redraws within an epoch.
    """

    _SHOWN = ("train_loss", "train_acc", "valid_loss", "valid_acc")

    def __init__(self, refresh_seconds=0.5):
        self.refresh_seconds = refresh_seconds

    def on_train_begin(self, net, **kwargs):
        self.first_epoch_ = len(net.history)
        self.bar_ = tqdm(total=net.max_epochs, desc=type(net).__name__, unit="epoch",
                         leave=None)

    def on_epoch_begin(self, net, dataset_train=None, **kwargs):
        batch_size = net.get_params_for("iterator_train").get("batch_size", net.batch_size)
        rows = len(dataset_train) if dataset_train is not None else 0
        self.batches_ = 1 if batch_size == -1 else max(1, math.ceil(rows / batch_size))
        self.batches_done_ = 0
        self.shown_at_ = time.monotonic()

    def on_batch_end(self, net, training=False, **kwargs):
        if not training:
            return
        self.batches_done_ += 1
        if time.monotonic() - self.shown_at_ >= self.refresh_seconds:
            done = min(self.batches_done_ / self.batches_, 0.9)
            self._show(net, round(self._epochs_done(net) + done, 1))

    def on_epoch_end(self, net, **kwargs):
        self._show(net, self._epochs_done(net))

    def on_train_end(self, net, **kwargs):
        self._show(net, self._epochs_done(net))
        self.bar_.close()
        self.bar_ = None

    def _epochs_done(self, net):
        """The epochs of this fit that ended (an epoch's row has its duration once it ends)."""
        epochs = len(net.history) - self.first_epoch_
        return epochs if epochs == 0 or "dur" in net.history[-1] else epochs - 1

    def _show(self, net, epochs):
        row = net.history[-1] if len(net.history) else {}
        self.bar_.set_postfix(
            {key: f"{row[key]:.4f}" for key in self._SHOWN if key in row}, refresh=False
        )
        self.bar_.n = epochs
        self.bar_.refresh()
        self.shown_at_ = time.monotonic()
