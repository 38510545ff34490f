"""The MNIST-CIFAR dataset: an MNIST digit stacked on top of a CIFAR-10 image."""

import contextlib
import functools
import http.client
import os
import shutil
import sys
import tempfile
import time
import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.datasets import get_data_home
from sklearn.utils import Bunch, check_random_state
from ..utils._param_validation import (
    Interval,
    InvalidParameterError,
    StrOptions,
    validate_params,
)
from tqdm.auto import tqdm

from ..utils._random import draw_seed
from ._cache import read_arrays, write_arrays
from ._synthetic import _describe

_FUNC_NAME = "fetch_mnist_cifar"
_SPLITS = ("train", "test")
_IMAGE_SHAPE = (3, 64, 32)
_N_FEATURES = 3 * 64 * 32
# Rows assembled at once, to bound the temporaries.
_CHUNK = 1024
# What a failed torchvision download raises: its integrity checks raise
# RuntimeError, the network OSError (URLError included), and http.client
# errors such as IncompleteRead escape its own handling.
_DOWNLOAD_ERRORS = (RuntimeError, OSError, http.client.HTTPException)


class _MNIST:
    key = "mnist"
    title = "MNIST"
    image_shape = (28, 28)
    class_names = tuple(str(digit) for digit in range(10))

    @staticmethod
    def dataset_class():
        from torchvision.datasets import MNIST

        return MNIST

    @staticmethod
    def archives(dataset_class, root):
        raw = os.path.join(root, dataset_class.__name__, "raw")
        return [(os.path.join(raw, name), md5) for name, md5 in dataset_class.resources]

    @staticmethod
    def decode(dataset):
        return dataset.data.numpy(), dataset.targets.numpy()


class _CIFAR10:
    key = "cifar10"
    title = "CIFAR-10"
    image_shape = (3, 32, 32)
    class_names = (
        "airplane", "automobile", "bird", "cat", "deer",
        "dog", "frog", "horse", "ship", "truck",
    )

    @staticmethod
    def dataset_class():
        from torchvision.datasets import CIFAR10

        return CIFAR10

    @staticmethod
    def archives(dataset_class, root):
        return [(os.path.join(root, dataset_class.filename), dataset_class.tgz_md5)]

    @staticmethod
    def decode(dataset):
        images = np.ascontiguousarray(dataset.data.transpose(0, 3, 1, 2))
        return images, np.asarray(dataset.targets, dtype=np.int64)


def _cache_problem(source, arrays):
    """What is wrong with cached ``images`` and ``labels`` of ``source``, or None.

    The sha256 stored in a cache file only detects damage: a planted file
    carries a matching one, so the content is checked too.
    """
    images, labels = arrays["images"], arrays["labels"]
    if images.dtype != np.uint8 or images.ndim != 1 + len(source.image_shape) \
            or images.shape[1:] != source.image_shape:
        return (f"not {source.title} images (uint8 of shape (n, "
                f"{', '.join(map(str, source.image_shape))}); got {images.dtype} of "
                f"shape {images.shape})")
    if labels.dtype.kind not in "iu" or labels.shape != (len(images),):
        return f"not one integer label per image (got {labels.dtype} of shape {labels.shape})"
    if len(labels) and (labels.min() < 0 or labels.max() >= len(source.class_names)):
        return f"holding labels outside 0-{len(source.class_names) - 1}"
    return None


def _check_classes(classes, param, source):
    """``classes`` as one sorted tuple of class indices per label."""
    names = source.class_names
    groups = []
    for entry in classes:
        members = entry if isinstance(entry, (tuple, list)) else (entry,)
        if not members:
            raise InvalidParameterError(
                f"The {param!r} parameter of {_FUNC_NAME} must give every label "
                f"at least one class. Got {classes!r} instead."
            )
        group = set()
        for member in members:
            if isinstance(member, str) and member in names:
                group.add(names.index(member))
            elif (
                isinstance(member, Integral)
                and not isinstance(member, bool)
                and 0 <= member < len(names)
            ):
                group.add(int(member))
            else:
                raise InvalidParameterError(
                    f"The {param!r} parameter of {_FUNC_NAME} must hold "
                    f"{source.title} classes: ints 0-{len(names) - 1} or names "
                    f"{list(names)}. Got the unknown class {member!r} in "
                    f"{classes!r}."
                )
        groups.append(tuple(sorted(group)))
    if len(groups) < 2:
        raise InvalidParameterError(
            f"The {param!r} parameter of {_FUNC_NAME} must give classes for at "
            f"least 2 labels. Got {classes!r} instead."
        )
    owner = {}
    for label, group in enumerate(groups):
        for member in group:
            if member in owner:
                raise InvalidParameterError(
                    f"The {param!r} parameter of {_FUNC_NAME} gives the "
                    f"{source.title} class {names[member]!r} to both label "
                    f"{owner[member]} and label {label}: the labels must use "
                    f"different classes. Got {classes!r}."
                )
            owner[member] = label
    return groups


