"""Generators of the paper's synthetic datasets: LMS, MS and LSN."""

from importlib import resources
from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state
from ..utils._param_validation import (
    Interval,
    InvalidParameterError,
    validate_params,
)

from ._blocks import (
    GaussianNoise,
    default_slab_probabilities,
    linear_block,
    linear_singleton_block,
    slab_block,
    slab_singleton_block,
)
from ._rotation import random_rotation

# Rows generated at once: bounds the temporaries at a few megabytes whatever
# the dataset size, so peak memory stays close to the returned array.
_CHUNK_ENTRIES = 2**20
# How far from orthogonal a given rotation may be: float64 round-off of a
# matrix that went through a file or a float32 copy, not a different matrix.
_ORTHOGONALITY_ATOL = 1e-6


def _check_n_slabs(n_slabs, func_name):
    if isinstance(n_slabs, bool) or not isinstance(n_slabs, Integral):
        return False
    if n_slabs < 3 or n_slabs % 2 == 0:
        raise InvalidParameterError(
            f"The 'n_slabs' parameter of {func_name} must be an odd int >= 3 "
            f"(3, 5, 7, ...). Got {n_slabs!r} instead."
        )
    return True


def _check_margin(margin, slab_counts, func_name):
    largest = max(slab_counts)
    if margin >= 1 / (largest - 1):
        raise InvalidParameterError(
            f"The 'margin' parameter of {func_name} must be < 1/(n_slabs - 1) = "
            f"{1 / (largest - 1):.4g} for {largest} slabs, otherwise the slabs "
            f"vanish. Got {margin!r} instead."
        )


def _resolve_slab_probabilities(slab_probabilities, slab_counts, func_name):
    """Reference probabilities per slab count, with the caller's overrides."""
    overrides = dict(slab_probabilities or {})
    unknown = set(overrides) - set(slab_counts)
    if unknown:
        raise InvalidParameterError(
            f"The 'slab_probabilities' parameter of {func_name} has keys "
            f"{sorted(unknown)} that are not slab counts of this dataset "
            f"{sorted(set(slab_counts))}."
        )
    resolved = {}
    for k in set(slab_counts):
        defaults = default_slab_probabilities(k)
        if k not in overrides:
            resolved[k] = defaults
            continue
        try:
            negatives, positives = (np.asarray(p, dtype=float) for p in overrides[k])
        except (TypeError, ValueError) as exc:
            raise InvalidParameterError(
                f"The 'slab_probabilities' parameter of {func_name} must map "
                f"{k} to a pair (negative_probs, positive_probs). "
                f"Got {overrides[k]!r} instead."
            ) from exc
        for name, probs, default in (
            ("negative", negatives, defaults[0]),
            ("positive", positives, defaults[1]),
        ):
            if (
                probs.shape != (len(default),)
                or np.any(probs < 0)
                or not np.isclose(probs.sum(), 1.0)
            ):
                raise InvalidParameterError(
                    f"The 'slab_probabilities' parameter of {func_name}: the "
                    f"{name} probabilities for {k} slabs must be {len(default)} "
                    f"non-negative numbers summing to 1 (left to right). "
                    f"Got {probs.tolist()!r} instead."
                )
        resolved[k] = (negatives, positives)
    return resolved


def _as_floats(probabilities):
    return {
        k: tuple(tuple(float(p) for p in probs) for probs in pair)
        for k, pair in probabilities.items()
    }


def _check_rotation(rotation, rotate, n_features, func_name):
    """The ``rotation`` parameter as a float64 orthogonal matrix, or None."""
    if rotation is None:
        return None
    if not rotate:
        raise InvalidParameterError(
            f"The 'rotation' parameter of {func_name} was given with rotate=False; "
            "pass rotate=True to rotate the data by it."
        )
    rotation = np.asarray(rotation, dtype=np.float64)
    if rotation.shape != (n_features, n_features):
        raise InvalidParameterError(
            f"The 'rotation' parameter of {func_name} must be a ({n_features}, "
            f"{n_features}) orthogonal matrix for n_features={n_features}. Got shape "
            f"{rotation.shape} instead."
        )
    if not np.all(np.isfinite(rotation)):
        raise InvalidParameterError(
            f"The 'rotation' parameter of {func_name} contains NaN or infinity."
        )
    error = np.abs(rotation @ rotation.T - np.eye(n_features)).max()
    if error > _ORTHOGONALITY_ATOL:
        raise InvalidParameterError(
            f"The 'rotation' parameter of {func_name} must be orthogonal: max |R R^T - I| "
            f"= {error:.2e} > {_ORTHOGONALITY_ATOL}. Pass the `rotation` of an earlier "
            "call's Bunch."
        )
    return rotation


