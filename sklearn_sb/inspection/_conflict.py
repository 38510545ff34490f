"""Conflict data: each row's simple block S paired with another class's complex block."""

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_consistent_length, column_or_1d

from ..utils._blocks import BLOCK_CONSTRAINTS, simple_and_complex
from ..utils._param_validation import validate_params


@validate_params(
    {
        "X": ["array-like"],
        "y": ["array-like"],
        "simple_features": BLOCK_CONSTRAINTS,
        "rotation": ["array-like", None],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_conflict_data(X, y, *, simple_features, rotation=None, random_state=None):
    """Rows whose simple block S and complex block S^c point to different classes.

    In the unrotated basis ``Z = X @ rotation.T``, row ``i`` keeps its own
    S block and takes its whole S^c block from one row drawn at random
    among the rows of another class (the other class for binary labels;
    uniformly among all rows of other classes otherwise); the result is
    rotated back. Where S and S^c each predict the label perfectly, the two
    blocks of a conflict row contradict each other: the paper's pitfall
    (ii) is that a simplicity-biased network follows S and stays confident.

    Read more in the :ref:`User Guide <conflict-data>`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        Class labels, at least two classes.
    simple_features : array-like of int or bool, or dataset Bunch
        The block S (S^c is the rest); a dataset Bunch also gives the
        rotation.
    rotation : ndarray of shape (n_features, n_features), default=None
        The orthogonal matrix with ``X = Z @ rotation``; None for unrotated
        data.
    random_state : int, RandomState instance or None, default=None
        Draws the rows the S^c blocks come from. With an int, every call
        draws the same rows.

    Returns
    -------
    X_conflict : ndarray of shape (n_samples, n_features)
        X's floating dtype (float64 for other X). The labels are not
        returned because they do not change: row ``i`` still goes with
        ``y[i]``, the label its S block agrees with, while its S^c block
        comes from a row labelled otherwise. Accuracy against ``y`` is
        therefore how often a model follows S.

    See Also
    --------
    randomize_block : Move a block across rows by one permutation, labels ignored.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_sb.inspection import make_conflict_data
    >>> X = np.array([[-1.0, -10.0], [-2.0, -20.0], [1.0, 10.0]])
    >>> y = np.array([0, 0, 1])
    >>> make_conflict_data(X, y, simple_features=[0], random_state=0)
    array([[ -1.,  10.],
           [ -2.,  10.],
           [  1., -10.]])
    """
    X = check_array(X, dtype=(np.float64, np.float32))
    y = column_or_1d(y, warn=True)
    check_consistent_length(X, y)
    check_classification_targets(y)
    simple, _, rotation = simple_and_complex(simple_features, rotation, X.shape[1])
    donors = _other_class_rows(y, check_random_state(random_state))
    X_donor = X[donors]
    if rotation is None:
        X_donor[:, simple] = X[:, simple]
        return X_donor
    # The donor row with its S coordinates replaced by row i's:
    # Z' = Z_donor + (Z_S - Z_donor_S) on S, a rank-|S| update of X_donor.
    basis = rotation[simple]
    return (X_donor + ((X - X_donor) @ basis.T) @ basis).astype(X.dtype, copy=False)


def _other_class_rows(y, rng):
    """For every row, the index of a row drawn uniformly among those of other classes."""
    classes = np.unique(y)
    if len(classes) < 2:
        raise ValueError(
            f"Conflict data needs rows of another class to draw S^c blocks from; y has "
            f"only the class {classes.tolist()}."
        )
    donors = np.empty(len(y), dtype=np.intp)
    for label in classes:
        own = y == label
        others = np.flatnonzero(~own)
        donors[own] = others[rng.randint(len(others), size=np.count_nonzero(own))]
    return donors
