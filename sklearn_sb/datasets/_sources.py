"""Labeled image sources read with torchvision: MNIST, Fashion-MNIST, CIFAR-10, SVHN.

Each source is downloaded with torchvision's dataset class (its addresses and
checksums), decoded once, and cached as verified, atomically written arrays
in ``data_home/image_sources``; later reads use that cache only. The
composite datasets (dominoes, Colored MNIST, collages) build on
:func:`load_source`.
"""

import contextlib
import functools
import http.client
import os
import shutil
import socket
import sys
import tempfile
import time
import urllib.parse

from numbers import Integral, Real

import numpy as np
from sklearn.datasets import get_data_home
from tqdm.auto import tqdm

from ..utils._param_validation import Interval
from ..utils._warnings import warn
from ._cache import read_arrays, write_arrays

SPLITS = ("train", "test")
#: The constraints of the options every fetcher of these sources shares.
FETCH_CONSTRAINTS = {
    "data_home": [str, os.PathLike, None],
    "download_if_missing": ["boolean"],
    "random_state": ["random_state"],
    "return_X_y": ["boolean"],
    "n_retries": [Interval(Integral, 0, None, closed="left")],
    "delay": [Interval(Real, 0, None, closed="left")],
    "verbose": ["verbose"],
}
CACHE_FOLDER = "image_sources"
# What a failed torchvision download raises: its integrity checks raise
# RuntimeError, the network OSError (URLError included), and http.client
# errors such as IncompleteRead escape its own handling.
_DOWNLOAD_ERRORS = (RuntimeError, OSError, http.client.HTTPException)


class _MNIST:
    key = "mnist"
    title = "MNIST"
    download_size = "about 12 MB"
    image_shape = (28, 28)
    class_names = tuple(str(digit) for digit in range(10))
    class_name = "MNIST"

    @classmethod
    def dataset_class(cls):
        import torchvision.datasets

        return getattr(torchvision.datasets, cls.class_name)

    @staticmethod
    def open(dataset_class, root, split):
        return dataset_class(root, train=split == "train", download=True)

    @staticmethod
    def urls(dataset_class):
        return list(dataset_class.mirrors)

    @staticmethod
    def archives(dataset_class, root):
        raw = os.path.join(root, dataset_class.__name__, "raw")
        return [(os.path.join(raw, name), md5) for name, md5 in dataset_class.resources]

    @staticmethod
    def decode(dataset):
        return dataset.data.numpy(), dataset.targets.numpy()


class _FashionMNIST(_MNIST):
    key = "fashion_mnist"
    title = "Fashion-MNIST"
    download_size = "about 30 MB"
    class_names = (
        "t-shirt", "trouser", "pullover", "dress", "coat",
        "sandal", "shirt", "sneaker", "bag", "ankle boot",
    )
    class_name = "FashionMNIST"


class _CIFAR10(_MNIST):
    key = "cifar10"
    title = "CIFAR-10"
    download_size = "about 170 MB"
    image_shape = (3, 32, 32)
    class_names = (
        "airplane", "automobile", "bird", "cat", "deer",
        "dog", "frog", "horse", "ship", "truck",
    )
    class_name = "CIFAR10"

    @staticmethod
    def urls(dataset_class):
        return [dataset_class.url]

    @staticmethod
    def archives(dataset_class, root):
        return [(os.path.join(root, dataset_class.filename), dataset_class.tgz_md5)]

    @staticmethod
    def decode(dataset):
        images = np.ascontiguousarray(dataset.data.transpose(0, 3, 1, 2))
        return images, np.asarray(dataset.targets, dtype=np.int64)


