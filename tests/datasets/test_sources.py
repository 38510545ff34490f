"""The image sources, one by one: download, decode, cache, and every way that fails.

MNIST, Fashion-MNIST, CIFAR-10 and SVHN are read through torchvision from the
tiny archives that conftest.py serves over HTTP, decoded once and cached as
``data_home/image_sources/<key>-<split>.npz``. Whatever goes wrong, the cache
holds nothing but complete files of the sources that completed, and the
next call succeeds and returns exactly the served arrays.
"""

import os
import warnings

import numpy as np
import pytest
import scipy.io
import torchvision.datasets as torchvision_datasets
import torchvision.datasets.utils as torchvision_utils
from numpy.testing import assert_array_equal

from sklearn_sb.datasets import fetch_dominoes
from sklearn_sb.datasets._cache import read_arrays, write_arrays
from sklearn_sb.datasets._sources import SOURCES, is_cached, load_source

from ..conftest import (
    CIFAR_ARCHIVE,
    CIFAR_COUNTS,
    FASHION_COUNTS,
    FASHION_FOLDER,
    MNIST_COUNTS,
    SVHN_COUNTS,
    SVHN_FILES,
)

KEYS = ["mnist", "fashion_mnist", "cifar10", "svhn"]
SPLITS = ("train", "test")
QUIET = {"verbose": 0, "n_retries": 0, "delay": 0}
COUNTS = {"mnist": MNIST_COUNTS, "fashion_mnist": FASHION_COUNTS, "cifar10": CIFAR_COUNTS,
          "svhn": SVHN_COUNTS}
IMAGE_SHAPES = {"mnist": (28, 28), "fashion_mnist": (28, 28), "cifar10": (3, 32, 32),
                "svhn": (3, 32, 32)}
TITLES = {"mnist": "MNIST", "fashion_mnist": "Fashion-MNIST", "cifar10": "CIFAR-10",
          "svhn": "SVHN"}
# The archives torchvision downloads for both splits of each source.
N_ARCHIVES = {"mnist": 4, "fashion_mnist": 4, "cifar10": 1, "svhn": 2}
BAD_MD5 = "0" * 32


def _load(tmp_path, key, **params):
    return load_source(key, data_home=tmp_path, **{**QUIET, **params})


def _served(sources, key):
    """The arrays behind the archives served for ``key``."""
    return {"mnist": sources.mnist, "fashion_mnist": sources.fashion,
            "cifar10": sources.cifar, "svhn": sources.svhn}[key]


def _assert_served(arrays, sources, key, splits=SPLITS):
    assert sorted(arrays) == sorted(splits)
    for split in splits:
        images, labels = arrays[split]
        expected_images, expected_labels = _served(sources, key)[split]
        assert_array_equal(images, expected_images)
        assert_array_equal(labels, expected_labels)


def _cached_files(tmp_path):
    """Everything under the cache folder (hidden files included), relative to it."""
    cache = tmp_path / "image_sources"
    return sorted(str(p.relative_to(cache)) for p in cache.rglob("*")) if cache.exists() else []


def _cache_files_of(*keys):
    return sorted(f"{key}-{split}.npz" for key in keys for split in SPLITS)


def _assert_nothing_but(tmp_path, completed=(), failed=()):
    """Only the complete cache files of ``completed`` remain, and the sources
    that ``failed`` are not available offline."""
    assert _cached_files(tmp_path) == _cache_files_of(*completed)
    for key in failed:
        with pytest.raises(OSError, match="download_if_missing=False"):
            _load(tmp_path, key, download_if_missing=False)


def _break_checksum(patch, key):
    """torchvision expects another md5 for the last archive of ``key``."""
    from torchvision.datasets import CIFAR10, MNIST, SVHN, FashionMNIST

    if key in ("mnist", "fashion_mnist"):
        dataset_class = MNIST if key == "mnist" else FashionMNIST
        resources = list(dataset_class.resources)
        resources[-1] = (resources[-1][0], BAD_MD5)
        patch.setattr(dataset_class, "resources", resources)
    elif key == "cifar10":
        patch.setattr(CIFAR10, "tgz_md5", BAD_MD5)
    else:
        url, name, _ = SVHN.split_list["test"]
        patch.setattr(SVHN, "split_list", {**SVHN.split_list, "test": [url, name, BAD_MD5]})