@contextlib.contextmanager
def _silenced(silent):
    """Send what torchvision prints (its download bars) to /dev/null."""
    if not silent:
        yield
        return
    with (
        open(os.devnull, "w") as devnull,
        contextlib.redirect_stdout(devnull),
        contextlib.redirect_stderr(devnull),
    ):
        yield


def _corrupted_archives(source, dataset_class, root):
    """'name: md5 X, expected Y' for each downloaded archive failing its checksum."""
    from torchvision.datasets.utils import calculate_md5

    failures = []
    for path, md5 in source.archives(dataset_class, root):
        if os.path.isfile(path):
            actual = calculate_md5(path)
            if actual != md5:
                failures.append(f"{os.path.basename(path)}: md5 {actual}, expected {md5}")
    return failures


def _download(source, cache_dir, *, n_retries, delay, verbose):
    """Download ``source`` with torchvision and decode both splits.

    Every attempt downloads into a fresh temporary folder of ``cache_dir``,
    removed afterwards whatever happens: nothing a download leaves behind is
    ever read again, only the arrays :func:`write_arrays` caches.
    """
    dataset_class = source.dataset_class()
    for attempt in range(n_retries + 1):
        try:
            root = tempfile.mkdtemp(prefix=f".{source.key}-download-", dir=cache_dir)
        except OSError as error:
            raise OSError(
                f"Cannot download {source.title} into the cache {cache_dir} ({error}). "
                "Point data_home (or SCIKIT_LEARN_DATA) to a folder this user can write."
            ) from error
        try:
            with _silenced(not verbose):
                return {
                    split: source.decode(
                        dataset_class(root, train=split == "train", download=True)
                    )
                    for split in _SPLITS
                }
        except _DOWNLOAD_ERRORS as exc:
            error = exc
            corrupted = (
                _corrupted_archives(source, dataset_class, root)
                if isinstance(exc, RuntimeError)
                else []
            )
        finally:
            shutil.rmtree(root, ignore_errors=True)
        if attempt < n_retries:
            warnings.warn(
                f"Downloading {source.title} failed ({error}); retrying in {delay} s "
                f"(retry {attempt + 1} of {n_retries}).",
                UserWarning,
                stacklevel=3,
            )
            time.sleep(delay)
    if corrupted:
        raise OSError(
            f"The {source.title} download does not match torchvision's checksum "
            f"({'; '.join(corrupted)}): the file is corrupted or the source "
            "changed. Nothing was cached; try again later."
        ) from error
    raise OSError(
        f"Could not download {source.title} with torchvision after "
        f"{n_retries + 1} attempt(s): {error!r}. Nothing was cached; check the "
        "network connection and try again."
    ) from error


