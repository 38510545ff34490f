"""Dominoes: an image of one labeled set stacked on an image of another.

The top block is the simple one (S), the bottom block the complex one
(S^c). :func:`make_dominoes` composes any two labeled image sets;
:func:`fetch_dominoes` composes the sources of :mod:`._sources`.
"""

import sys
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.utils import Bunch, check_random_state
from tqdm.auto import tqdm

from ..utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_params,
)
from ..utils._random import draw_seed
from ._sources import FETCH_CONSTRAINTS, SOURCES, SPLITS, load_source
from ._synthetic import _describe

# Rows assembled at once, to bound the temporaries.
_CHUNK = 1024
# The reserve of a training source (``holdout``) is drawn with this fixed
# seed, so that it is the same images whatever the random_state of a draw.
_HOLDOUT_SEED = 0


@dataclass(frozen=True)
class _Naming:
    """How a dominoes function names its parameters in errors and output."""

    func: str
    top_classes: str = "top_classes"
    bottom_classes: str = "bottom_classes"
    title: str = "dominoes"


@dataclass(frozen=True)
class _ImageSet:
    """One side's images, channels first, with their labels and class names."""

    images: np.ndarray
    labels: np.ndarray
    scale: np.float32
    title: str
    class_names: tuple = None

    @property
    def shape(self):
        return self.images.shape[1:]

    def name(self, group):
        if self.class_names is None:
            return ",".join(str(c) for c in group)
        return ",".join(self.class_names[c] for c in group)


def _check_image_set(pair, param, func):
    """``(images, labels)`` as an :class:`_ImageSet`; clear errors otherwise."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise InvalidParameterError(
            f"The {param!r} parameter of {func} must be a pair (images, labels). "
            f"Got {type(pair).__name__} instead."
        )
    images, labels = np.asarray(pair[0]), np.asarray(pair[1])
    if images.ndim == 3:
        images = images[:, None]
    if images.ndim != 4 or 0 in images.shape:
        raise ValueError(
            f"The {param} images must be of shape (n, C, H, W), or (n, H, W) for "
            f"grayscale, with n >= 1; got shape {np.shape(pair[0])}."
        )
    if images.dtype == np.uint8:
        scale = np.float32(255)
    elif images.dtype.kind == "f":
        finite = np.isfinite(images)
        if not finite.all() or images.min() < 0 or images.max() > 1:
            values = images[finite]
            found = (f"values in [{values.min():.3g}, {values.max():.3g}]" if values.size
                     else "no finite value")
            raise ValueError(
                f"The {param} images are floats, so they must lie in [0, 1]; got "
                f"{found}{'' if finite.all() else ' and NaN or infinity'}. "
                "Divide uint8 pixels by 255, or pass them as uint8."
            )
        scale = np.float32(1)
    else:
        raise ValueError(
            f"The {param} images must be uint8 in [0, 255] or floats in [0, 1]; got "
            f"dtype {images.dtype}."
        )
    if labels.shape != (len(images),) or labels.dtype.kind not in "iu":
        raise ValueError(
            f"The {param} labels must be one integer per image, of shape "
            f"({len(images)},); got {labels.dtype} of shape {labels.shape}."
        )
    return _ImageSet(images, labels.astype(np.int64, copy=False), scale, param)


def _source_set(key, images=None, labels=None):
    """A source's images as an :class:`_ImageSet`; without arrays, its classes only."""
    source = SOURCES[key]
    if images is not None and images.ndim == 3:
        images = images[:, None]
    return _ImageSet(images, labels, np.float32(255), source.title, source.class_names)


