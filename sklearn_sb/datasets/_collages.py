"""Collages (Teney et al., CVPR 2022): four blocks from four sources, tiled 2 x 2."""

from numbers import Integral

import numpy as np
from sklearn.utils import Bunch, check_random_state

from ..utils._param_validation import Interval, Options, StrOptions, validate_params
from ._sources import FETCH_CONSTRAINTS, SOURCES, load_source
from ._synthetic import _describe

# Source, its classes of label 0 and label 1, and the block's place in the
# 2 x 2 tiling (row, column), as in the authors' generateCollages.m. Place
# p of ``block_position`` is row p % 2, column p // 2: the order of BLOCKS.
BLOCKS = (
    ("mnist", (0, 1), (0, 0)),
    ("cifar10", (1, 9), (1, 0)),
    ("fashion_mnist", (2, 4), (0, 1)),
    ("svhn", (0, 1), (1, 1)),
)
_N_SAMPLES = {"train": 50 * 1024, "test": 10 * 1024}
# The authors keep MNIST's first 50,000 training images.
_MNIST_TRAIN_IMAGES = 50_000
_SIDE = 32


def _grayscale_blocks(images, step):
    """32 x 32 grayscale float32 blocks in [0, 1], every ``step``-th pixel kept.

    Colour images are averaged over their channels; 28 x 28 ones are
    zero-padded by 2 pixels on every side, as in MNIST-CIFAR.
    """
    pixels = images.astype(np.float32) / np.float32(255)
    if pixels.ndim == 4:
        pixels = pixels.mean(axis=1)
    margin = (_SIDE - pixels.shape[-1]) // 2
    if margin:
        pixels = np.pad(pixels, ((0, 0), (margin, margin), (margin, margin)))
    return np.ascontiguousarray(pixels[:, ::step, ::step])


def _random_elements(pool, size, rng):
    """``size`` elements of ``pool``: without replacement when it has enough."""
    if size <= len(pool):
        return rng.permutation(pool)[:size]
    return pool[rng.randint(len(pool), size=size)]


def _block_indices(side):
    """Flat indices of every source's block in a ``(1, 2 side, 2 side)`` collage."""
    grid = np.arange(4 * side**2).reshape(2 * side, 2 * side)
    return {
        key: np.sort(grid[row * side:(row + 1) * side, col * side:(col + 1) * side].ravel())
        for key, _, (row, col) in BLOCKS
    }


