"""Randomizing a block of unrotated coordinates by one row permutation."""

import warnings

import numpy as np
import torch


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
    # torch rather than numpy: its fused, threaded kernels cast, gather and
    # add the low-rank update several times faster than numpy's broadcasting.
    X = _as_tensor(X)
    rotation = torch.from_numpy(np.asarray(rotation, dtype=dtype))
    permutation = _as_tensor(np.asarray(permutation, dtype=np.int64))
    in_block = np.zeros(X.shape[1], dtype=bool)
    in_block[block] = True
    randomized = _empty(X.shape, dtype)
    if 2 * in_block.sum() <= X.shape[1]:
        randomized.copy_(X)
        basis = rotation[torch.from_numpy(in_block)]
        Z_block = randomized @ basis.T
        shift = Z_block[permutation] - Z_block
    else:
        source = _empty(X.shape, dtype).copy_(X) if randomized.dtype != X.dtype else X
        basis = rotation[torch.from_numpy(~in_block)]
        Z_rest = source @ basis.T
        torch.index_select(source, 0, permutation, out=randomized)
        shift = Z_rest - Z_rest[permutation]
    return _add_low_rank(randomized, shift, basis).numpy()


def _empty(shape, dtype):
    """An uninitialized tensor in memory allocated by numpy.

    malloc recycles numpy's large buffers, while each large torch
    allocation maps fresh pages: filling 20 MB then costs thousands of page
    faults, more than the randomization itself (measured).
    """
    return torch.from_numpy(np.empty(shape, dtype=dtype))


def _add_low_rank(out, shift, basis):
    """``out += shift @ basis`` in place."""
    if len(basis) == 1:
        # An outer product: several times faster than a GEMM of inner size 1.
        return out.addcmul_(shift, basis)
    return out.addmm_(shift, basis)


def _as_tensor(array):
    """A tensor sharing ``array``'s memory when torch can read it as it is.

    torch needs native byte order and non-negative strides, so other
    arrays are copied first.
    """
    array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("="))
    with warnings.catch_warnings():
        # Read-only input (a memory map, say) is only read here.
        warnings.filterwarnings("ignore", message="The given NumPy array is not writable")
        return torch.from_numpy(array)