def _balanced_labels(n_samples, shuffle, rng):
    y = np.repeat(np.array([0, 1]), [n_samples // 2, n_samples - n_samples // 2])
    if shuffle:
        rng.shuffle(y)
    return y


def _generate(n_samples, blocks, *, rotate, rotation, shuffle, rng, correlation=1.0,
              noisy_linear=None):
    """Sample the dataset block by block, in chunks of rows.

    Parameters
    ----------
    blocks : list of (block, slice)
        The blocks and the columns of the unrotated data they fill, in order;
        the first is the simple block S.
    rotation : ndarray or None
        A checked orthogonal matrix to use instead of drawing one.
    correlation : float, default=1.0
        Generate S with the other label on exactly
        ``round((1 - correlation) * n_samples)`` rows chosen at random.
    noisy_linear : tuple (column, fraction, margin), default=None
        Replace that column by ``Uniform[-margin, margin]`` on exactly
        ``round(fraction * n_samples)`` rows chosen at random.

    Returns
    -------
    X, y, groups, rotation
        ``groups`` is ``2 * y + s`` with ``s`` the label S points to: the
        label S was generated with, or on a noisy row the sign of its noise.
        ``rotation`` is None without ``rotate``.
    """
    n_features = blocks[-1][1].stop
    if rotation is None:
        rotation = random_rotation(n_features, rng) if rotate else None
    else:
        # The draws a rotation would have taken are skipped, so that the same
        # random_state gives the same labels and features with either.
        rng.standard_normal((n_features, n_features))
    y = _balanced_labels(n_samples, shuffle, rng)
    noisy_rows = np.zeros(n_samples, dtype=bool)
    if noisy_linear is not None:
        column, fraction, noise_margin = noisy_linear
        noisy_rows[rng.permutation(n_samples)[: round(fraction * n_samples)]] = True
    s_label = y.copy()
    # Drawn only below 1, so that correlation=1 leaves every draw as it was.
    if correlation < 1:
        flipped = rng.permutation(n_samples)[: round((1 - correlation) * n_samples)]
        s_label[flipped] = 1 - y[flipped]

    # Writing into pages the matmul has never touched is several times
    # slower than filling them first.
    X = np.empty((n_samples, n_features))
    X.fill(0.0)
    chunk = max(1, _CHUNK_ENTRIES // n_features)
    simple_block = blocks[0][0]
    for start in range(0, n_samples, chunk):
        stop = min(start + chunk, n_samples)
        y_chunk = y[start:stop]
        s_chunk = s_label[start:stop]
        Z = rng.random_sample((stop - start, n_features))
        for block, columns in blocks:
            if isinstance(block, GaussianNoise):
                Z[:, columns] = rng.standard_normal(Z[:, columns].shape)
            else:
                labels = s_chunk if block is simple_block else y_chunk
                block.transform(Z[:, columns], labels)
        if noisy_linear is not None:
            noisy = noisy_rows[start:stop]
            Z[noisy, column] = rng.uniform(-noise_margin, noise_margin, noisy.sum())
            s_chunk[noisy] = Z[noisy, column] > 0
        if rotate:
            np.matmul(Z, rotation, out=X[start:stop])
        else:
            X[start:stop] = Z
    return X, y, 2 * y + s_label, rotation


def _describe(name):
    return resources.files(__package__).joinpath("descr", name).read_text("utf-8")


def _dataset(X, y, groups, rotation, blocks, simple, parameters, descr, return_X_y,
             generator):
    if return_X_y:
        return X, y
    n_features = X.shape[1]
    feature_info = np.empty(n_features, dtype=object)
    for block, columns in blocks:
        feature_info[columns] = block.kind
    simple_features = np.asarray(simple, dtype=np.intp)
    return Bunch(
        X=X,
        y=y,
        groups=groups,
        rotation=rotation,
        feature_info=feature_info,
        simple_features=simple_features,
        complex_features=np.setdiff1d(np.arange(n_features), simple_features),
        parameters=parameters,
        generator=generator,
        DESCR=_describe(descr),
    )


_COMMON_CONSTRAINTS = {
    "correlation": [Interval(Real, 0, 1, closed="both")],
    "n_samples": [Interval(Integral, 2, None, closed="left")],
    "n_features": [Interval(Integral, 2, None, closed="left")],
    "rotate": ["boolean"],
    "rotation": ["array-like", None],
    "shuffle": ["boolean"],
    "random_state": ["random_state"],
    "return_X_y": ["boolean"],
}


@validate_params(
    {
        **_COMMON_CONSTRAINTS,
        "n_slabs": [Interval(Integral, 3, None, closed="left")],
        "noise": [Interval(Real, 0, 1, closed="both")],
        "margin": [Interval(Real, 0, 1, closed="left")],
        "slab_probabilities": [dict, None],
    },
    prefer_skip_nested_validation=True,
)
def make_lms(
    n_samples=100,
    n_features=50,
    *,
    n_slabs=5,
    noise=0.0,
    margin=0.1,
    slab_probabilities=None,
    correlation=1.0,
    rotate=True,
    rotation=None,
    shuffle=True,
    random_state=None,
    return_X_y=True,
):
    """Generate the LMS-k dataset: one linear coordinate and k-slab coordinates.

    Coordinate 0 of the unrotated data is the simple feature S: positives are
    uniform on ``[margin, 1]`` and negatives on ``[-1, -margin]``. Every other
    coordinate is a k-slab block, predictive on its own but needing a more
    complex decision boundary. With ``noise=p > 0`` the linear coordinate is
    replaced by label-independent ``Uniform[-margin, margin]`` values on
    exactly ``round(p * n_samples)`` rows (noisy LMS), so the best linear
    accuracy on S drops to ``1 - p / 2`` while the slabs stay fully
    predictive.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    n_samples : int, default=100
        Number of samples; the two classes are balanced (to one sample).
    n_features : int, default=50
        Number of coordinates: one linear and ``n_features - 1`` slab ones.
    n_slabs : int, default=5
        Odd number k >= 3 of slabs of the complex coordinates.
    noise : float in [0, 1], default=0.0
        Fraction of rows whose linear coordinate is replaced by noise.
    margin : float, default=0.1
        Half-gap between the classes on every coordinate. Must be below
        ``1 / (n_slabs - 1)``.
    slab_probabilities : dict, default=None
        Overrides of the slab probabilities: ``{k: (negative_probs,
        positive_probs)}``, each listed left to right. Defaults to the
        paper's reference table for k in {3, 5, 7} and equal probabilities
        otherwise.
    correlation : float in [0, 1], default=1.0
        Fraction of rows whose linear coordinate (S) agrees with the label:
        on exactly ``round((1 - correlation) * n_samples)`` rows chosen at
        random, S is drawn as for the other label while the slabs (S^c)
        keep the true one. ``noise`` is drawn independently and replaces S
        on its rows whatever label S was drawn for.
    rotate : bool, default=True
        Apply a Haar-random rotation ``X = Z @ rotation``; without it the
        Bunch's ``rotation`` is None.
    rotation : array-like of shape (n_features, n_features), default=None
        With ``rotate=True``, the orthogonal matrix to rotate by instead of
        drawing one: pass an earlier call's ``rotation`` (and another
        ``random_state``) to draw more data of the same distribution, such
        as a held-out or an unlabeled set. With the same ``random_state``
        the data is that of the call without it, rotated by this matrix.
    shuffle : bool, default=True
        Shuffle the samples; otherwise negatives come first.
    random_state : int, RandomState instance or None, default=None
        Determines the rotation, the labels and the features. Pass an int for
        reproducible output across calls.
    return_X_y : bool, default=True
        Return ``(X, y)``; otherwise a :class:`~sklearn.utils.Bunch`.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The (rotated) samples, float64.
    y : ndarray of shape (n_samples,)
        The labels in {0, 1}.
    data : :class:`~sklearn.utils.Bunch`
        When ``return_X_y=False``, with attributes ``X``, ``y``, ``groups``
        (``2 * y + s``, where ``s`` is the label S points to: ``y``, or
        ``1 - y`` on the rows ``correlation`` draws for the other label, and
        on a noisy row 1 if its linear value is positive, 0 otherwise; as
        in :func:`~sklearn_sb.datasets.make_dominoes`, groups 0 and 3 are
        the majority, where S agrees with the label, 1 and 2 the minority),
        ``rotation`` (orthogonal, so the unrotated data is
        ``X @ rotation.T``; None with ``rotate=False``, the data being
        unrotated), ``feature_info`` (the kind of each unrotated coordinate),
        ``simple_features`` and ``complex_features`` (index arrays of S and
        S^c), ``parameters`` (the call's options), ``generator`` (the
        function's name, ``'make_lms'``; :func:`make_decorrelated` draws
        more rows from it) and ``DESCR``.

    See Also
    --------
    make_slabs : Slab coordinates only (MS-k, MS-(k1, k2)).
    make_lsn : The linear/3-slab/noise dataset of Theorem 1.

    Examples
    --------
    >>> from sklearn_sb import make_lms
    >>> X, y = make_lms(1000, 10, random_state=0)
    >>> X.shape, y.mean()
    ((1000, 10), np.float64(0.5))
    >>> data = make_lms(1000, 10, n_slabs=7, noise=0.1, return_X_y=False,
    ...                 random_state=0)
    >>> list(data.feature_info[:3])
    ['noisy-linear', 'slab-7', 'slab-7']

    With ``correlation=0.9``, S points to the other label on 10 % of the rows,
    the minority groups 1 and 2:

    >>> import numpy as np
    >>> data = make_lms(1000, 10, correlation=0.9, return_X_y=False,
    ...                 random_state=0)
    >>> np.isin(data.groups, (1, 2)).mean()
    np.float64(0.1)
    """
    func_name = "make_lms"
    _check_n_slabs(n_slabs, func_name)
    _check_margin(margin, [n_slabs], func_name)
    probabilities = _resolve_slab_probabilities(
        slab_probabilities, [n_slabs], func_name
    )
    rotation = _check_rotation(rotation, rotate, n_features, func_name)
    rng = check_random_state(random_state)

    blocks = [
        (linear_block(margin, kind="noisy-linear" if noise > 0 else "linear"), slice(0, 1)),
        (slab_block(n_slabs, margin, probabilities[n_slabs]), slice(1, n_features)),
    ]
    X, y, groups, rotation = _generate(
        n_samples,
        blocks,
        rotate=rotate,
        rotation=rotation,
        shuffle=shuffle,
        rng=rng,
        correlation=correlation,
        noisy_linear=(0, noise, margin) if noise > 0 else None,
    )
    parameters = dict(
        n_samples=n_samples,
        n_features=n_features,
        n_slabs=n_slabs,
        noise=noise,
        margin=margin,
        slab_probabilities=_as_floats(probabilities),
        correlation=correlation,
        rotate=rotate,
        shuffle=shuffle,
        random_state=random_state,
    )
    return _dataset(X, y, groups, rotation, blocks, [0], parameters, "lms.rst", return_X_y,
                    "make_lms")


def _check_slab_pair(n_slabs, func_name):
    """``n_slabs`` of make_slabs as (k for coordinate 0, k for the others)."""
    if _check_n_slabs(n_slabs, func_name):
        return n_slabs, n_slabs
    if (
        len(n_slabs) != 2
        or any(isinstance(k, bool) or not isinstance(k, Integral) for k in n_slabs)
    ):
        raise InvalidParameterError(
            f"The 'n_slabs' parameter of {func_name} must be an odd int >= 3 or a "
            f"pair (k1, k2) of them. Got {n_slabs!r} instead."
        )
    for k in n_slabs:
        _check_n_slabs(k, func_name)
    return tuple(int(k) for k in n_slabs)


@validate_params(
    {
        **_COMMON_CONSTRAINTS,
        "n_slabs": [Interval(Integral, 3, None, closed="left"), tuple],
        "margin": [Interval(Real, 0, 1, closed="left")],
        "slab_probabilities": [dict, None],
    },
    prefer_skip_nested_validation=True,
)
def make_slabs(
    n_samples=100,
    n_features=50,
    *,
    n_slabs=5,
    margin=0.1,
    slab_probabilities=None,
    correlation=1.0,
    rotate=True,
    rotation=None,
    shuffle=True,
    random_state=None,
    return_X_y=True,
):
    """Generate the MS datasets: slab coordinates only.

    ``n_slabs=k`` gives MS-k, where every coordinate is a k-slab block and all
    are equally simple. ``n_slabs=(k1, k2)`` gives MS-(k1, k2): coordinate 0 of
    the unrotated data is a k1-slab block (the simpler feature S when
    ``k1 < k2``) and every other coordinate a k2-slab block.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    n_samples : int, default=100
        Number of samples; the two classes are balanced (to one sample).
    n_features : int, default=50
        Number of coordinates.
    n_slabs : int or tuple (k1, k2), default=5
        Odd slab counts >= 3.
    margin : float, default=0.1
        Half-gap between neighbouring slabs. Must be below
        ``1 / (k - 1)`` for the largest slab count k.
    slab_probabilities : dict, default=None
        Overrides of the slab probabilities: ``{k: (negative_probs,
        positive_probs)}``, each listed left to right.
    correlation : float in [0, 1], default=1.0
        Fraction of rows whose coordinate 0 (S) agrees with the label: on
        exactly ``round((1 - correlation) * n_samples)`` rows chosen at
        random, S is drawn as for the other label while S^c keeps the
        true one.
    rotate : bool, default=True
        Apply a Haar-random rotation ``X = Z @ rotation``; without it the
        Bunch's ``rotation`` is None.
    rotation : array-like of shape (n_features, n_features), default=None
        With ``rotate=True``, the orthogonal matrix to rotate by instead of
        drawing one: pass an earlier call's ``rotation`` (and another
        ``random_state``) to draw more data of the same distribution, such
        as a held-out or an unlabeled set. With the same ``random_state``
        the data is that of the call without it, rotated by this matrix.
    shuffle : bool, default=True
        Shuffle the samples; otherwise negatives come first.
    random_state : int, RandomState instance or None, default=None
        Determines the rotation, the labels and the features.
    return_X_y : bool, default=True
        Return ``(X, y)``; otherwise a :class:`~sklearn.utils.Bunch` with the
        same attributes as :func:`make_lms`'s.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    data : :class:`~sklearn.utils.Bunch`
        When ``return_X_y=False``; see :func:`make_lms`.

    See Also
    --------
    make_lms : A linear coordinate with slab coordinates.

    Examples
    --------
    >>> from sklearn_sb import make_slabs
    >>> data = make_slabs(1000, 5, n_slabs=(5, 7), return_X_y=False,
    ...                   random_state=0)
    >>> list(data.feature_info)
    ['slab-5', 'slab-7', 'slab-7', 'slab-7', 'slab-7']
    >>> data.simple_features
    array([0])
    """
    func_name = "make_slabs"
    first, rest = _check_slab_pair(n_slabs, func_name)
    _check_margin(margin, [first, rest], func_name)
    probabilities = _resolve_slab_probabilities(
        slab_probabilities, [first, rest], func_name
    )
    rotation = _check_rotation(rotation, rotate, n_features, func_name)
    rng = check_random_state(random_state)

    blocks = [
        (slab_block(first, margin, probabilities[first]), slice(0, 1)),
        (slab_block(rest, margin, probabilities[rest]), slice(1, n_features)),
    ]
    X, y, groups, rotation = _generate(
        n_samples, blocks, rotate=rotate, rotation=rotation, shuffle=shuffle, rng=rng,
        correlation=correlation,
    )
    parameters = dict(
        n_samples=n_samples,
        n_features=n_features,
        n_slabs=n_slabs,
        margin=margin,
        slab_probabilities=_as_floats(probabilities),
        correlation=correlation,
        rotate=rotate,
        shuffle=shuffle,
        random_state=random_state,
    )
    return _dataset(X, y, groups, rotation, blocks, [0], parameters, "slabs.rst", return_X_y,
                    "make_slabs")


@validate_params(
    {
        **_COMMON_CONSTRAINTS,
        "linear_margin": [Interval(Real, 0, None, closed="neither")],
        "slab_margin": [Interval(Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def make_lsn(
    n_samples=100,
    n_features=50,
    *,
    linear_margin=1.0,
    slab_margin=1.0,
    correlation=1.0,
    rotate=False,
    rotation=None,
    shuffle=True,
    random_state=None,
    return_X_y=True,
):
    """Generate the LSN dataset of Theorem 1: linear, 3-slab and noise.

    Coordinate 0 is a linear singleton, ``x0 = (2y - 1) * linear_margin``.
    Coordinate 1 is a 3-slab singleton: positives at ``±slab_margin``
    (equally likely), negatives at 0. Coordinates 2 and up are standard
    Gaussian noise, independent of the label. Both coordinates 0 and 1 are
    fully predictive; a one-hidden-layer ReLU network trained by gradient
    descent provably learns coordinate 0 and ignores coordinate 1.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    n_samples : int, default=100
        Number of samples; the two classes are balanced (to one sample).
    n_features : int, default=50
        Number of coordinates (d in the theorem).
    linear_margin : float, default=1.0
        Magnitude of the linear coordinate.
    slab_margin : float, default=1.0
        Magnitude of the positive 3-slab values.
    correlation : float in [0, 1], default=1.0
        Fraction of rows whose linear coordinate (S) agrees with the label:
        on exactly ``round((1 - correlation) * n_samples)`` rows chosen at
        random, ``x0 = (1 - 2y) * linear_margin`` while S^c keeps the true
        label.
    rotate : bool, default=False
        Apply a Haar-random rotation ``X = Z @ rotation``; without it the
        Bunch's ``rotation`` is None.
    rotation : array-like of shape (n_features, n_features), default=None
        With ``rotate=True``, the orthogonal matrix to rotate by instead of
        drawing one: pass an earlier call's ``rotation`` (and another
        ``random_state``) to draw more data of the same distribution, such
        as a held-out or an unlabeled set. With the same ``random_state``
        the data is that of the call without it, rotated by this matrix.
    shuffle : bool, default=True
        Shuffle the samples; otherwise negatives come first.
    random_state : int, RandomState instance or None, default=None
        Determines the rotation, the labels and the features.
    return_X_y : bool, default=True
        Return ``(X, y)``; otherwise a :class:`~sklearn.utils.Bunch` with the
        same attributes as :func:`make_lms`'s.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    data : :class:`~sklearn.utils.Bunch`
        When ``return_X_y=False``; see :func:`make_lms`.

    See Also
    --------
    make_lms : The LMS datasets of the paper's experiments.

    Examples
    --------
    >>> from sklearn_sb import make_lsn
    >>> X, y = make_lsn(6, 4, shuffle=False, random_state=0)
    >>> X[:, 0]
    array([-1., -1., -1.,  1.,  1.,  1.])
    """
    rotation = _check_rotation(rotation, rotate, n_features, "make_lsn")
    rng = check_random_state(random_state)
    blocks = [
        (linear_singleton_block(linear_margin), slice(0, 1)),
        (slab_singleton_block(slab_margin), slice(1, 2)),
    ]
    if n_features > 2:
        blocks.append((GaussianNoise(), slice(2, n_features)))
    X, y, groups, rotation = _generate(
        n_samples, blocks, rotate=rotate, rotation=rotation, shuffle=shuffle, rng=rng,
        correlation=correlation,
    )
    parameters = dict(
        n_samples=n_samples,
        n_features=n_features,
        linear_margin=linear_margin,
        slab_margin=slab_margin,
        correlation=correlation,
        rotate=rotate,
        shuffle=shuffle,
        random_state=random_state,
    )
    return _dataset(X, y, groups, rotation, blocks, [0], parameters, "lsn.rst", return_X_y,
                    "make_lsn")