def _source_arrays(source, splits, cache_dir, *, download_if_missing, n_retries,
                   delay, verbose):
    """``{split: (images, labels)}`` of ``source``, from the cache or downloaded."""
    path = {split: os.path.join(cache_dir, f"{source.key}-{split}.npz") for split in _SPLITS}
    check = functools.partial(_cache_problem, source)
    cached = {split: read_arrays(path[split], ("images", "labels"), check=check)
              for split in splits}
    if all(arrays is not None for arrays in cached.values()):
        return {split: (arrays["images"], arrays["labels"]) for split, arrays in cached.items()}
    if not download_if_missing:
        raise OSError(
            f"{source.title} is not in the cache {cache_dir} and "
            "download_if_missing=False. Call fetch_mnist_cifar() once with "
            "download_if_missing=True on a machine with internet access (it "
            "downloads MNIST and CIFAR-10 with torchvision, about 180 MB), or "
            "point data_home (or the SCIKIT_LEARN_DATA environment variable) to "
            "a folder holding a copy of that cache."
        )
    if verbose:
        tqdm.write(
            f"Downloading {source.title} with torchvision; decoded arrays are "
            f"cached in {cache_dir}",
            file=sys.stderr,
        )
    os.makedirs(cache_dir, exist_ok=True)
    downloaded = _download(
        source, cache_dir, n_retries=n_retries, delay=delay, verbose=verbose
    )
    for split, (images, labels) in downloaded.items():
        write_arrays(path[split], images=images, labels=labels)
    return {split: downloaded[split] for split in splits}


def _pair(mnist_labels, cifar_labels, mnist_groups, cifar_groups, *, reuse_mnist,
          randomize, rng, split):
    """Source indices of the MNIST and CIFAR image of every row, and the target."""
    pools = {}
    for source, labels, groups in (
        (_MNIST, mnist_labels, mnist_groups),
        (_CIFAR10, cifar_labels, cifar_groups),
    ):
        pools[source.key] = [rng.permutation(np.flatnonzero(np.isin(labels, g))) for g in groups]
        for group, pool in zip(groups, pools[source.key]):
            if pool.size == 0:
                names = [source.class_names[c] for c in group]
                raise ValueError(
                    f"The {split} set of {source.title} has no image of class(es) "
                    f"{names}."
                )
    mnist_pools, cifar_pools = pools["mnist"], pools["cifar10"]
    if reuse_mnist:
        sizes = [len(pool) for pool in cifar_pools]
    else:
        smallest = min(len(pool) for pool in mnist_pools + cifar_pools)
        sizes = [smallest] * len(cifar_pools)
    mnist_index = np.concatenate(
        [pool[np.arange(size) % len(pool)] for pool, size in zip(mnist_pools, sizes)]
    )
    cifar_index = np.concatenate([pool[:size] for pool, size in zip(cifar_pools, sizes)])
    target = np.repeat(np.arange(len(sizes), dtype=np.int64), sizes)
    order = rng.permutation(len(target))
    mnist_index, cifar_index, target = mnist_index[order], cifar_index[order], target[order]
    if randomize == "mnist":
        mnist_index = mnist_index[rng.permutation(len(target))]
    elif randomize == "cifar":
        cifar_index = cifar_index[rng.permutation(len(target))]
    return mnist_index, cifar_index, target


def _assemble(images, mnist_images, cifar_images, mnist_index, cifar_index, bar):
    """Fill ``images`` (zeros) with padded MNIST digits over CIFAR images, in [0, 1]."""
    scale = np.float32(255)
    for start in range(0, len(images), _CHUNK):
        rows = slice(start, start + _CHUNK)
        block = images[rows]
        np.divide(
            mnist_images[mnist_index[rows], None], scale,
            out=block[:, :, 2:30, 2:30], dtype=np.float32,
        )
        np.divide(
            cifar_images[cifar_index[rows]], scale,
            out=block[:, :, 32:], dtype=np.float32,
        )
        bar.update(len(block))


def _target_names(mnist_groups, cifar_groups):
    def name(source, group):
        return ",".join(source.class_names[c] for c in group)

    return np.array(
        [
            f"{name(_MNIST, m)} / {name(_CIFAR10, c)}"
            for m, c in zip(mnist_groups, cifar_groups)
        ]
    )


def _mnist_block():
    """Flat indices of the top 32 rows of every channel of a 3 x 64 x 32 image."""
    row = np.arange(_N_FEATURES) // _IMAGE_SHAPE[2] % _IMAGE_SHAPE[1]
    return np.flatnonzero(row < 32)