class _SVHN(_MNIST):
    key = "svhn"
    title = "SVHN"
    download_size = "about 250 MB"
    image_shape = (3, 32, 32)
    # torchvision maps the archives' label 10 to the digit 0.
    class_names = tuple(str(digit) for digit in range(10))
    class_name = "SVHN"

    @staticmethod
    def open(dataset_class, root, split):
        return dataset_class(root, split=split, download=True)

    @staticmethod
    def urls(dataset_class):
        return [dataset_class.split_list[split][0] for split in SPLITS]

    @staticmethod
    def archives(dataset_class, root):
        return [
            (os.path.join(root, dataset_class.split_list[split][1]),
             dataset_class.split_list[split][2])
            for split in SPLITS
        ]

    @staticmethod
    def decode(dataset):
        return np.ascontiguousarray(dataset.data), np.asarray(dataset.labels, dtype=np.int64)


SOURCES = {source.key: source for source in (_MNIST, _FashionMNIST, _CIFAR10, _SVHN)}


def cache_folder(data_home):
    """The folder holding the decoded sources under ``data_home``."""
    return os.path.join(get_data_home(data_home), CACHE_FOLDER)


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


def _resolves(url):
    """Whether the name of ``url``'s server resolves (a local file always does)."""
    host = urllib.parse.urlparse(url).hostname
    if not host:
        return True
    try:
        socket.getaddrinfo(host, None)
    except socket.gaierror:
        return False
    return True


def _where_to_put_a_copy(source, cache_dir):
    return (f"To use a copy made on a machine with internet access, put its "
            f"{source.key}-train.npz and {source.key}-test.npz in {cache_dir}, or point "
            "data_home (or the SCIKIT_LEARN_DATA environment variable) to the folder "
            f"holding its {CACHE_FOLDER}/; download_if_missing=False then fails at once "
            "instead of trying to download.")


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
                    split: source.decode(source.open(dataset_class, root, split))
                    for split in SPLITS
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
        servers = source.urls(dataset_class)
        if not any(map(_resolves, servers)):
            # No name resolution: retrying cannot help.
            hosts = sorted({urllib.parse.urlparse(url).hostname for url in servers})
            raise OSError(
                f"Could not download {source.title}: the name of its server "
                f"({', '.join(hosts)}) does not resolve, so this machine seems to be "
                f"offline. Nothing was cached. {_where_to_put_a_copy(source, cache_dir)}"
            ) from error
        if attempt < n_retries:
            warn(f"Downloading {source.title} failed ({error}); retrying in {delay} s "
                 f"(retry {attempt + 1} of {n_retries}).")
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
        f"network connection and try again. {_where_to_put_a_copy(source, cache_dir)}"
    ) from error


def is_cached(key, data_home=None):
    """Whether both splits of the source ``key`` are in the cache (not verified)."""
    folder = cache_folder(data_home)
    return all(os.path.isfile(os.path.join(folder, f"{key}-{split}.npz")) for split in SPLITS)


def load_source(key, splits=SPLITS, *, data_home=None, download_if_missing=True,
                n_retries=3, delay=1.0, verbose=1):
    """``{split: (images, labels)}`` of the source ``key``, cached or downloaded.

    Images are uint8, ``(n, H, W)`` for grayscale sources and ``(n, C, H, W)``
    otherwise; labels int, in torchvision's order.

    Raises
    ------
    OSError
        When the source is not cached and ``download_if_missing=False``, or
        when the download fails after ``n_retries`` retries (a checksum
        mismatch included). Nothing incomplete is left in the cache.
    """
    source = SOURCES[key]
    cache_dir = cache_folder(data_home)
    path = {split: os.path.join(cache_dir, f"{source.key}-{split}.npz") for split in SPLITS}
    check = functools.partial(_cache_problem, source)
    cached = {split: read_arrays(path[split], ("images", "labels"), check=check)
              for split in splits}
    if all(arrays is not None for arrays in cached.values()):
        return {split: (arrays["images"], arrays["labels"]) for split, arrays in cached.items()}
    if not download_if_missing:
        raise OSError(
            f"{source.title} is not in the cache {cache_dir} and "
            "download_if_missing=False. Call the fetcher once with "
            "download_if_missing=True on a machine with internet access (it "
            f"downloads {source.title} with torchvision, {source.download_size}), "
            "or point data_home (or the SCIKIT_LEARN_DATA environment variable) to "
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