def _serve_truncated(patch, key, url):
    """Point ``key`` at the server's /truncated/ copy: half the body, full length."""
    from torchvision.datasets import CIFAR10, MNIST, SVHN, FashionMNIST

    truncated = url + "truncated/"
    if key == "mnist":
        patch.setattr(MNIST, "mirrors", [truncated])
    elif key == "fashion_mnist":
        patch.setattr(FashionMNIST, "mirrors", [truncated + FASHION_FOLDER])
    elif key == "cifar10":
        patch.setattr(CIFAR10, "url", truncated + CIFAR_ARCHIVE)
    else:
        patch.setattr(SVHN, "split_list", {
            **SVHN.split_list,
            **{split: [truncated + name, name, SVHN.split_list[split][2]]
               for split, name in SVHN_FILES.items()},
        })


def _urlretrieve_failing_from(call, exception):
    """A torchvision _urlretrieve whose downloads from the ``call``-th on write
    half the file, then raise ``exception``; the calls are recorded."""
    real = torchvision_utils._urlretrieve
    calls = []

    def urlretrieve(url, filename, *args, **kwargs):
        calls.append(url)
        real(url, filename, *args, **kwargs)
        if len(calls) >= call:
            with open(filename, "r+b") as file:
                file.truncate(os.path.getsize(filename) // 2)
            raise exception

    urlretrieve.calls = calls
    return urlretrieve


def _no_network(*args, **kwargs):
    raise AssertionError("the cache should have been used")


# -- decoded arrays and their cache ------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_decoded_arrays_have_the_documented_dtypes_and_shapes(torchvision_sources, tmp_path,
                                                              key):
    arrays = _load(tmp_path, key)
    for split in SPLITS:
        images, labels = arrays[split]
        n = sum(COUNTS[key][split].values())
        assert images.dtype == np.uint8 and images.shape == (n, *IMAGE_SHAPES[key])
        assert labels.dtype == np.int64 and labels.shape == (n,)
        assert_array_equal(np.bincount(labels, minlength=10),
                           [COUNTS[key][split][c] for c in range(10)])
        assert images.max() > 200, "pixels are not rescaled"


@pytest.mark.parametrize("key", KEYS)
def test_the_arrays_are_the_served_ones_in_torchvision_order(torchvision_sources, tmp_path,
                                                             key):
    _assert_served(_load(tmp_path, key), torchvision_sources, key)


def test_svhn_label_10_is_the_digit_0(torchvision_sources, tmp_path):
    raw = scipy.io.loadmat(torchvision_sources.root / SVHN_FILES["train"])["y"].ravel()
    assert (raw == 10).sum() == SVHN_COUNTS["train"][0] and not (raw == 0).any()
    images, labels = _load(tmp_path, "svhn")["train"]
    assert_array_equal(labels, np.where(raw == 10, 0, raw))
    assert labels.max() == 9


@pytest.mark.parametrize("key", KEYS)
def test_cache_files_are_key_split_npz_in_image_sources(torchvision_sources, tmp_path, key):
    assert not is_cached(key, tmp_path)
    arrays = _load(tmp_path, key, splits=("test",))
    # Both splits are cached, whichever were asked for.
    assert sorted(arrays) == ["test"]
    assert _cached_files(tmp_path) == _cache_files_of(key)
    assert is_cached(key, tmp_path)
    for split in SPLITS:
        cached = read_arrays(tmp_path / "image_sources" / f"{key}-{split}.npz",
                             ("images", "labels"))
        assert_array_equal(cached["images"], _served(torchvision_sources, key)[split][0])
        assert_array_equal(cached["labels"], _served(torchvision_sources, key)[split][1])


@pytest.mark.parametrize("key", KEYS)
def test_second_call_reads_the_cache_only(torchvision_sources, tmp_path, monkeypatch, key):
    _load(tmp_path, key)
    monkeypatch.setattr(torchvision_utils, "_urlretrieve", _no_network)
    monkeypatch.setattr(SOURCES[key], "dataset_class", _no_network)
    again = _load(tmp_path, key)
    _assert_served(again, torchvision_sources, key)
    for split in SPLITS:
        assert again[split][0].dtype == np.uint8 and again[split][1].dtype == np.int64
    _assert_served(_load(tmp_path, key, download_if_missing=False, splits=("train",)),
                   torchvision_sources, key, splits=("train",))


