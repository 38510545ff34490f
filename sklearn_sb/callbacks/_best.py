"""Keep the weights of the epoch with the best validation accuracy."""

import copy

from skorch.callbacks import Callback


class KeepBestValidation(Callback):
    """Restore, at the end of training, the module of the best validation epoch.

    Table 2 of the paper selects models this way. The best weights are kept
    in memory (a copy of the module's ``state_dict``) and dropped once
    restored. Reads ``monitor`` from the history; needs a validation split.

    Parameters
    ----------
    monitor : str, default='valid_acc'
        History key to maximize.

    Attributes
    ----------
    best_epoch_ : int
        The epoch whose weights were restored.
    """

    def __init__(self, monitor="valid_acc"):
        self.monitor = monitor

    def initialize(self):
        self.best_score_ = None
        self.best_epoch_ = None
        self.best_state_ = None
        return self

    def on_epoch_end(self, net, **kwargs):
        score = net.history[-1].get(self.monitor)
        if score is None:
            return
        if self.best_score_ is None or score > self.best_score_:
            self.best_score_ = score
            self.best_epoch_ = net.history[-1, "epoch"]
            self.best_state_ = copy.deepcopy(net.module_.state_dict())
        net.history.record(f"{self.monitor}_best", self.best_epoch_ == net.history[-1, "epoch"])

    def on_train_end(self, net, **kwargs):
        if self.best_state_ is not None:
            net.module_.load_state_dict(self.best_state_)
            self.best_state_ = None
