"""Mini-batches sliced from tensors that already live on the compute device.

skorch's default path builds every batch from per-sample ``__getitem__``
calls and a collate function, then copies it to the device. For the tabular
and image arrays of this package the whole dataset is two tensors, so a
batch is one ``index_select`` on the device.
"""

from typing import NamedTuple

import torch
from torch.utils.data import Dataset, Subset


class TrainingBatch(NamedTuple):
    """One training batch: inputs, encoded labels, and where its rows are.

    ``rows`` holds each row's position in the training data given to
    ``fit`` (a ``LongTensor`` on the batch's device), so that a training
    method can look up per-row data it was given (groups, weights); None
    when the data is a dataset the package does not slice itself.
    """

    X: torch.Tensor
    y: torch.Tensor
    rows: torch.Tensor = None


class TensorDataset(Dataset):
    """Inputs ``X`` and encoded labels ``y`` (or None) as tensors.

    ``X`` and ``y`` are public so that skorch's helpers
    (``skorch.utils.data_from_dataset``) and splitters can read them.
    """

    def __init__(self, X, y=None):
        self.X = X
        self.y = y

    def __len__(self):
        return len(self.X)

    def __getitem__(self, index):
        return self.X[index], (self.y[index] if self.y is not None else 0)


def dataset_tensors(dataset):
    """``(X, y, rows)`` of a :class:`TensorDataset` or a ``Subset`` of one, else None.

    ``rows`` are the positions of the rows of ``X`` in the underlying
    :class:`TensorDataset`; None for the whole of it.
    """
    if isinstance(dataset, TensorDataset):
        return dataset.X, dataset.y, None
    if isinstance(dataset, Subset):
        tensors = dataset_tensors(dataset.dataset)
        if tensors is None:
            return None
        X, y, rows = tensors
        index = torch.as_tensor(dataset.indices, device=X.device)
        return (X[index], (y[index] if y is not None else None),
                index if rows is None else rows[index])
    return None


class TensorBatches:
    """Iterable of ``(X_batch, y_batch)`` pairs, reshuffled at every pass.

    Parameters
    ----------
    X, y : torch.Tensor
        ``y`` may be None; batches then carry None as labels.
    batch_size : int
    shuffle : bool
        Draw a new order at each iteration, from torch's global generator
        (seeded by the estimator when it has a ``random_state``).
    device : torch.device
        Where batches are delivered; tensors kept elsewhere (data too large
        for the device) are copied batch by batch.
    rows : torch.Tensor or False, default=False
        With a tensor (the rows' positions in the training data) or None
        (the positions of ``X`` itself), the batches are
        :class:`TrainingBatch` triples that carry their rows' positions.
    """

    def __init__(self, X, y, batch_size, *, shuffle, device, rows=False):
        self.X = X
        self.y = y
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.device = torch.device(device)
        self.rows = rows

    def __len__(self):
        return -(-len(self.X) // self.batch_size)

    def __iter__(self):
        n = len(self.X)
        order = torch.randperm(n).to(self.X.device) if self.shuffle else None
        for start in range(0, n, self.batch_size):
            if order is None:
                index = None
                X, y = self.X[start : start + self.batch_size], self._labels(start)
            else:
                index = order[start : start + self.batch_size]
                X = self.X.index_select(0, index)
                y = self.y.index_select(0, index) if self.y is not None else None
            if X.device != self.device:
                X = X.to(self.device, non_blocking=True)
                y = y.to(self.device, non_blocking=True) if y is not None else None
            if self.rows is False:
                yield X, y
            else:
                yield TrainingBatch(X, y, self._positions(start, len(X), index))

    def _positions(self, start, size, index):
        """The training-data positions of the rows ``index`` (or ``start:start+size``)."""
        if index is None:
            index = torch.arange(start, start + size, device=self.X.device)
        positions = index if self.rows is None else self.rows.index_select(0, index)
        return positions.to(self.device, non_blocking=True)

    def _labels(self, start):
        return None if self.y is None else self.y[start : start + self.batch_size]
