"""Feature blocks and rotations: how every tool is told which features are S.

One spelling serves every consumer (scores, logits, displays, the UAP
budget): ``simple_features`` is the block S as indices or a boolean mask over
the unrotated coordinates, or a dataset Bunch (``return_X_y=False``), which
brings S and its ``rotation`` at once; ``rotation`` is the orthogonal matrix
with ``X = Z @ rotation``, None for unrotated data. S^c is the rest.
"""

from numbers import Integral

import numpy as np

from ._param_validation import HasAttributes

#: The constraints of a ``simple_features`` parameter.
BLOCK_CONSTRAINTS = ["array-like", HasAttributes(["simple_features", "complex_features",
                                                  "rotation"])]


def resolve_block(features, n_features, name="features"):
    """Sorted unique indices of a feature block.

    Parameters
    ----------
    features : array-like of int or of bool
        Indices of unrotated coordinates, or a boolean mask over them.
    n_features : int
    name : str
        The parameter's name, for error messages.

    Returns
    -------
    block : ndarray of int
    """
    if isinstance(features, str):
        raise ValueError(
            f"{name}={features!r} names a block of a dataset; resolve it with "
            "the dataset Bunch, e.g. RandomizedFeatureScorer.from_dataset(data, "
            f"{features!r}) or randomized_scores(..., simple_features=data)."
        )
    block = np.asarray(features)
    if block.dtype == bool:
        if block.shape != (n_features,):
            raise ValueError(
                f"The boolean mask {name} has shape {block.shape}, but X has "
                f"{n_features} features."
            )
        block = np.flatnonzero(block)
    elif block.ndim == 0 and isinstance(block.item(), Integral):
        block = block.reshape(1)
    elif block.size and not np.issubdtype(block.dtype, np.integer):
        raise ValueError(
            f"{name} must be integer indices or a boolean mask; got {features!r}."
        )
    block = np.unique(block.astype(np.intp).ravel())
    if block.size == 0:
        raise ValueError(f"The feature block {name} is empty; give at least one index.")
    if block[0] < -n_features or block[-1] >= n_features:
        raise ValueError(
            f"{name} has indices out of range for {n_features} features: "
            f"{block[(block < -n_features) | (block >= n_features)].tolist()}."
        )
    return np.unique(block % n_features)


def check_rotation(rotation, n_features, *, atol=1e-6):
    """Validate an orthogonal ``(n_features, n_features)`` matrix, or None."""
    if rotation is None:
        return None
    rotation = np.asarray(rotation, dtype=np.float64)
    if rotation.ndim != 2 or rotation.shape[0] != rotation.shape[1]:
        raise ValueError(f"rotation must be a square matrix; got shape {rotation.shape}.")
    if rotation.shape[0] != n_features:
        raise ValueError(
            f"rotation is {rotation.shape[0]} x {rotation.shape[1]}, but X has "
            f"{n_features} features."
        )
    if not np.all(np.isfinite(rotation)):
        raise ValueError("rotation contains NaN or infinity; pass the dataset's `rotation`.")
    error = np.abs(rotation @ rotation.T - np.eye(n_features)).max()
    if not error <= atol:
        raise ValueError(
            f"rotation is not orthogonal: max |R R^T - I| = {error:.2e} > {atol}. "
            "Pass the dataset's `rotation` (X = Z @ rotation)."
        )
    return rotation


def complement(block, n_features):
    """The indices of ``range(n_features)`` outside ``block``."""
    return np.setdiff1d(np.arange(n_features), block)


def unpack_dataset(features, rotation, which="simple"):
    """Feature indices and rotation, taken from a dataset Bunch when given one.

    A dataset is anything with ``simple_features``, ``complex_features`` and
    ``rotation`` attributes, as returned by the dataset functions with
    ``return_X_y=False``.
    """
    if BLOCK_CONSTRAINTS[1].is_satisfied_by(features):
        if rotation is not None:
            raise ValueError(
                "Pass either a dataset Bunch or a rotation, not both: the "
                "dataset carries its own rotation."
            )
        return getattr(features, f"{which}_features"), features.rotation
    return features, rotation


def simple_and_complex(simple_features, rotation, n_features):
    """S, S^c and the checked rotation, from the arguments or a dataset Bunch.

    Parameters
    ----------
    simple_features : array-like of int or bool, or dataset Bunch
    rotation : ndarray of shape (n_features, n_features) or None
    n_features : int

    Returns
    -------
    simple, rest : ndarray of int
    rotation : ndarray of float64 or None
    """
    simple_features, rotation = unpack_dataset(simple_features, rotation)
    simple = resolve_block(simple_features, n_features, name="simple_features")
    rest = complement(simple, n_features)
    if rest.size == 0:
        raise ValueError("simple_features covers every feature: S^c would be empty.")
    return simple, rest, check_rotation(rotation, n_features)
