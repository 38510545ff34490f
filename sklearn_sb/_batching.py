"""Mini-batches sliced from tensors that already live on the compute device.

skorch's default path builds every batch from per-sample ``__getitem__``
calls and a collate function, then copies it to the device. For the tabular
and image arrays of this package the whole dataset is two tensors, so a
batch is one ``index_select`` on the device.
"""

import torch
from torch.utils.data import Dataset, Subset


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
    """``(X, y)`` of a :class:`TensorDataset` or a ``Subset`` of one, else None."""
    if isinstance(dataset, TensorDataset):
        return dataset.X, dataset.y
    if isinstance(dataset, Subset):
        tensors = dataset_tensors(dataset.dataset)
        if tensors is None:
            return None
        X, y = tensors
        index = torch.as_tensor(dataset.indices, device=X.device)
        return X[index], (y[index] if y is not None else None)
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
    """

    def __init__(self, X, y, batch_size, *, shuffle, device):
        self.X = X
        self.y = y
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.device = torch.device(device)

    def __len__(self):
        return -(-len(self.X) // self.batch_size)

    def __iter__(self):
        n = len(self.X)
        order = torch.randperm(n).to(self.X.device) if self.shuffle else None
        for start in range(0, n, self.batch_size):
            if order is None:
                X, y = self.X[start : start + self.batch_size], self._labels(start)
            else:
                index = order[start : start + self.batch_size]
                X = self.X.index_select(0, index)
                y = self.y.index_select(0, index) if self.y is not None else None
            if X.device != self.device:
                X = X.to(self.device, non_blocking=True)
                y = y.to(self.device, non_blocking=True) if y is not None else None
            yield X, y

    def _labels(self, start):
        return None if self.y is None else self.y[start : start + self.batch_size]