@pytest.mark.parametrize("key", KEYS)
def test_missing_source_without_download_says_how_to_get_it(tmp_path, key):
    with pytest.raises(OSError, match="download_if_missing=False") as error:
        _load(tmp_path, key, download_if_missing=False)
    message = str(error.value)
    assert TITLES[key] in message and "download_if_missing=True" in message
    assert "data_home" in message and "SCIKIT_LEARN_DATA" in message
    assert _cached_files(tmp_path) == []


@pytest.mark.parametrize("key", KEYS)
def test_one_source_cached_does_not_make_another_available(torchvision_sources, tmp_path,
                                                           key):
    other = KEYS[(KEYS.index(key) + 1) % len(KEYS)]
    _load(tmp_path, other)
    _assert_nothing_but(tmp_path, completed=[other], failed=[key])


# -- failed downloads ----------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_checksum_failure_is_clear_and_caches_nothing(torchvision_sources, tmp_path,
                                                      monkeypatch, key):
    with monkeypatch.context() as patch:
        _break_checksum(patch, key)
        with pytest.raises(OSError, match="checksum") as error:
            _load(tmp_path, key)
        assert BAD_MD5 in str(error.value) and TITLES[key] in str(error.value)
        assert "Nothing was cached" in str(error.value)
        _assert_nothing_but(tmp_path, failed=[key])
    _assert_served(_load(tmp_path, key), torchvision_sources, key)


@pytest.mark.parametrize("key", KEYS)
def test_connection_closed_halfway_is_a_checksum_failure(torchvision_sources, tmp_path,
                                                         monkeypatch, key):
    with monkeypatch.context() as patch:
        _serve_truncated(patch, key, torchvision_sources.url)
        with pytest.raises(OSError, match="checksum"):
            _load(tmp_path, key)
        _assert_nothing_but(tmp_path, failed=[key])
    _assert_served(_load(tmp_path, key), torchvision_sources, key)


@pytest.mark.parametrize("interruption", ["connection-reset", "keyboard-interrupt"])
@pytest.mark.parametrize("key, call", [
    pytest.param(key, call, id=f"{key}-archive-{call}-of-{N_ARCHIVES[key]}")
    for key in KEYS for call in sorted({1, N_ARCHIVES[key]})
])
def test_interrupted_download_leaves_nothing_trusted(torchvision_sources, tmp_path,
                                                     monkeypatch, key, call, interruption):
    if interruption == "connection-reset":
        urlretrieve = _urlretrieve_failing_from(call, ConnectionResetError("reset by peer"))
        expected = pytest.raises(OSError, match="reset by peer")
    else:
        urlretrieve = _urlretrieve_failing_from(call, KeyboardInterrupt())
        expected = pytest.raises(KeyboardInterrupt)
    with monkeypatch.context() as patch:
        patch.setattr(torchvision_utils, "_urlretrieve", urlretrieve)
        with expected:
            _load(tmp_path, key)
        assert len(urlretrieve.calls) == call
        _assert_nothing_but(tmp_path, failed=[key])
    _assert_served(_load(tmp_path, key), torchvision_sources, key)


@pytest.mark.parametrize("key", KEYS)
def test_failed_download_is_retried_from_scratch(torchvision_sources, tmp_path, monkeypatch,
                                                 key):
    # The first attempt fails on its last archive, the others downloaded.
    real = torchvision_utils._urlretrieve
    calls = []

    def fails_once(url, filename, *args, **kwargs):
        calls.append(url)
        if len(calls) == N_ARCHIVES[key]:
            raise ConnectionResetError("reset by peer")
        real(url, filename, *args, **kwargs)

    monkeypatch.setattr(torchvision_utils, "_urlretrieve", fails_once)
    with pytest.warns(UserWarning, match=f"Downloading {TITLES[key]} failed.*reset by peer.*"
                                         "retrying.*retry 1 of 2"):
        arrays = _load(tmp_path, key, n_retries=2)
    # The retry starts in a fresh folder: every archive is downloaded again.
    assert len(calls) == 2 * N_ARCHIVES[key]
    _assert_served(arrays, torchvision_sources, key)
    assert _cached_files(tmp_path) == _cache_files_of(key)


