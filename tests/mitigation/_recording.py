"""A network that remembers the rows it was trained on, for the up-sampling methods' tests."""

import numpy as np
from skorch.callbacks import Callback

from sklearn_sb import SBNetClassifier


class RecordTrainingRows(Callback):
    """Keeps the rows and labels the network was fitted on (as ``rows_``, ``labels_``)."""

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.rows_, self.labels_ = np.asarray(X), np.asarray(y)


def recording_net(defaults, **params):
    """An SBNetClassifier with ``defaults``, then ``params``, that records its training rows."""
    return SBNetClassifier(**{**defaults, "callbacks": [("record", RecordTrainingRows())],
                              **params})


def recorded(network):
    """The rows and encoded labels a fitted recording network trained on."""
    recorder = dict(network.callbacks_)["record"]
    return recorder.rows_, recorder.labels_