@validate_params(
    {
        "subset": [StrOptions({"train", "test", "all"})],
        "mnist_classes": [tuple, list],
        "cifar_classes": [tuple, list],
        "randomize": [StrOptions({"mnist", "cifar"}), None],
        "reuse_mnist": ["boolean"],
        "data_home": [str, os.PathLike, None],
        "download_if_missing": ["boolean"],
        "random_state": ["random_state"],
        "return_X_y": ["boolean"],
        "n_retries": [Interval(Integral, 0, None, closed="left")],
        "delay": [Interval(Real, 0, None, closed="left")],
        "verbose": ["verbose"],
    },
    prefer_skip_nested_validation=True,
)
def fetch_mnist_cifar(
    *,
    subset="train",
    mnist_classes=(0, 1),
    cifar_classes=(1, 9),
    randomize=None,
    reuse_mnist=False,
    data_home=None,
    download_if_missing=True,
    random_state=None,
    return_X_y=False,
    n_retries=3,
    delay=1.0,
    verbose=1,
):
    """Load the MNIST-CIFAR dataset (classification), downloading it if needed.

    Every image stacks an MNIST digit (top) on a CIFAR-10 image (bottom).
    With the defaults, label 0 pairs a digit 0 with an automobile and label 1
    a digit 1 with a truck: both blocks are fully predictive, and the MNIST
    block (S) is the simpler one. Images are 3 x 64 x 32 with values in
    [0, 1]: the 28 x 28 digit is zero-padded by 2 pixels on every side and
    replicated on the three channels; no normalization is applied.

    Pairs are built as in the paper: the images of each label's classes are
    shuffled, on each side, all groups are truncated to the size of the
    smallest, and the i-th MNIST image of a label is paired with its i-th
    CIFAR image. Defaults give 10,000 training images (5,000 per class) and
    1,960 test images (980 per class).

    The first call downloads MNIST and CIFAR-10 with :mod:`torchvision`
    (its addresses and checksums) and caches the decoded images in
    ``data_home/mnist_cifar``; later calls read that cache only.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    subset : {'train', 'test', 'all'}, default='train'
        The training pairs, the test pairs (built from the MNIST and CIFAR-10
        test sets), or both, training pairs first.
    mnist_classes : sequence of int or of tuple of int, default=(0, 1)
        The MNIST digits of each label: entry ``i`` is a digit or a tuple of
        digits for label ``i``. A class may go to one label only.
    cifar_classes : sequence of int, str or tuple, default=(1, 9)
        The CIFAR-10 classes of each label, as indices or names
        ('automobile', 'truck', ...), one entry per label as for
        ``mnist_classes``.
    randomize : {'mnist', 'cifar'} or None, default=None
        'mnist' pairs every CIFAR image with an MNIST image drawn
        independently of the label (one permutation of the MNIST images over
        all rows), so only the CIFAR block predicts the label: the paper's
        MNIST-randomized set. 'cifar' does the same to the CIFAR block.
    reuse_mnist : bool, default=False
        Use every CIFAR-10 image of the chosen classes, cycling through the
        shuffled MNIST images of the label when there are fewer of them. With
        ``cifar_classes=((0, 1, 2, 3, 4), (5, 6, 7, 8, 9))`` this gives the
        paper's 50,000 training and 10,000 test images.
    data_home : str or path-like, default=None
        Folder of the cache. By default all scikit-learn data is stored in
        '~/scikit_learn_data' (or the ``SCIKIT_LEARN_DATA`` environment
        variable). Whoever can write this folder decides what is read: see
        :ref:`cache-trust`.
    download_if_missing : bool, default=True
        If False, raise an OSError when the data is not in the cache instead
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
    dataset : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, 6144), float32
            The flattened images, for pipelines; a view of ``images``.
        images : ndarray of shape (n_samples, 3, 64, 32), float32
            The images, channels first, MNIST on top.
        target : ndarray of shape (n_samples,)
            The labels 0, 1, ...
        target_names : ndarray of str
            'MNIST classes / CIFAR classes' of each label.
        simple_features : ndarray of int
            Indices in ``data`` of the MNIST block S: rows 0 to 31 of every
            channel.
        complex_features : ndarray of int
            Indices in ``data`` of the CIFAR block S^c: rows 32 to 63.
        rotation : None
            The data is not rotated; with ``simple_features`` this lets
            :func:`~sklearn_sb.inspection.randomized_scores` and
            :class:`~sklearn_sb.inspection.RandomizedFeatureScorer` take the
            Bunch itself.
        mnist_index, cifar_index : ndarray of shape (n_samples,)
            The source image of each row in torchvision's MNIST and CIFAR-10
            order; with ``subset='all'``, test images are numbered after the
            training ones.
        mnist_target, cifar_target : ndarray of shape (n_samples,)
            The MNIST digit and the CIFAR-10 class of each row.
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        When the data is not cached and ``download_if_missing=False``, or
        when the download fails after the retries (a checksum mismatch
        included). Nothing incomplete is left in the cache.

    See Also
    --------
    sklearn_sb.inspection.randomized_scores : Scores with S or S^c randomized.

    Examples
    --------
    >>> from sklearn_sb.datasets import fetch_mnist_cifar
    >>> data = fetch_mnist_cifar(subset="test", random_state=0)  # doctest: +SKIP
    >>> data.images.shape, data.data.shape  # doctest: +SKIP
    ((1960, 3, 64, 32), (1960, 6144))
    >>> data.target_names  # doctest: +SKIP
    array(['0 / automobile', '1 / truck'], dtype='<U14')
    >>> randomized = fetch_mnist_cifar(randomize="mnist")  # doctest: +SKIP
    """
    mnist_groups = _check_classes(mnist_classes, "mnist_classes", _MNIST)
    cifar_groups = _check_classes(cifar_classes, "cifar_classes", _CIFAR10)
    if len(mnist_groups) != len(cifar_groups):
        raise InvalidParameterError(
            f"The 'mnist_classes' and 'cifar_classes' parameters of {_FUNC_NAME} "
            f"must give classes for the same number of labels. Got "
            f"{mnist_classes!r} and {cifar_classes!r}."
        )
    splits = _SPLITS if subset == "all" else (subset,)
    rng = check_random_state(random_state)
    seeds = dict(zip(_SPLITS, draw_seed(rng, size=len(_SPLITS))))

    cache_dir = os.path.join(get_data_home(data_home), "mnist_cifar")
    options = {
        "download_if_missing": download_if_missing,
        "n_retries": n_retries,
        "delay": delay,
        "verbose": verbose,
    }
    sources = {
        "mnist": _source_arrays(_MNIST, splits, cache_dir, **options),
        "cifar": _source_arrays(_CIFAR10, splits, cache_dir, **options),
    }

    pairs = [
        _pair(
            sources["mnist"][split][1],
            sources["cifar"][split][1],
            mnist_groups,
            cifar_groups,
            reuse_mnist=reuse_mnist,
            randomize=randomize,
            rng=np.random.RandomState(seeds[split]),
            split=split,
        )
        for split in splits
    ]
    target = np.concatenate([split_target for _, _, split_target in pairs])
    n_samples = len(target)
    images = np.zeros((n_samples, *_IMAGE_SHAPE), dtype=np.float32)
    with tqdm(total=n_samples, desc="Building MNIST-CIFAR", unit="image",
              disable=not verbose, file=sys.stderr) as bar:
        start = 0
        for split, (mnist_index, cifar_index, split_target) in zip(splits, pairs):
            stop = start + len(split_target)
            _assemble(images[start:stop], sources["mnist"][split][0],
                      sources["cifar"][split][0], mnist_index, cifar_index, bar)
            start = stop
    sources_of_rows = {}
    for position, key in enumerate(("mnist", "cifar")):
        labels = [sources[key][split][1] for split in splits]
        # With subset='all', test images are numbered after the training ones.
        offsets = np.cumsum([0] + [len(split_labels) for split_labels in labels[:-1]])
        sources_of_rows[f"{key}_index"] = np.concatenate(
            [pair[position] + offset for pair, offset in zip(pairs, offsets)]
        )
        sources_of_rows[f"{key}_target"] = np.concatenate(
            [split_labels[pair[position]] for split_labels, pair in zip(labels, pairs)]
        ).astype(np.int64)

    data = images.reshape(n_samples, -1)
    if return_X_y:
        return data, target
    simple = _mnist_block()
    return Bunch(
        data=data,
        images=images,
        target=target,
        target_names=_target_names(mnist_groups, cifar_groups),
        simple_features=simple,
        complex_features=np.setdiff1d(np.arange(_N_FEATURES), simple),
        rotation=None,
        **sources_of_rows,
        DESCR=_describe("mnist_cifar.rst"),
    )
