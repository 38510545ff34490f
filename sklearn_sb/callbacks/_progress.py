"""A progress bar over the epochs of a fit."""

from skorch.callbacks import Callback
from tqdm.auto import tqdm


class EpochProgressBar(Callback):
    """One tqdm bar for the whole fit, advanced once per epoch.

    The bar shows the latest training loss and, when recorded, the training
    and validation accuracies.
    """

    _SHOWN = ("train_loss", "train_acc", "valid_loss", "valid_acc")

    def on_train_begin(self, net, **kwargs):
        self.bar_ = tqdm(total=net.max_epochs, desc=type(net).__name__, unit="epoch",
                         leave=True)

    def on_epoch_end(self, net, **kwargs):
        row = net.history[-1]
        self.bar_.set_postfix(
            {key: f"{row[key]:.4f}" for key in self._SHOWN if key in row}, refresh=False
        )
        self.bar_.update()

    def on_train_end(self, net, **kwargs):
        self.bar_.close()
        self.bar_ = None
