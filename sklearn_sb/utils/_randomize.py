"""Randomizing a block of unrotated coordinates by one row permutation."""

import numpy as np

from ._blocks import check_rotation, resolve_block
from ._param_validation import validate_params


@validate_params(
    {
        "X": ["array-like"],
        "block": ["array-like"],
        "rotation": ["array-like", None],
        "permutation": ["array-like"],
        "dtype": [type, np.dtype, str, None],
    },
    prefer_skip_nested_validation=True,
)
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
    X : array-like of shape (n_samples, n_features)
    block : array-like of int or bool
        Indices of unrotated coordinates, or a boolean mask over them.
    rotation : array-like of shape (n_features, n_features) or None
        The orthogonal matrix with ``X = Z @ rotation``; None means the
        identity.
    permutation : array-like of shape (n_samples,)
        A permutation of ``range(n_samples)``.
    dtype : floating dtype, default=None
        The dtype of the result; None keeps X's floating dtype (float64 for
        other X). Casting here rather than beforehand spares a copy of X.

    Returns
    -------
    X_randomized : ndarray of shape (n_samples, n_features)

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_sb.inspection import randomize_block
    >>> X = np.arange(6.0).reshape(3, 2)
    >>> randomize_block(X, [0], None, [2, 0, 1])
    array([[4., 1.],
           [0., 3.],
           [2., 5.]])
    """
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-dimensional; got shape {X.shape}.")
    permutation = np.asarray(permutation)
    if not np.array_equal(np.sort(permutation), np.arange(len(X))):
        raise ValueError(f"permutation must be a permutation of range({len(X)}).")
    return randomize_validated(X, resolve_block(block, X.shape[1], name="block"),
                               check_rotation(rotation, X.shape[1]), permutation, dtype=dtype)


def randomize_validated(X, block, rotation, permutation, *, dtype=None):
    """:func:`randomize_block` on arguments the caller has validated.

    ``block`` is an array of sorted indices, ``rotation`` a checked float
    matrix or None, ``permutation`` an integer array; the scorers call this
    once per randomization.
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