@dataclass(frozen=True)
class _Layout:
    """Where each side goes in the stacked image.

    The narrower side is zero-padded by the same margin on its four sides,
    as the paper pads MNIST (28 x 28 to 32 x 32; one pixel more on the right
    and bottom when the difference is odd), and a grayscale side is
    replicated on the other side's channels.
    """

    image_shape: tuple
    top: tuple
    bottom: tuple
    top_height: int

    @classmethod
    def of(cls, top, bottom):
        (top_c, top_h, top_w), (bottom_c, bottom_h, bottom_w) = top.shape, bottom.shape
        if top_c != bottom_c and 1 not in (top_c, bottom_c):
            raise ValueError(
                f"The top images have {top_c} channels and the bottom images "
                f"{bottom_c}: give both the same number of channels, or grayscale "
                "images (one channel) on one side."
            )
        width = max(top_w, bottom_w)
        places, row = [], 0
        for height, side_width in ((top_h, top_w), (bottom_h, bottom_w)):
            margin = width - side_width
            start = row + margin // 2
            places.append((start, start + height, margin // 2, margin // 2 + side_width))
            row += height + margin
        return cls((max(top_c, bottom_c), row, width), *places,
                   top_height=top_h + width - top_w)

    def top_block(self):
        """Flat indices of the top block: its rows of every channel."""
        channels, height, width = self.image_shape
        row = np.arange(channels * height * width) // width % height
        return np.flatnonzero(row < self.top_height)


def _check_classes(classes, param, func, side):
    """``classes`` as one sorted tuple of class indices per label."""
    names = side.class_names
    known = (range(len(names)) if names is not None
             else set(np.unique(side.labels).tolist()))
    groups = []
    for entry in classes:
        members = entry if isinstance(entry, (tuple, list)) else (entry,)
        if not members:
            raise InvalidParameterError(
                f"The {param!r} parameter of {func} must give every label "
                f"at least one class. Got {classes!r} instead."
            )
        group = set()
        for member in members:
            if names is not None and isinstance(member, str) and member in names:
                group.add(names.index(member))
            elif (isinstance(member, Integral) and not isinstance(member, bool)
                    and int(member) in known):
                group.add(int(member))
            elif names is not None:
                raise InvalidParameterError(
                    f"The {param!r} parameter of {func} must hold "
                    f"{side.title} classes: ints 0-{len(names) - 1} or names "
                    f"{list(names)}. Got the unknown class {member!r} in "
                    f"{classes!r}."
                )
            else:
                raise InvalidParameterError(
                    f"The {param!r} parameter of {func} must hold labels of the "
                    f"{side.title} images: {sorted(known)}. Got the unknown class "
                    f"{member!r} in {classes!r}."
                )
        groups.append(tuple(sorted(group)))
    if len(groups) < 2:
        raise InvalidParameterError(
            f"The {param!r} parameter of {func} must give classes for at "
            f"least 2 labels. Got {classes!r} instead."
        )
    owner = {}
    for label, group in enumerate(groups):
        for member in group:
            if member in owner:
                raise InvalidParameterError(
                    f"The {param!r} parameter of {func} gives the "
                    f"{side.title} class {side.name((member,))!r} to both label "
                    f"{owner[member]} and label {label}: the labels must use "
                    f"different classes. Got {classes!r}."
                )
            owner[member] = label
    return groups


def _check_same_number_of_labels(top_groups, bottom_groups, top_classes, bottom_classes,
                                 naming):
    if len(top_groups) != len(bottom_groups):
        raise InvalidParameterError(
            f"The {naming.top_classes!r} and {naming.bottom_classes!r} parameters of "
            f"{naming.func} must give classes for the same number of labels. Got "
            f"{top_classes!r} and {bottom_classes!r}."
        )


def _pools(side, groups, rows, rng, split):
    """A shuffled array of the images (among ``rows``) of every class group."""
    pools = []
    for group in groups:
        pool = rng.permutation(rows[np.isin(side.labels[rows], group)])
        if pool.size == 0:
            raise ValueError(
                f"The {split} set of {side.title} has no image of class(es) "
                f"{[side.name((c,)) for c in group]}."
            )
        pools.append(pool)
    return pools


def _label_sizes(n_samples, n_labels, top_pools, bottom_pools, reuse_top, split, naming):
    """Rows of every label: as many as the pools allow, or ``n_samples`` split evenly."""
    if reuse_top:
        largest = min(len(pool) for pool in bottom_pools)
        default = [len(pool) for pool in bottom_pools]
    else:
        largest = min(len(pool) for pool in top_pools + bottom_pools)
        default = [largest] * n_labels
    if n_samples is None:
        return np.array(default)
    if n_samples > largest * n_labels:
        raise ValueError(
            f"n_samples={n_samples} is more than the {split} images of {naming.func} "
            f"allow: at most {largest * n_labels} ({largest} per label, the size of "
            "the smallest class group)."
        )
    return np.full(n_labels, n_samples // n_labels) + (np.arange(n_labels) < n_samples % n_labels)


def _top_groups_per_label(sizes, correlation):
    """``counts[k, g]``: rows of label ``k`` whose top image is of group ``g``.

    A share ``correlation`` of every label agrees; the others go to the
    other groups evenly, each label starting with the next group, so that
    every top group is used as often as there are rows per label.
    """
    n_labels = len(sizes)
    counts = np.zeros((n_labels, n_labels), dtype=np.int64)
    for label, size in enumerate(sizes):
        agree = int(round(correlation * size))
        counts[label, label] = agree
        others = [(label + step) % n_labels for step in range(1, n_labels)]
        shares = np.array_split(np.arange(size - agree), n_labels - 1)
        for group, share in zip(others, shares):
            counts[label, group] = len(share)
    return counts


def _pair(top, bottom, top_groups, bottom_groups, *, correlation, n_samples, reuse_top,
          randomize, rng, top_rows, bottom_rows, split, naming):
    """Source indices of the top and bottom image of every row, its label and group.

    DESIGN section 3: every class group is shuffled, all are truncated to the
    smallest, the i-th images of a label are paired, the rows shuffled.
    """
    top_pools = _pools(top, top_groups, top_rows, rng, split)
    bottom_pools = _pools(bottom, bottom_groups, bottom_rows, rng, split)
    n_labels = len(top_groups)
    sizes = _label_sizes(n_samples, n_labels, top_pools, bottom_pools, reuse_top, split,
                         naming)
    counts = _top_groups_per_label(sizes, correlation)
    used = np.zeros(n_labels, dtype=np.int64)
    top_index, top_group = [], []
    for label in range(n_labels):
        for group in [label] + [g for g in range(n_labels) if g != label]:
            taken = np.arange(used[group], used[group] + counts[label, group])
            pool = top_pools[group]
            top_index.append(pool[taken % len(pool)])
            top_group.append(np.full(len(taken), group, dtype=np.int64))
            used[group] += len(taken)
    top_index, top_group = np.concatenate(top_index), np.concatenate(top_group)
    bottom_index = np.concatenate([pool[:size] for pool, size in zip(bottom_pools, sizes)])
    target = np.repeat(np.arange(n_labels, dtype=np.int64), sizes)
    order = rng.permutation(len(target))
    top_index, top_group = top_index[order], top_group[order]
    bottom_index, target = bottom_index[order], target[order]
    if randomize == "top":
        shuffled = rng.permutation(len(target))
        top_index, top_group = top_index[shuffled], top_group[shuffled]
    elif randomize == "bottom":
        bottom_index = bottom_index[rng.permutation(len(target))]
    return top_index, bottom_index, target, target * n_labels + top_group


def _assemble(out, top, bottom, top_index, bottom_index, layout, bar):
    """Fill ``out`` (zeros) with the top images over the bottom ones, in [0, 1]."""
    for start in range(0, len(out), _CHUNK):
        rows = slice(start, start + _CHUNK)
        block = out[rows]
        for side, index, (row0, row1, col0, col1) in (
            (top, top_index, layout.top), (bottom, bottom_index, layout.bottom)
        ):
            np.divide(side.images[index[rows]], side.scale,
                      out=block[:, :, row0:row1, col0:col1], dtype=np.float32)
        bar.update(len(block))


def _target_names(top, bottom, top_groups, bottom_groups):
    return np.array([f"{top.name(t)} / {bottom.name(b)}"
                     for t, b in zip(top_groups, bottom_groups)])


def _compose(top, bottom, draws, *, top_groups, bottom_groups, layout, verbose, naming,
             descr, return_X_y):
    """The dataset Bunch of the pairings ``draws``, stacked in their order.

    Every draw is ``(top_offset, bottom_offset, pairing)``; the offsets
    number the source images of a later split after those of an earlier one.
    """
    n_samples = sum(len(pairing[2]) for _, _, pairing in draws)
    images = np.zeros((n_samples, *layout.image_shape), dtype=np.float32)
    with tqdm(total=n_samples, desc=f"Building {naming.title}", unit="image",
              disable=not verbose, file=sys.stderr) as bar:
        start = 0
        for top_side, bottom_side, pairing in draws:
            stop = start + len(pairing[2])
            _assemble(images[start:stop], top_side, bottom_side, pairing[0], pairing[1],
                      layout, bar)
            start = stop
    data = images.reshape(n_samples, -1)
    target = np.concatenate([pairing[2] for _, _, pairing in draws])
    if return_X_y:
        return data, target
    simple = layout.top_block()
    top_offsets = np.cumsum([0] + [len(t.labels) for t, _, _ in draws[:-1]])
    bottom_offsets = np.cumsum([0] + [len(b.labels) for _, b, _ in draws[:-1]])
    return Bunch(
        data=data,
        images=images,
        target=target,
        target_names=_target_names(top, bottom, top_groups, bottom_groups),
        groups=np.concatenate([pairing[3] for _, _, pairing in draws]),
        simple_features=simple,
        complex_features=np.setdiff1d(np.arange(data.shape[1]), simple),
        rotation=None,
        top_index=np.concatenate([p[0] + o for (_, _, p), o in zip(draws, top_offsets)]),
        bottom_index=np.concatenate(
            [p[1] + o for (_, _, p), o in zip(draws, bottom_offsets)]),
        top_target=np.concatenate([t.labels[p[0]] for t, _, p in draws]),
        bottom_target=np.concatenate([b.labels[p[1]] for _, b, p in draws]),
        DESCR=_describe(descr),
    )


_DOMINOES = _Naming("make_dominoes")
_COMMON_PARAMS = {
    "top_classes": [tuple, list],
    "bottom_classes": [tuple, list],
    "correlation": [Interval(Real, 0, 1, closed="both")],
    "n_samples": [Interval(Integral, 1, None, closed="left"), None],
    "randomize": [StrOptions({"top", "bottom"}), None],
    "reuse_top": ["boolean"],
}


@validate_params(
    {"top": "no_validation", "bottom": "no_validation", **_COMMON_PARAMS,
     "random_state": ["random_state"], "return_X_y": ["boolean"], "verbose": ["verbose"]},
    prefer_skip_nested_validation=True,
)
def make_dominoes(top, bottom, *, top_classes=(0, 1), bottom_classes=(1, 9),
                  correlation=1.0, n_samples=None, randomize=None, reuse_top=False,
                  random_state=None, return_X_y=False, verbose=0):
    """Stack an image of one labeled set on an image of another (dominoes).

    Row ``i`` of label ``k`` stacks a ``top`` image of the classes
    ``top_classes[k]`` (with probability ``correlation``; otherwise of
    another label's top classes) on a ``bottom`` image of the classes
    ``bottom_classes[k]``. The top block is the simple one (S), the bottom
    block the complex one (S^c), as MNIST and CIFAR-10 in MNIST-CIFAR.

    Both sides are brought to a common shape the way the paper treats MNIST:
    the narrower side is zero-padded by the same margin on its four sides
    (one pixel more on the right and bottom when the difference in width is
    odd) and a grayscale side is replicated on the other side's channels. Values are
    divided by 255 for uint8 images and kept for float images.

    Pairs are built as in the paper: the images of every class group are
    shuffled, all groups are truncated to the size of the smallest (or
    ``n_samples`` rows are split evenly over the labels), the i-th images of
    a label are paired, and the rows are shuffled.

    Read more in the :ref:`User Guide <dominoes>`.

    Parameters
    ----------
    top, bottom : tuple of (array-like, array-like)
        ``(images, labels)`` of each side: images of shape ``(n, C, H, W)``,
        or ``(n, H, W)`` for grayscale, uint8 in [0, 255] or floats in
        [0, 1]; labels one integer class per image. The two sides may have
        different numbers of images, heights and widths.
    top_classes : sequence of int or of tuple of int, default=(0, 1)
        The top classes of each label: entry ``k`` is a class, or a tuple of
        classes, of label ``k``. A class may go to one label only.
    bottom_classes : sequence of int or of tuple of int, default=(1, 9)
        The bottom classes of each label, as for ``top_classes``; as many
        labels as ``top_classes``.
    correlation : float in [0, 1], default=1.0
        The share of every label whose top image is of that label's top
        classes; the others are spread evenly over the other labels' top
        classes. 1.0 makes both blocks fully predictive (the paper's
        datasets); with two labels 0.5 makes the top block independent of
        the label; in between, the rows that disagree are minority groups.
        The bottom block always agrees with the label.
    n_samples : int, default=None
        Number of rows, split evenly over the labels. None uses as many as
        the smallest class group allows; asking for more is an error that
        gives the maximum.
    randomize : {'top', 'bottom'} or None, default=None
        Pair every row with the top (or bottom) image of another row drawn
        at random, after pairing: that block no longer predicts the label
        (the paper's randomized datasets).
    reuse_top : bool, default=False
        Use every bottom image of the chosen classes, cycling through the
        shuffled top images of each group when there are fewer of them.
    random_state : int, RandomState instance or None, default=None
        Determines the pairing and the order of the rows.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    verbose : int, default=0
        0 is silent; otherwise a progress bar while building.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, C * H * W), float32
            The flattened images; a view of ``images``.
        images : ndarray of shape (n_samples, C, H, W), float32
            The stacked images, channels first, in [0, 1].
        target : ndarray of shape (n_samples,)
            The labels 0, 1, ...
        target_names : ndarray of str
            'top classes / bottom classes' of each label.
        groups : ndarray of shape (n_samples,)
            ``label * n_labels + g`` where ``g`` is the label whose top
            classes the row's top image belongs to: the groups where
            ``g == label`` are the majority ones.
        simple_features, complex_features : ndarray of int
            Indices in ``data`` of the top block S (its rows, padding
            included, on every channel) and of the bottom block S^c.
        rotation : None
            The data is not rotated; with ``simple_features`` this lets the
            inspection tools take the Bunch itself.
        top_index, bottom_index : ndarray of shape (n_samples,)
            The row of ``top`` and of ``bottom`` each image comes from.
        top_target, bottom_target : ndarray of shape (n_samples,)
            The class of the top and of the bottom image.
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True

    See Also
    --------
    fetch_dominoes : Dominoes of MNIST, Fashion-MNIST, CIFAR-10 or SVHN.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_sb.datasets import make_dominoes
    >>> rng = np.random.default_rng(0)
    >>> digits = rng.integers(0, 256, (100, 28, 28), dtype=np.uint8), np.arange(100) % 2
    >>> photos = rng.random((80, 3, 32, 32)), np.arange(80) % 2
    >>> data = make_dominoes(digits, photos, top_classes=(0, 1),
    ...                      bottom_classes=(0, 1), random_state=0)
    >>> data.images.shape
    (80, 3, 64, 32)
    >>> half = make_dominoes(digits, photos, top_classes=(0, 1), bottom_classes=(0, 1),
    ...                      correlation=0.5, random_state=0)
    >>> float(np.mean(half.top_target == half.target))
    0.5
    """
    top = _check_image_set(top, "top", _DOMINOES.func)
    bottom = _check_image_set(bottom, "bottom", _DOMINOES.func)
    top_groups = _check_classes(top_classes, "top_classes", _DOMINOES.func, top)
    bottom_groups = _check_classes(bottom_classes, "bottom_classes", _DOMINOES.func, bottom)
    _check_same_number_of_labels(top_groups, bottom_groups, top_classes, bottom_classes,
                                 _DOMINOES)
    layout = _Layout.of(top, bottom)
    pairing = _pair(
        top, bottom, top_groups, bottom_groups, correlation=correlation,
        n_samples=n_samples, reuse_top=reuse_top, randomize=randomize,
        rng=check_random_state(random_state), top_rows=np.arange(len(top.labels)),
        bottom_rows=np.arange(len(bottom.labels)), split="given", naming=_DOMINOES,
    )
    return _compose(top, bottom, [(top, bottom, pairing)], top_groups=top_groups,
                    bottom_groups=bottom_groups, layout=layout, verbose=verbose,
                    naming=_DOMINOES, descr="dominoes.rst", return_X_y=return_X_y)


def _reserved(labels, holdout):
    """Which training images the ``holdout`` reserve holds: a fixed share of every class."""
    order = np.random.RandomState(_HOLDOUT_SEED).permutation(len(labels))
    reserved = np.zeros(len(labels), dtype=bool)
    for label in np.unique(labels):
        members = order[labels[order] == label]
        reserved[members[: int(round(holdout * len(members)))]] = True
    return reserved


def fetch_named(top, bottom, *, subset, top_classes, bottom_classes, correlation, holdout,
          n_samples, randomize, reuse_top, data_home, download_if_missing, random_state,
          return_X_y, n_retries, delay, verbose, naming, descr):
    """:func:`fetch_dominoes` with the parameter names and description of ``naming``."""
    if subset == "holdout" and holdout == 0:
        raise InvalidParameterError(
            f"subset='holdout' draws from the images reserved by the 'holdout' "
            f"parameter of {naming.func}, which is 0. Give holdout > 0 (e.g. 0.2), "
            "the same value as for the subset='train' draw it must not overlap."
        )
    top_groups = _check_classes(top_classes, naming.top_classes, naming.func,
                                _source_set(top))
    bottom_groups = _check_classes(bottom_classes, naming.bottom_classes, naming.func,
                                   _source_set(bottom))
    _check_same_number_of_labels(top_groups, bottom_groups, top_classes, bottom_classes,
                                 naming)
    splits = {"all": SPLITS, "test": ("test",)}.get(subset, ("train",))
    rng = check_random_state(random_state)
    seeds = dict(zip(SPLITS, draw_seed(rng, size=len(SPLITS))))
    arrays = {
        key: load_source(key, splits, data_home=data_home,
                         download_if_missing=download_if_missing, n_retries=n_retries,
                         delay=delay, verbose=verbose)
        for key in dict.fromkeys((top, bottom))
    }
    draws = []
    for split in splits:
        top_side = _source_set(top, *arrays[top][split])
        bottom_side = _source_set(bottom, *arrays[bottom][split])
        rows = []
        for side in (top_side, bottom_side):
            if split == "train" and holdout > 0:
                reserved = _reserved(side.labels, holdout)
                rows.append(np.flatnonzero(reserved if subset == "holdout" else ~reserved))
            else:
                rows.append(np.arange(len(side.labels)))
        pairing = _pair(
            top_side, bottom_side, top_groups, bottom_groups, correlation=correlation,
            n_samples=n_samples, reuse_top=reuse_top, randomize=randomize,
            rng=np.random.RandomState(seeds[split]), top_rows=rows[0], bottom_rows=rows[1],
            split="holdout" if subset == "holdout" else split, naming=naming,
        )
        draws.append((top_side, bottom_side, pairing))
    layout = _Layout.of(draws[0][0], draws[0][1])
    return _compose(draws[0][0], draws[0][1], draws, top_groups=top_groups,
                    bottom_groups=bottom_groups, layout=layout, verbose=verbose,
                    naming=naming, descr=descr, return_X_y=return_X_y)


_FETCH_PARAMS = {
    "subset": [StrOptions({"train", "test", "all", "holdout"})],
    "holdout": [Interval(Real, 0, 1, closed="left")],
    **FETCH_CONSTRAINTS,
}


@validate_params(
    {"top": [StrOptions(set(SOURCES))], "bottom": [StrOptions(set(SOURCES))],
     **_COMMON_PARAMS, **_FETCH_PARAMS},
    prefer_skip_nested_validation=True,
)
def fetch_dominoes(top="mnist", bottom="cifar10", *, subset="train", top_classes=(0, 1),
                   bottom_classes=(1, 9), correlation=1.0, holdout=0.0, n_samples=None,
                   randomize=None, reuse_top=False, data_home=None,
                   download_if_missing=True, random_state=None, return_X_y=False,
                   n_retries=3, delay=1.0, verbose=1):
    """Load dominoes of two image sources (classification), downloading them if needed.

    :func:`make_dominoes` on MNIST, Fashion-MNIST, CIFAR-10 or SVHN, read
    with torchvision (its addresses and checksums) and cached, decoded, in
    ``data_home/image_sources``. The defaults are MNIST-CIFAR
    (:func:`fetch_mnist_cifar`: digits 0 and 1 on automobiles and trucks);
    ``fetch_dominoes('mnist', 'fashion_mnist', bottom_classes=(4, 3))`` is
    the M/F-Dominoes of D-BAT (digits 0 and 1 on coats and dresses).

    Training draws come from the sources' training images, test draws from
    their test images. ``holdout`` reserves a fixed share of every class of
    every training source, never used by ``subset='train'``; ``subset=
    'holdout'`` draws from it, with its own classes and correlation: with
    ``correlation=0.5`` the unlabeled decorrelated set of D-BAT and DivDis,
    with other ``bottom_classes`` their "other classes" variant, with its
    labels a decorrelated validation set.

    Read more in the :ref:`User Guide <dominoes>`.

    Parameters
    ----------
    top, bottom : {'mnist', 'fashion_mnist', 'cifar10', 'svhn'}
        The source of the top (simple) and of the bottom (complex) block.
    subset : {'train', 'test', 'all', 'holdout'}, default='train'
        Pairs of training images, of test images, both (training first), or
        of the training images reserved by ``holdout``.
    top_classes, bottom_classes : sequence of int, str or tuple
        The classes of each label on each side, as indices or as the
        source's names (CIFAR-10 'automobile', Fashion-MNIST 'coat', ...;
        MNIST and SVHN '0' to '9'); see :func:`make_dominoes`. Defaults
        (0, 1) and (1, 9).
    correlation : float in [0, 1], default=1.0
        The share of every label whose top image agrees with it; see
        :func:`make_dominoes`.
    holdout : float in [0, 1), default=0.0
        Share of every class of every training source reserved for
        ``subset='holdout'``. The reserve is fixed (the same images whatever
        ``random_state``), so a ``'train'`` draw and a ``'holdout'`` draw of
        the same ``holdout`` never share an image.
    n_samples : int, default=None
        Rows of every split drawn; None uses as many as the smallest class
        group allows. More is an error giving the maximum.
    randomize : {'top', 'bottom'} or None, default=None
        Pair every row with the top (or bottom) image of a random other row:
        the paper's S-randomized (or S^c-randomized) datasets.
    reuse_top : bool, default=False
        Use every bottom image of the chosen classes, cycling through the
        top images; see :func:`make_dominoes`.
    data_home : str or path-like, default=None
        Folder of the cache. By default all scikit-learn data is stored in
        '~/scikit_learn_data' (or the ``SCIKIT_LEARN_DATA`` environment
        variable). Whoever can write this folder decides what is read: see
        :ref:`cache-trust`.
    download_if_missing : bool, default=True
        If False, raise an OSError when a source is not in the cache instead
        of downloading it.
    random_state : int, RandomState instance or None, default=None
        Determines the pairing and the order of the rows. With an int,
        ``subset='all'`` is ``'train'`` followed by ``'test'``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    n_retries : int, default=3
        Number of retries when a download fails.
    delay : float, default=1.0
        Seconds between retries.
    verbose : int, default=1
        0 is silent; otherwise progress bars while downloading and building.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        The attributes of :func:`make_dominoes`; ``top_index`` and
        ``bottom_index`` number the images in torchvision's order of each
        source's split (with ``subset='all'``, test images after the
        training ones; with ``'holdout'``, in the training split).

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        When a source is not cached and ``download_if_missing=False``, or
        when its download fails after the retries (a checksum mismatch
        included). Nothing incomplete is left in the cache.

    See Also
    --------
    make_dominoes : Dominoes of any two labeled image sets.

    Examples
    --------
    >>> from sklearn_sb.datasets import fetch_dominoes
    >>> mf = fetch_dominoes("mnist", "fashion_mnist", bottom_classes=("coat", "dress"),
    ...                     holdout=0.2, random_state=0)  # doctest: +SKIP
    >>> mf.images.shape[1:]  # doctest: +SKIP
    (1, 56, 28)
    >>> unlabeled = fetch_dominoes("mnist", "fashion_mnist", subset="holdout",
    ...                            bottom_classes=("coat", "dress"), correlation=0.5,
    ...                            holdout=0.2, random_state=0)  # doctest: +SKIP
    """
    return fetch_named(
        top, bottom, subset=subset, top_classes=top_classes, bottom_classes=bottom_classes,
        correlation=correlation, holdout=holdout, n_samples=n_samples, randomize=randomize,
        reuse_top=reuse_top, data_home=data_home, download_if_missing=download_if_missing,
        random_state=random_state, return_X_y=return_X_y, n_retries=n_retries, delay=delay,
        verbose=verbose, naming=_Naming("fetch_dominoes", title=(
            f"{SOURCES[top].title}/{SOURCES[bottom].title} dominoes")),
        descr="dominoes.rst",
    )
