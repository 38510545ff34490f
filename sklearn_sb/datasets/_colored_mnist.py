"""Colored MNIST (Arjovsky et al., 2019): a colour that predicts the label, by environment."""

from numbers import Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from ..utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_params,
)
from ..utils._random import draw_seed
from ._sources import FETCH_CONSTRAINTS, load_source
from ._synthetic import _describe

_FUNC_NAME = "make_colored_mnist"
_SPLIT_SEED = 0


def _check_images(images):
    """Grayscale images as float32 in [0, 1], of shape (n, H, W)."""
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(
            f"images must be grayscale, of shape (n_samples, height, width); got shape "
            f"{images.shape}."
        )
    if images.dtype == np.uint8:
        return images.astype(np.float32) / np.float32(255)
    if images.dtype.kind not in "fiu":
        raise ValueError(f"images must be numbers; got dtype {images.dtype}.")
    images = images.astype(np.float32)
    if not np.all(np.isfinite(images)):
        raise ValueError("images contain NaN or infinity.")
    if images.size and (images.min() < 0 or images.max() > 1):
        raise ValueError(
            "images that are not uint8 must lie in [0, 1]; got values in "
            f"[{images.min():.3g}, {images.max():.3g}]. Divide uint8 pixels by 255."
        )
    return images


def _check_environments(environments, func, *, minimum):
    environments = tuple(environments)
    if len(environments) < minimum or any(
        isinstance(e, bool) or not isinstance(e, Real) or not 0 <= e <= 1
        for e in environments
    ):
        needed = "a non-empty sequence" if minimum == 1 else (
            "at least two: the training environments, then the test environment")
        raise InvalidParameterError(
            f"The 'environments' parameter of {func} must give colour-flip "
            f"probabilities in [0, 1], {needed}. Got {environments!r} instead."
        )
    return environments


def _check_digits(digits, n_samples):
    digits = np.asarray(digits)
    if digits.ndim != 1 or len(digits) != n_samples:
        raise ValueError(
            f"digits must be one class per image: shape ({n_samples},); got shape "
            f"{digits.shape}."
        )
    if digits.dtype.kind not in "iu" or (digits.size and (digits.min() < 0 or digits.max() > 9)):
        raise ValueError("digits must be integers in 0..9, the MNIST classes.")
    return digits