@pytest.mark.parametrize("key", KEYS)
def test_download_failing_every_retry_is_an_oserror(torchvision_sources, tmp_path,
                                                    monkeypatch, key):
    def always_fails(url, filename, *args, **kwargs):
        with open(filename, "wb") as file:
            file.write(b"half a")
        raise ConnectionResetError("reset by peer")

    with monkeypatch.context() as patch:
        patch.setattr(torchvision_utils, "_urlretrieve", always_fails)
        with (
            pytest.warns(UserWarning, match="retrying") as caught,
            pytest.raises(OSError, match=f"Could not download {TITLES[key]}.*after 3 "
                                         r"attempt\(s\).*reset by peer.*Nothing was cached"
                                         ".*data_home.*SCIKIT_LEARN_DATA.*"
                                         "download_if_missing=False") as raised,
        ):
            _load(tmp_path, key, n_retries=2)
        retries = [w for w in caught if "retrying" in str(w.message)]
        assert len(retries) == 2
        # The warnings point at the line that asked for the data, here.
        assert {w.filename for w in retries} == {__file__}
        assert os.path.join(str(tmp_path), "image_sources") in str(raised.value)
        _assert_nothing_but(tmp_path, failed=[key])
    _assert_served(_load(tmp_path, key), torchvision_sources, key)


@pytest.mark.parametrize("key", KEYS)
def test_an_interrupted_cache_write_leaves_only_complete_files(torchvision_sources, tmp_path,
                                                               monkeypatch, key):
    real = np.savez
    writes = []

    def savez_dies_on_the_second_file(file, **arrays):
        writes.append(file)
        if len(writes) == 2:
            file.write(b"PK\x03\x04 half of an archive")
            raise KeyboardInterrupt
        real(file, **arrays)

    with monkeypatch.context() as patch:
        patch.setattr(np, "savez", savez_dies_on_the_second_file)
        with pytest.raises(KeyboardInterrupt):
            _load(tmp_path, key)
    # The training split was written whole; no partial file of the test split.
    assert _cached_files(tmp_path) == [f"{key}-train.npz"]
    assert not is_cached(key, tmp_path)
    with pytest.raises(OSError, match="download_if_missing=False"):
        _load(tmp_path, key, download_if_missing=False)
    _assert_served(_load(tmp_path, key, download_if_missing=False, splits=("train",)),
                   torchvision_sources, key, splits=("train",))
    _assert_served(_load(tmp_path, key), torchvision_sources, key)
    assert _cached_files(tmp_path) == _cache_files_of(key)


@pytest.mark.parametrize("key", KEYS)
def test_a_failing_bottom_source_keeps_the_complete_top_source(torchvision_sources, tmp_path,
                                                               monkeypatch, key):
    top = KEYS[(KEYS.index(key) + 1) % len(KEYS)]
    fetch = dict(top=top, bottom=key, top_classes=(0, 1), bottom_classes=(0, 1),
                 subset="test", data_home=tmp_path, random_state=0, **QUIET)
    with monkeypatch.context() as patch:
        _break_checksum(patch, key)
        with pytest.raises(OSError, match=f"{TITLES[key]} download does not match"):
            fetch_dominoes(**fetch)
        _assert_nothing_but(tmp_path, completed=[top], failed=[key])
    data = fetch_dominoes(**fetch)
    images, labels = _served(torchvision_sources, key)["test"]
    height, width = images.shape[-2:]
    margin = (data.images.shape[-1] - width) // 2
    start = data.images.shape[2] - margin - height
    block = data.images[:, :, start:start + height, margin:margin + width]
    expected = images[data.bottom_index].reshape(len(block), -1, height, width) / np.float32(255)
    assert_array_equal(block, np.broadcast_to(expected, block.shape))
    assert_array_equal(labels[data.bottom_index], data.target)


