"""Validation accuracy from the logits already computed for the loss."""

from skorch.callbacks import Callback


class ValidationAccuracy(Callback):
    """Record ``valid_acc``, the accuracy on the validation batches of an epoch.

    Unlike skorch's ``EpochScoring('accuracy')`` it needs no second pass over
    the validation data: it counts correct predictions from the logits of
    the validation step.
    """

    def on_epoch_begin(self, net, **kwargs):
        self.correct_ = 0
        self.seen_ = 0

    def on_batch_end(self, net, batch=None, training=False, y_pred=None, **kwargs):
        if training:
            return
        y = batch[1]
        self.correct_ += (y_pred.argmax(1) == y).sum()
        self.seen_ += len(y)

    def on_epoch_end(self, net, dataset_valid=None, **kwargs):
        if self.seen_:
            net.history.record("valid_acc", float(self.correct_) / self.seen_)