@validate_params(
    {
        "images": ["array-like"],
        "digits": ["array-like"],
        "environments": [tuple, list],
        "label_noise": [Interval(Real, 0, 1, closed="both")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_colored_mnist(images, digits, *, environments=(0.1, 0.2, 0.9), label_noise=0.25,
                       random_state=None):
    """Colour grayscale digits so that the colour predicts the label, per environment.

    The construction of Arjovsky et al. (2019), "Invariant Risk
    Minimization", on any grayscale digit images:

    1. the rows are shuffled and dealt into ``len(environments)`` equal
       shares (the first ones one row larger when they do not divide);
    2. the label is 1 for digits 0-4 and 0 for digits 5-9, then flipped with
       probability ``label_noise``: the shape of the digit predicts the
       label with accuracy ``1 - label_noise``;
    3. the colour is the label, flipped with probability ``e``, the
       environment's entry of ``environments``: the colour predicts the
       label with accuracy ``1 - e``, better than the shape where
       ``e < label_noise``, and is anti-correlated with it where ``e > 0.5``;
    4. every other row and column is kept (28 x 28 becomes 14 x 14), the
       image is copied onto two channels, and the channel other than the
       colour is zeroed: colour 0 keeps channel 0 (red), colour 1 channel 1
       (green).

    The colour is the simple feature; the digit's shape the complex one.
    With the defaults, the first two environments are the paper's training
    environments and the third its test environment.

    Read more in the :ref:`User Guide <colored_mnist>`.

    Parameters
    ----------
    images : array-like of shape (n_samples, height, width)
        Grayscale digits, uint8 in [0, 255] or floats in [0, 1].
    digits : array-like of int of shape (n_samples,)
        Their classes, 0 to 9.
    environments : sequence of float in [0, 1], default=(0.1, 0.2, 0.9)
        Each environment's probability that the colour disagrees with the
        label.
    label_noise : float in [0, 1], default=0.25
        Probability that the label disagrees with the digit's class group.
    random_state : int, RandomState instance or None, default=None
        Determines the environments, the label noise and the colours.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        ``images`` (float32, ``(n_samples, 2, ceil(height / 2), ceil(width /
        2))``, in [0, 1]), ``data`` (the images flattened), ``target``
        (labels in {0, 1}), ``groups`` (the environment of each row, an index
        into ``environments``), ``color`` (0 or 1), ``digits`` (the classes
        given, in the rows' order), ``source_index`` (the row of ``images``
        each row comes from), ``environments`` and ``DESCR``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_sb.datasets import make_colored_mnist
    >>> rng = np.random.default_rng(0)
    >>> images = rng.integers(0, 256, size=(3000, 28, 28), dtype=np.uint8)
    >>> digits = rng.integers(0, 10, size=3000)
    >>> data = make_colored_mnist(images, digits, random_state=0)
    >>> data.images.shape
    (3000, 2, 14, 14)
    >>> for group, e in enumerate(data.environments):
    ...     rows = data.groups == group
    ...     agree = np.mean(data.color[rows] == data.target[rows])
    ...     print(f"e = {e}: colour and label agree on {agree:.1f} of the rows")
    e = 0.1: colour and label agree on 0.9 of the rows
    e = 0.2: colour and label agree on 0.8 of the rows
    e = 0.9: colour and label agree on 0.1 of the rows
    """
    environments = _check_environments(environments, _FUNC_NAME, minimum=1)
    images = _check_images(images)
    digits = _check_digits(digits, len(images))
    rng = check_random_state(random_state)

    order = rng.permutation(len(images))
    groups = np.empty(len(images), dtype=np.int64)
    for group, rows in enumerate(np.array_split(np.arange(len(images)), len(environments))):
        groups[rows] = group
    flip_probability = np.asarray(environments, dtype=np.float64)[groups]
    target = (digits[order] < 5).astype(np.int64)
    target ^= rng.random_sample(len(target)) < label_noise
    color = target ^ (rng.random_sample(len(target)) < flip_probability)

    small = images[order][:, ::2, ::2]
    colored = np.zeros((len(small), 2, *small.shape[1:]), dtype=np.float32)
    colored[np.arange(len(small)), color] = small
    return Bunch(
        images=colored,
        data=colored.reshape(len(colored), -1),
        target=target,
        groups=groups,
        color=color,
        digits=digits[order],
        source_index=order,
        environments=environments,
        DESCR=_describe("colored_mnist.rst"),
    )


@validate_params(
    {
        "subset": [StrOptions({"train", "test", "all"})],
        "environments": [tuple, list],
        "label_noise": [Interval(Real, 0, 1, closed="both")],
        **FETCH_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def fetch_colored_mnist(*, subset="train", environments=(0.1, 0.2, 0.9), label_noise=0.25,
                        data_home=None, download_if_missing=True, random_state=None,
                        return_X_y=False, n_retries=3, delay=1.0, verbose=1):
    """Load Colored MNIST (classification), downloading MNIST if needed.

    The split of Arjovsky et al. (2019), also used by the spectral
    decoupling code: only MNIST's training images are used. They are
    shuffled with a fixed seed, the same whatever ``random_state``, so that
    a training and a test call never share an image; the first five sixths
    (50,000 images) are dealt equally into the training environments, all
    entries of ``environments`` but the last, and the last sixth (10,000
    images) forms the test environment, the last entry. Each part is then coloured by :func:`make_colored_mnist`.
    With the defaults: 25,000 images with colour flip 0.1, 25,000 with 0.2,
    and 10,000 test images with 0.9, where the colour misleads.

    MNIST is read with torchvision and cached in ``data_home/image_sources``
    (see :func:`fetch_dominoes`).

    Read more in the :ref:`User Guide <colored_mnist>`.

    Parameters
    ----------
    subset : {'train', 'test', 'all'}, default='train'
        The training environments, the test environment, or both (training
        first).
    environments : sequence of float in [0, 1], default=(0.1, 0.2, 0.9)
        Each environment's probability that the colour disagrees with the
        label; the last one is the test environment. At least two.
    label_noise : float in [0, 1], default=0.25
        Probability that the label disagrees with the digit's class group.
    data_home : str or path-like, default=None
        Folder of the cache; see :func:`fetch_dominoes`.
    download_if_missing : bool, default=True
        If False, raise an OSError when MNIST is not in the cache instead of
        downloading it.
    random_state : int, RandomState instance or None, default=None
        Determines the split of the images, the label noise and the colours.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    n_retries : int, default=3
        Number of retries when a download fails.
    delay : float, default=1.0
        Seconds between retries.
    verbose : int, default=1
        0 is silent; otherwise a progress bar while downloading.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        The attributes of :func:`make_colored_mnist`; ``groups`` indexes
        ``environments`` and ``source_index`` numbers MNIST's training
        images in torchvision's order.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        When MNIST is not cached and ``download_if_missing=False``, or when
        its download fails after the retries.

    Examples
    --------
    >>> from sklearn_sb.datasets import fetch_colored_mnist
    >>> train = fetch_colored_mnist(random_state=0)  # doctest: +SKIP
    >>> train.images.shape, set(train.groups)  # doctest: +SKIP
    ((50000, 2, 14, 14), {0, 1})
    >>> test = fetch_colored_mnist(subset="test", random_state=0)  # doctest: +SKIP
    """
    environments = _check_environments(environments, "fetch_colored_mnist", minimum=2)
    rng = check_random_state(random_state)
    images, digits = load_source(
        "mnist", ("train",), data_home=data_home, download_if_missing=download_if_missing,
        n_retries=n_retries, delay=delay, verbose=verbose,
    )["train"]
    # A fixed split: a training and a test call never share an image,
    # whatever their random_state.
    order = np.random.RandomState(_SPLIT_SEED).permutation(len(digits))
    n_test = len(digits) // 6
    parts = {
        "train": (order[: len(order) - n_test], environments[:-1], 0),
        "test": (order[len(order) - n_test:], environments[-1:], len(environments) - 1),
    }
    seeds = dict(zip(("train", "test"), draw_seed(rng, size=2)))
    pieces = []
    for split in ("train", "test") if subset == "all" else (subset,):
        rows, split_environments, first = parts[split]
        piece = make_colored_mnist(images[rows], digits[rows],
                                   environments=split_environments,
                                   label_noise=label_noise, random_state=seeds[split])
        piece.groups += first
        piece.source_index = rows[piece.source_index]
        pieces.append(piece)
    colored = np.concatenate([piece.images for piece in pieces])
    target = np.concatenate([piece.target for piece in pieces])
    data = colored.reshape(len(colored), -1)
    if return_X_y:
        return data, target
    return Bunch(
        images=colored,
        data=data,
        target=target,
        **{key: np.concatenate([piece[key] for piece in pieces])
           for key in ("groups", "color", "digits", "source_index")},
        environments=environments,
        DESCR=_describe("colored_mnist.rst"),
    )