# -- damaged cache -------------------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncate", "flip-a-byte"])
@pytest.mark.parametrize("key", KEYS)
def test_corrupted_cache_is_detected_deleted_and_rebuilt(torchvision_sources, tmp_path, key,
                                                         damage):
    _load(tmp_path, key)
    path = tmp_path / "image_sources" / f"{key}-train.npz"
    content = bytearray(path.read_bytes())
    if damage == "truncate":
        del content[len(content) // 2:]
    else:
        content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))

    with (
        pytest.warns(UserWarning, match=f"{key}-train.npz was .*corrupted.*deleted"),
        pytest.raises(OSError, match="download_if_missing=False"),
    ):
        _load(tmp_path, key, download_if_missing=False)
    assert _cached_files(tmp_path) == [f"{key}-test.npz"]

    path.write_bytes(bytes(content))
    with pytest.warns(UserWarning, match="corrupted"):
        again = _load(tmp_path, key)
    _assert_served(again, torchvision_sources, key)
    assert read_arrays(path, ("images", "labels")) is not None
    assert _cached_files(tmp_path) == _cache_files_of(key)


@pytest.mark.parametrize("key", KEYS)
def test_a_planted_cache_of_the_wrong_shape_is_refused_and_rebuilt(torchvision_sources,
                                                                   tmp_path, key):
    # A file with a matching sha256 but another source's shape of images.
    wrong_shape = (3, 32, 32) if len(IMAGE_SHAPES[key]) == 2 else (28, 28)
    (tmp_path / "image_sources").mkdir()
    for split in SPLITS:
        write_arrays(tmp_path / "image_sources" / f"{key}-{split}.npz",
                     images=np.zeros((4, *wrong_shape), np.uint8), labels=np.arange(4))
    with pytest.warns(UserWarning, match=f"not {TITLES[key]} images"):
        arrays = _load(tmp_path, key)
    _assert_served(arrays, torchvision_sources, key)
    _assert_served(_load(tmp_path, key, download_if_missing=False), torchvision_sources, key)


def test_a_planted_svhn_cache_with_the_archive_label_10_is_refused(torchvision_sources,
                                                                    tmp_path):
    images, labels = torchvision_sources.svhn["test"]
    (tmp_path / "image_sources").mkdir()
    path = tmp_path / "image_sources" / "svhn-test.npz"
    write_arrays(path, images=images, labels=np.where(labels == 0, 10, labels))
    with pytest.warns(UserWarning, match="labels outside 0-9"):
        arrays = _load(tmp_path, "svhn", splits=("test",))
    _assert_served(arrays, torchvision_sources, "svhn", splits=("test",))


def _unresolvable(dataset_class_name, patch):
    """Point a source at a server whose name cannot resolve (RFC 6761's .invalid)."""
    url = "http://sklearn-sb-mirror.invalid/"
    if dataset_class_name in ("MNIST", "FashionMNIST"):
        patch.setattr(getattr(torchvision_datasets, dataset_class_name), "mirrors", [url])
    elif dataset_class_name == "CIFAR10":
        patch.setattr(torchvision_datasets.CIFAR10, "url", url + CIFAR_ARCHIVE)
    else:
        patch.setattr(torchvision_datasets.SVHN, "split_list", {
            split: [url + name, name, md5]
            for split, (_, name, md5) in torchvision_datasets.SVHN.split_list.items()})


@pytest.mark.parametrize("key", KEYS)
def test_an_offline_machine_fails_at_once_saying_where_a_copy_goes(tmp_path, monkeypatch, key):
    with monkeypatch.context() as patch, warnings.catch_warnings():
        _unresolvable(SOURCES[key].class_name, patch)
        # A retry would warn, and wait an hour.
        warnings.simplefilter("error")
        with pytest.raises(OSError, match=f"Could not download {TITLES[key]}: the name of its "
                                          "server.*does not resolve.*offline") as raised:
            _load(tmp_path, key, n_retries=3, delay=3600)
    message = str(raised.value)
    for guidance in (os.path.join(str(tmp_path), "image_sources"), f"{key}-train.npz",
                     "data_home", "SCIKIT_LEARN_DATA", "download_if_missing=False"):
        assert guidance in message
    _assert_nothing_but(tmp_path, failed=[key])
