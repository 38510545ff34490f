"""Labels of any type as indices into a model's classes."""

import numpy as np


def encode_labels(y, classes):
    """The index in ``classes`` of every label of ``y``.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    classes : ndarray of shape (n_classes,)
        The labels a model knows, in its order (not necessarily sorted).

    Returns
    -------
    indices : ndarray of int64

    Raises
    ------
    ValueError
        If ``y`` has a label outside ``classes``.
    """
    y, classes = np.asarray(y), np.asarray(classes)
    sorter = np.argsort(classes)
    positions = np.searchsorted(classes, y, sorter=sorter).clip(0, len(classes) - 1)
    indices = sorter[positions]
    if not np.array_equal(classes[indices], y):
        unknown = sorted(set(np.unique(y).tolist()) - set(classes.tolist()))
        raise ValueError(f"y has labels outside the classes {list(classes)}: {unknown}.")
    return indices.astype(np.int64)
