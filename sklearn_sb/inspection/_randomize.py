"""Randomizing a block of unrotated coordinates by one row permutation."""

import numpy as np


def randomize_block(X, block, rotation, permutation, *, dtype=None):
    """``X`` with the unrotated coordinates ``block`` moved by ``permutation``.

    In the unrotated basis ``Z = X @ rotation.T``, row ``i`` of the result
    takes its ``block`` coordinates from row ``permutation[i]`` and keeps its
    other coordinates; the result is rotated back. The block moves as a
    whole, keeping its joint distribution but losing its link to the label.

    Only the block's coordinates are computed: with ``R_B`` the block's rows
    of the rotation, ``X' = X + (Z_B[p] - Z_B) @ R_B``, or from ``X[p]`` and
    the complement when that is the smaller block, so the cost is
    ``O(n d min(|B|, d - |B|))``.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    block : ndarray of int
    rotation : ndarray of shape (n_features, n_features) or None
        None means the identity.
    permutation : ndarray of shape (n_samples,)
    dtype : floating dtype, default=None
        The dtype of the result; None keeps X's floating dtype (float64 for
        other X). Casting here rather than beforehand spares a copy of X.

    Returns
    -------
    X_randomized : ndarray of shape (n_samples, n_features)
    """
    if dtype is None:
        dtype = X.dtype if X.dtype.kind == "f" else np.float64
    dtype = np.dtype(dtype).newbyteorder("=")
    if rotation is None:
        randomized = X.astype(dtype, copy=True)
        randomized[:, block] = X[np.ix_(permutation, block)]
        return randomized
    # Imported here so that inspecting a scikit-learn model does not pay for
    # importing torch until a rotated block is randomized.
    from ._low_rank import randomize_rotated

    return randomize_rotated(X, block, rotation, permutation, dtype)
