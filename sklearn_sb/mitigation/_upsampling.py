"""Up-sampling training rows and the two networks of JTT and USEFUL.

Both methods train a network briefly, pick training rows from what it
learned, and train a fresh network on the training set with those rows
repeated. This module is the one implementation of the parts they share:
how many epochs the early network trains, the row counts and the
up-sampled training set, and the check of the network template.
"""

from numbers import Integral

import numpy as np
from sklearn.base import clone

from ._base import member_template


def network_template(estimator, owner, *, allow_method=False):
    """The network template of ``owner``: a network it can train itself, with epochs.

    ``member_template``'s rules, plus: the template must have
    ``max_epochs`` (an unfitted network such as ``SBNetClassifier``; a
    fitted network wrapped in a ``FrozenEstimator`` cannot be retrained).
    """
    template = member_template(estimator, owner, allow_method=allow_method)
    if "max_epochs" not in template.get_params(deep=False):
        raise ValueError(
            f"{owner} trains its networks itself, for a number of epochs: give an unfitted "
            f"network template with a max_epochs parameter (an SBNetClassifier), not "
            f"{type(template).__name__}."
        )
    return template


def early_epochs(epochs, template):
    """Epochs of the early network: ``epochs`` itself, or that share of the template's.

    An int counts epochs; a float in (0, 1) is a share of the template's
    ``max_epochs``, rounded down, at least 1.
    """
    if isinstance(epochs, Integral):
        return int(epochs)
    return max(1, int(epochs * template.max_epochs))


def fit_early(template, X, y, epochs, seed):
    """A fresh copy of ``template`` trained on ``(X, y)`` for ``epochs`` epochs."""
    return clone(template).set_params(max_epochs=epochs, random_state=int(seed)).fit(X, y)


def upsampling_counts(n_samples, rows, factor):
    """How many times each training row appears: ``factor`` for ``rows``, 1 for the others."""
    counts = np.ones(n_samples, dtype=np.int64)
    counts[np.asarray(rows, dtype=np.int64)] = factor
    return counts


def upsampled_rows(counts):
    """Indices of the up-sampled training set: row ``i`` appears ``counts[i]`` times.

    Every row once, in order, then the extra copies (the network shuffles
    its batches), so with every count 1 it is the training set itself.
    """
    counts = np.asarray(counts, dtype=np.int64)
    return np.concatenate([np.arange(len(counts)),
                           np.repeat(np.arange(len(counts)), counts - 1)])


def fit_upsampled(template, X, y, counts, seed):
    """A fresh copy of ``template`` trained on ``(X, y)`` with row ``i`` ``counts[i]`` times.

    An epoch is a pass over the up-sampled set, as in the authors' code
    (so larger counts mean more steps per epoch).
    """
    rows = upsampled_rows(counts)
    return clone(template).set_params(random_state=int(seed)).fit(X[rows], y[rows])