@validate_params(
    {
        "subset": [StrOptions({"train", "test"})],
        "predictive": [StrOptions({"all", *(key for key, _, _ in BLOCKS)})],
        "n_samples": [Interval(Integral, 2, None, closed="left"), None],
        "downsample": [Options(Integral, {1, 2, 4, 8, 16})],
        "random_block_order": ["boolean"],
        **FETCH_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def fetch_collages(*, subset="train", predictive="all", n_samples=None, downsample=4,
                   random_block_order=False, data_home=None, download_if_missing=True,
                   random_state=None, return_X_y=False, n_retries=3, delay=1.0, verbose=1):
    """Load the Collages dataset (classification), downloading its sources if needed.

    Every image tiles four grayscale blocks, 2 x 2: an MNIST digit (0 or 1)
    top left, a CIFAR-10 image (automobile or truck) bottom left, a
    Fashion-MNIST image (pullover or coat) top right and an SVHN digit
    (0 or 1) bottom right. Label 0 takes the first class of every source,
    label 1 the second. In the training set every block predicts the label;
    in a test set made with ``predictive=`` one source, only that block
    does and the others show an image of either class at random. The MNIST
    block is the simplest; networks trained on the collages rely on it
    alone.

    The construction follows the authors' script (Teney et al., repository
    ``dteney/collages-dataset``): colour images averaged over their
    channels, 28 x 28 images zero-padded to 32 x 32, values in [0, 1];
    for every label and block, images drawn at random without replacement,
    or with replacement when the source has fewer; nearest-neighbour
    downsampling that keeps every ``downsample``-th pixel (4, the published
    16 x 16 collages, by default); 51,200 training and 10,240 test images,
    half of each label. Training collages use the sources' training images
    (MNIST's first 50,000 only, as in the script), test collages their test
    images. The published PNG files are quantized to 8 bits; these images
    are not.

    Read more in the :ref:`User Guide <collages>`.

    Parameters
    ----------
    subset : {'train', 'test'}, default='train'
        Collages of the sources' training or test images.
    predictive : {'all', 'mnist', 'cifar10', 'fashion_mnist', 'svhn'}, default='all'
        The block that carries the label; 'all' makes every block predictive
        (the published training and validation sets). A single block with
        ``subset='train'`` gives the authors' training sets "for upper
        bounds only", with ``subset='test'`` their four test sets.
    n_samples : int, default=None
        Number of collages, half of each label (label 1 takes the odd one).
        None gives the published sizes: 51,200 for training, 10,240 for test.
    downsample : {1, 2, 4, 8, 16}, default=4
        Keep every ``downsample``-th pixel of every row and column: collages
        of ``64 / downsample`` pixels a side.
    random_block_order : bool, default=False
        Place the four blocks in a random order in every collage (the
        authors' shuffled variant). The blocks then have no fixed columns,
        so the Bunch gives no ``simple_features``.
    data_home : str or path-like, default=None
        Folder of the cache; see :func:`fetch_dominoes`.
    download_if_missing : bool, default=True
        If False, raise an OSError when a source is not in the cache instead
        of downloading it.
    random_state : int, RandomState instance or None, default=None
        Determines the images drawn, the order of the rows and of the blocks.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    n_retries : int, default=3
        Number of retries when a download fails.
    delay : float, default=1.0
        Seconds between retries.
    verbose : int, default=1
        0 is silent; otherwise progress bars while downloading.

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, (64 / downsample) ** 2), float32
            The flattened collages; a view of ``images``.
        images : ndarray of shape (n_samples, 1, 64 / downsample, 64 / downsample)
            The collages, in [0, 1].
        target : ndarray of shape (n_samples,)
            The labels 0 and 1.
        block_names : tuple of str
            The sources, in the order of the columns below.
        block_target : ndarray of shape (n_samples, 4)
            The class (0 or 1, the label it predicts) shown in every block.
        block_index : ndarray of shape (n_samples, 4)
            The source image of every block, in torchvision's order of the
            split.
        block_position : ndarray of shape (n_samples, 4)
            The place of every block: 0 top left, 1 bottom left, 2 top
            right, 3 bottom right.
        blocks : dict of str to ndarray of int
            Indices in ``data`` of every source's block (fixed order only).
        simple_features, complex_features : ndarray of int
            The MNIST block S and the three others S^c (fixed order only).
        rotation : None
            The data is not rotated (fixed order only).
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        When a source is not cached and ``download_if_missing=False``, or
        when its download fails after the retries.

    Examples
    --------
    >>> from sklearn_sb.datasets import fetch_collages
    >>> train = fetch_collages(random_state=0)  # doctest: +SKIP
    >>> train.images.shape  # doctest: +SKIP
    (51200, 1, 16, 16)
    >>> cifar_test = fetch_collages(subset="test", predictive="cifar10")  # doctest: +SKIP
    """
    step = downsample
    rng = check_random_state(random_state)
    n_samples = _N_SAMPLES[subset] if n_samples is None else n_samples
    sizes = (n_samples // 2, n_samples - n_samples // 2)
    target = np.repeat(np.arange(2, dtype=np.int64), sizes)
    block_target = np.empty((n_samples, len(BLOCKS)), dtype=np.int64)
    block_index = np.empty((n_samples, len(BLOCKS)), dtype=np.int64)
    pixels = []
    for column, (key, classes, _) in enumerate(BLOCKS):
        images, labels = load_source(
            key, (subset,), data_home=data_home, download_if_missing=download_if_missing,
            n_retries=n_retries, delay=delay, verbose=verbose,
        )[subset]
        if key == "mnist" and subset == "train":
            labels = labels[:_MNIST_TRAIN_IMAGES]
        pools = [np.flatnonzero(labels == c) for c in classes]
        for pool, c in zip(pools, classes):
            if pool.size == 0:
                raise ValueError(
                    f"The {subset} set of {SOURCES[key].title} has no image of class "
                    f"{SOURCES[key].class_names[c]!r}."
                )
        if predictive in ("all", key):
            drawn = np.concatenate([_random_elements(pool, size, rng)
                                    for pool, size in zip(pools, sizes)])
        else:
            drawn = _random_elements(np.concatenate(pools), n_samples, rng)
        block_index[:, column] = drawn
        block_target[:, column] = labels[drawn] == classes[1]
        # Only the images drawn are converted, each once.
        used, where = np.unique(drawn, return_inverse=True)
        pixels.append(_grayscale_blocks(images[used], step)[where])

    if random_block_order:
        position = np.argsort(rng.random_sample((n_samples, len(BLOCKS))), axis=1)
    else:
        position = np.tile(np.arange(len(BLOCKS)), (n_samples, 1))
    side = _SIDE // step
    collages = np.zeros((n_samples, 1, 2 * side, 2 * side), dtype=np.float32)
    for column, block in enumerate(pixels):
        for place in range(len(BLOCKS)):
            rows = position[:, column] == place
            top, left = place % 2 * side, place // 2 * side
            collages[rows, 0, top:top + side, left:left + side] = block[rows]

    order = rng.permutation(n_samples)
    collages, target = collages[order], target[order]
    data = collages.reshape(n_samples, -1)
    if return_X_y:
        return data, target
    dataset = Bunch(
        data=data,
        images=collages,
        target=target,
        block_names=tuple(key for key, _, _ in BLOCKS),
        block_target=block_target[order],
        block_index=block_index[order],
        block_position=position[order],
        DESCR=_describe("collages.rst"),
    )
    if not random_block_order:
        dataset.blocks = _block_indices(side)
        dataset.simple_features = dataset.blocks["mnist"]
        dataset.complex_features = np.setdiff1d(np.arange(data.shape[1]),
                                                dataset.simple_features)
        dataset.rotation = None
    return dataset
