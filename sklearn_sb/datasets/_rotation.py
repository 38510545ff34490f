"""Haar-random orthogonal matrices."""

import numpy as np


def random_rotation(n_features, rng):
    """Draw an orthogonal matrix from the Haar measure on O(n_features).

    The Q factor of a Gaussian matrix is Haar-distributed only once the signs
    of R's diagonal are folded into it; LAPACK's QR does not fix those signs.

    Parameters
    ----------
    n_features : int
    rng : numpy.random.RandomState

    Returns
    -------
    rotation : ndarray of shape (n_features, n_features)
    """
    q, r = np.linalg.qr(rng.standard_normal((n_features, n_features)))
    return q * np.sign(np.diag(r))
