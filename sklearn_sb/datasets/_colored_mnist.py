"""Colored MNIST (Arjovsky et al., 2019): a colour that predicts the label, by environment."""

from numbers import Real

import numpy as np
from sklearn.utils import Bunch, check_random_state

from ..utils._param_validation import Interval, InvalidParameterError, validate_params
from ._synthetic import _describe

_FUNC_NAME = "make_colored_mnist"


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

    Read more in the :ref:`User Guide <datasets>`.

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
    environments = tuple(environments)
    if not environments or any(isinstance(e, bool) or not isinstance(e, Real)
                               or not 0 <= e <= 1 for e in environments):
        raise InvalidParameterError(
            f"The 'environments' parameter of {_FUNC_NAME} must be a non-empty sequence of "
            f"probabilities in [0, 1]. Got {environments!r} instead."
        )
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
