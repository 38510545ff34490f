"""Randomizing a block of unrotated coordinates by one row permutation."""

import numpy as np


def randomize_block(X, block, rotation, permutation):
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

    Returns
    -------
    X_randomized : ndarray of shape (n_samples, n_features)
    """
    n_features = X.shape[1]
    if rotation is None:
        randomized = X.copy()
        randomized[:, block] = X[np.ix_(permutation, block)]
        return randomized
    # These products have rank |block| and are memory-bound: more BLAS
    # threads do not speed them up, and their spinning afterwards slows down
    # the model evaluation that follows (torch's threads share the cores).
    dtype = X.dtype if X.dtype.kind == "f" else np.float64
    rotation = rotation.astype(dtype, copy=False)
    if 2 * len(block) <= n_features:
        basis = rotation[block]
        Z_block = _project(X, basis)
        randomized = X.astype(dtype, copy=True)
        return _add_low_rank(randomized, Z_block[permutation] - Z_block, basis)
    basis = np.delete(rotation, block, axis=0)
    Z_rest = _project(X, basis)
    randomized = np.take(X, permutation, axis=0).astype(dtype, copy=False)
    return _add_low_rank(randomized, Z_rest - Z_rest[permutation], basis)


# The products below have rank |block| and are memory-bound. Done in chunks
# of rows they stay in cache and small enough for BLAS to run them on one
# thread: idle BLAS threads spinning afterwards would slow down the torch
# model evaluation that usually follows on the same cores.
_CHUNK_ROWS = 2048


def _project(X, basis):
    """``X @ basis.T`` by chunks of rows."""
    projected = np.empty((len(X), len(basis)), dtype=basis.dtype)
    for start in range(0, len(X), _CHUNK_ROWS):
        np.matmul(X[start : start + _CHUNK_ROWS], basis.T,
                  out=projected[start : start + _CHUNK_ROWS])
    return projected


def _add_low_rank(out, shift, basis):
    """``out += shift @ basis`` by chunks of rows."""
    buffer = np.empty((min(_CHUNK_ROWS, len(out)), out.shape[1]), dtype=out.dtype)
    for start in range(0, len(out), _CHUNK_ROWS):
        stop = min(start + _CHUNK_ROWS, len(out))
        product = buffer[: stop - start]
        np.matmul(shift[start:stop], basis, out=product)
        out[start:stop] += product
    return out
