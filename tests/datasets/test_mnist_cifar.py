"""fetch_mnist_cifar on tiny MNIST and CIFAR-10 archives (see conftest.py).

torchvision's own download, checksum and extraction code runs against a
local HTTP server; the specification, section 3 (spec-mnist-cifar), defines the images and the pairing.
"""

import os

import numpy as np
import pytest
import torchvision.datasets.utils as torchvision_utils
from numpy.testing import assert_array_equal
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_sb.datasets import fetch_mnist_cifar
from sklearn_sb.datasets._cache import read_arrays, write_arrays

from ..conftest import CIFAR_COUNTS, MNIST_COUNTS

QUIET = {"verbose": 0, "n_retries": 0, "delay": 0}


def _fetch(tmp_path, **params):
    return fetch_mnist_cifar(data_home=tmp_path, **{**QUIET, **params})


def _cached_files(tmp_path):
    """Everything under the cache folder, as names relative to it."""
    cache = tmp_path / "image_sources"
    return sorted(str(p.relative_to(cache)) for p in cache.rglob("*")) if cache.exists() else []


def _assert_images_are_the_sources(data, sources, split):
    mnist_images, _ = sources.mnist[split]
    cifar_images, _ = sources.cifar[split]
    top = data.images[:, :, 2:30, 2:30]
    assert_array_equal(top, np.broadcast_to(
        mnist_images[data.mnist_index, None].astype(np.float32) / 255, top.shape
    ))
    assert_array_equal(
        data.images[:, :, 32:], cifar_images[data.cifar_index].astype(np.float32) / 255
    )


# -- the dataset ---------------------------------------------------------------


@pytest.mark.parametrize("split", ["train", "test"])
def test_shapes_ranges_and_class_balance(torchvision_sources, tmp_path, split):
    data = _fetch(tmp_path, subset=split, random_state=0)
    n_per_class = torchvision_sources.expected_pairs(split)
    n = 2 * n_per_class
    assert data.images.shape == (n, 3, 64, 32) and data.images.dtype == np.float32
    assert data.data.shape == (n, 6144) and data.data.dtype == np.float32
    assert np.shares_memory(data.data, data.images)
    assert_array_equal(data.data, data.images.reshape(n, -1))
    assert data.images.min() >= 0 and data.images.max() <= 1
    assert data.images.max() > 0.9
    assert_array_equal(np.bincount(data.target), [n_per_class, n_per_class])
    assert data.target.dtype == np.int64
    assert 0 < data.target[: n // 2].mean() < 1, "rows are shuffled"
    assert_array_equal(data.target_names, ["0 / automobile", "1 / truck"])
    assert data.rotation is None
    assert "MNIST-CIFAR" in data.DESCR


def test_mnist_block_on_top_zero_padded_on_three_channels(torchvision_sources, tmp_path):
    data = _fetch(tmp_path, subset="test", random_state=0)
    top = data.images[:, :, :32]
    for pad in (slice(0, 2), slice(30, 32)):
        assert not top[:, :, pad, :].any() and not top[:, :, :, pad].any()
    assert_array_equal(top[:, 0], top[:, 1])
    assert_array_equal(top[:, 0], top[:, 2])
    _assert_images_are_the_sources(data, torchvision_sources, "test")


def test_feature_blocks_are_the_mnist_and_cifar_halves(torchvision_sources, tmp_path):
    data = _fetch(tmp_path, subset="test", random_state=0)
    mask = np.zeros((3, 64, 32), dtype=bool)
    mask[:, :32] = True
    assert_array_equal(data.simple_features, np.flatnonzero(mask.ravel()))
    assert_array_equal(data.complex_features, np.flatnonzero(~mask.ravel()))
    assert len(data.simple_features) == len(data.complex_features) == 3072


@pytest.mark.parametrize("split", ["train", "test"])
def test_pairs_follow_the_labels(torchvision_sources, tmp_path, split):
    data = _fetch(tmp_path, subset=split, random_state=0)
    assert_array_equal(data.mnist_target, data.target)
    assert_array_equal(data.cifar_target, np.where(data.target == 0, 1, 9))
    assert_array_equal(data.mnist_target, torchvision_sources.mnist[split][1][data.mnist_index])
    assert_array_equal(data.cifar_target, torchvision_sources.cifar[split][1][data.cifar_index])
    assert len(np.unique(data.mnist_index)) == len(np.unique(data.cifar_index)) == len(data.target)
    _assert_images_are_the_sources(data, torchvision_sources, split)


@pytest.mark.parametrize("randomize, kept", [("mnist", "cifar"), ("cifar", "mnist")])
def test_randomize_pairs_one_block_independently_of_the_label(
    torchvision_sources, tmp_path, randomize, kept
):
    standard = _fetch(tmp_path, random_state=0)
    data = _fetch(tmp_path, randomize=randomize, random_state=0)
    source_classes = {"mnist": (0, 1), "cifar": (1, 9)}
    follows = data[f"{kept}_target"] == np.choose(data.target, source_classes[kept])
    assert follows.all()
    shuffled = data[f"{randomize}_target"] == np.choose(data.target, source_classes[randomize])
    assert 0.35 < shuffled.mean() < 0.65
    # The same images, only paired differently.
    assert_array_equal(np.sort(data[f"{randomize}_index"]), np.sort(standard[f"{randomize}_index"]))
    assert_array_equal(np.bincount(data.target), np.bincount(standard.target))
    _assert_images_are_the_sources(data, torchvision_sources, "train")


def test_class_groups_and_names(torchvision_sources, tmp_path):
    data = _fetch(
        tmp_path, subset="test", mnist_classes=((0, 2), 1),
        cifar_classes=(("airplane", 1), "truck"), random_state=0,
    )
    n_per_class = min(
        MNIST_COUNTS["test"][0] + MNIST_COUNTS["test"][2], MNIST_COUNTS["test"][1],
        CIFAR_COUNTS["test"][0] + CIFAR_COUNTS["test"][1], CIFAR_COUNTS["test"][9],
    )
    assert_array_equal(np.bincount(data.target), [n_per_class, n_per_class])
    assert set(data.mnist_target[data.target == 0]) == {0, 2}
    assert set(data.cifar_target[data.target == 0]) == {0, 1}
    assert_array_equal(data.target_names, ["0,2 / airplane,automobile", "1 / truck"])


def test_more_than_two_labels(torchvision_sources, tmp_path):
    data = _fetch(tmp_path, subset="test", mnist_classes=(0, 1, 2), cifar_classes=(1, 9, 3),
                  random_state=0)
    assert_array_equal(np.bincount(data.target), [5, 5, 5])
    assert_array_equal(data.cifar_target, np.choose(data.target, (1, 9, 3)))


def test_reuse_mnist_uses_every_cifar_image(torchvision_sources, tmp_path):
    data = _fetch(
        tmp_path, reuse_mnist=True,
        cifar_classes=((0, 1, 2, 3, 4), (5, 6, 7, 8, 9)), random_state=0,
    )
    n_cifar = sum(CIFAR_COUNTS["train"].values())
    assert len(data.target) == n_cifar
    assert_array_equal(np.sort(data.cifar_index), np.arange(n_cifar))
    assert_array_equal(data.mnist_target, data.target)
    assert_array_equal(data.cifar_target >= 5, data.target == 1)
    for label in (0, 1):
        uses = np.bincount(data.mnist_index[data.target == label])
        uses = uses[uses > 0]
        assert len(uses) == MNIST_COUNTS["train"][label]
        assert uses.max() - uses.min() <= 1
    _assert_images_are_the_sources(data, torchvision_sources, "train")


def test_all_is_train_then_test(torchvision_sources, tmp_path):
    train = _fetch(tmp_path, subset="train", random_state=3)
    test = _fetch(tmp_path, subset="test", random_state=3)
    both = _fetch(tmp_path, subset="all", random_state=3)
    assert_array_equal(both.images, np.concatenate([train.images, test.images]))
    assert_array_equal(both.target, np.concatenate([train.target, test.target]))
    n_mnist_train = len(torchvision_sources.mnist["train"][1])
    assert_array_equal(both.mnist_index[len(train.target):], test.mnist_index + n_mnist_train)


def test_random_state_and_return_X_y(torchvision_sources, tmp_path):
    first = _fetch(tmp_path, subset="test", random_state=1)
    X, y = _fetch(tmp_path, subset="test", random_state=1, return_X_y=True)
    other = _fetch(tmp_path, subset="test", random_state=2)
    assert_array_equal(X, first.data)
    assert_array_equal(y, first.target)
    assert not np.array_equal(first.mnist_index, other.mnist_index)


# -- download and cache ----------------------------------------------------------


def test_second_call_reads_the_cache_only(torchvision_sources, tmp_path, monkeypatch):
    first = _fetch(tmp_path, subset="test", random_state=0)
    assert _cached_files(tmp_path) == [
        "cifar10-test.npz", "cifar10-train.npz", "mnist-test.npz", "mnist-train.npz",
    ]

    def no_network(*args, **kwargs):
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(torchvision_utils, "_urlretrieve", no_network)
    again = _fetch(tmp_path, subset="test", random_state=0, download_if_missing=False)
    assert_array_equal(again.images, first.images)


def test_data_home_defaults_to_scikit_learn_data(torchvision_sources, tmp_path, monkeypatch):
    monkeypatch.setenv("SCIKIT_LEARN_DATA", str(tmp_path / "sklearn_data"))
    fetch_mnist_cifar(subset="test", **QUIET)
    assert (tmp_path / "sklearn_data" / "image_sources" / "mnist-test.npz").is_file()


def test_missing_data_without_download_raises_oserror(tmp_path):
    with pytest.raises(OSError, match="download_if_missing=False"):
        _fetch(tmp_path, download_if_missing=False)


def _assert_nothing_trusted_left(tmp_path, completed=()):
    """Only the cache files of the sources in ``completed`` remain: no partial
    download, no temporary folder, and the data is not available offline."""
    expected = sorted(f"{key}-{split}.npz" for key in completed for split in ("test", "train"))
    assert _cached_files(tmp_path) == expected
    with pytest.raises(OSError, match="download_if_missing=False"):
        _fetch(tmp_path, subset="test", download_if_missing=False)


@pytest.mark.parametrize("source", ["MNIST", "CIFAR10"])
def test_checksum_failure_is_clear_and_caches_nothing(
    torchvision_sources, tmp_path, monkeypatch, source
):
    from torchvision.datasets import CIFAR10, MNIST

    with monkeypatch.context() as patch:
        if source == "MNIST":
            resources = list(MNIST.resources)
            resources[2] = (resources[2][0], "0" * 32)
            patch.setattr(MNIST, "resources", resources)
        else:
            patch.setattr(CIFAR10, "tgz_md5", "0" * 32)
        with pytest.raises(OSError, match="checksum") as error:
            _fetch(tmp_path, subset="test")
        assert "0" * 32 in str(error.value)
        # MNIST is fetched first: with CIFAR-10 failing, its cache is complete.
        _assert_nothing_trusted_left(tmp_path, completed=["mnist"] if source == "CIFAR10" else [])
    data = _fetch(tmp_path, subset="test", random_state=0)
    _assert_images_are_the_sources(data, torchvision_sources, "test")


def _interrupting_urlretrieve(exception):
    """A torchvision _urlretrieve that writes half the file, then fails."""
    real = torchvision_utils._urlretrieve

    def urlretrieve(url, filename, *args, **kwargs):
        real(url, filename, *args, **kwargs)
        with open(filename, "r+b") as file:
            file.truncate(os.path.getsize(filename) // 2)
        raise exception

    return urlretrieve


@pytest.mark.parametrize(
    "interruption", ["connection-reset", "keyboard-interrupt", "connection-closed"]
)
def test_interrupted_download_leaves_nothing_trusted(
    torchvision_sources, tmp_path, monkeypatch, interruption
):
    from torchvision.datasets import CIFAR10, MNIST

    with monkeypatch.context() as patch:
        if interruption == "connection-closed":
            # The server announces the full length and hangs up halfway.
            patch.setattr(MNIST, "mirrors", [torchvision_sources.url + "truncated/"])
            patch.setattr(CIFAR10, "url", CIFAR10.url.replace("/cifar", "/truncated/cifar"))
            expected = pytest.raises(OSError, match="checksum")
        elif interruption == "connection-reset":
            patch.setattr(torchvision_utils, "_urlretrieve",
                          _interrupting_urlretrieve(ConnectionResetError("reset by peer")))
            expected = pytest.raises(OSError, match="reset by peer")
        else:
            patch.setattr(torchvision_utils, "_urlretrieve",
                          _interrupting_urlretrieve(KeyboardInterrupt()))
            expected = pytest.raises(KeyboardInterrupt)
        with expected:
            _fetch(tmp_path, subset="test")
        _assert_nothing_trusted_left(tmp_path)
    data = _fetch(tmp_path, subset="test", random_state=0)
    _assert_images_are_the_sources(data, torchvision_sources, "test")


def test_failed_download_is_retried(torchvision_sources, tmp_path, monkeypatch):
    real = torchvision_utils._urlretrieve
    calls = []

    def fails_once(url, filename, *args, **kwargs):
        calls.append(url)
        if len(calls) == 1:
            raise ConnectionResetError("reset by peer")
        real(url, filename, *args, **kwargs)

    monkeypatch.setattr(torchvision_utils, "_urlretrieve", fails_once)
    with pytest.warns(UserWarning, match="retrying") as caught:
        data = _fetch(tmp_path, subset="test", random_state=0, n_retries=1)
    _assert_images_are_the_sources(data, torchvision_sources, "test")
    # Past the package and scikit-learn's parameter validation: the caller's line.
    assert [w.filename for w in caught] == [__file__]


@pytest.mark.parametrize("damage", ["truncate", "flip-a-byte"])
def test_corrupted_cache_is_detected_and_rebuilt(torchvision_sources, tmp_path, damage):
    first = _fetch(tmp_path, subset="test", random_state=0)
    path = tmp_path / "image_sources" / "cifar10-test.npz"
    content = bytearray(path.read_bytes())
    if damage == "truncate":
        del content[len(content) // 2:]
    else:
        content[len(content) // 2] ^= 0xFF
    path.write_bytes(bytes(content))

    with (
        pytest.warns(UserWarning, match="truncated or corrupted"),
        pytest.raises(OSError, match="download_if_missing=False"),
    ):
        _fetch(tmp_path, subset="test", download_if_missing=False)
    path.write_bytes(bytes(content))
    with pytest.warns(UserWarning, match="truncated or corrupted") as caught:
        again = _fetch(tmp_path, subset="test", random_state=0)
    assert [w.filename for w in caught] == [__file__]
    assert_array_equal(again.images, first.images)
    assert read_arrays(path, ("images", "labels")) is not None


def test_cache_writes_are_atomic(tmp_path, monkeypatch):
    path = tmp_path / "arrays.npz"
    write_arrays(path, images=np.arange(6).reshape(2, 3), labels=np.array([0, 1]))

    def savez_dies_midway(file, **arrays):
        file.write(b"PK\x03\x04 half of an archive")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", savez_dies_midway)
    with pytest.raises(KeyboardInterrupt):
        write_arrays(path, images=np.zeros((2, 3)), labels=np.array([1, 0]))
    assert os.listdir(tmp_path) == ["arrays.npz"]
    arrays = read_arrays(path, ("images", "labels"))
    assert_array_equal(arrays["images"], np.arange(6).reshape(2, 3))


def test_progress_bars_and_silence(torchvision_sources, tmp_path, capfd):
    fetch_mnist_cifar(data_home=tmp_path / "quiet", subset="test", verbose=0)
    out, err = capfd.readouterr()
    assert out == err == ""
    fetch_mnist_cifar(data_home=tmp_path / "loud", subset="test", verbose=1)
    out, err = capfd.readouterr()
    assert "Downloading MNIST" in err and "Building MNIST-CIFAR" in err
    assert "%" in err


# -- bad options -------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, match",
    [
        ({"mnist_classes": (0, 10)}, "'mnist_classes'.*unknown class 10"),
        ({"mnist_classes": (-1, 1)}, "'mnist_classes'.*unknown class -1"),
        ({"mnist_classes": (0, True)}, "'mnist_classes'.*unknown class True"),
        ({"cifar_classes": (1, "spaceship")}, "'cifar_classes'.*unknown class 'spaceship'"),
        ({"mnist_classes": (0, (0, 1))}, "'mnist_classes'.*both label 0 and label 1"),
        ({"cifar_classes": ("truck", 9)}, "'cifar_classes'.*'truck' to both label 0"),
        ({"cifar_classes": (1, ())}, "'cifar_classes'.*at least one class"),
        ({"mnist_classes": (0,)}, "'mnist_classes'.*at least 2 labels"),
        ({"mnist_classes": (0, 1, 2)}, "'mnist_classes' and 'cifar_classes'.*same number"),
        ({"mnist_classes": 0}, "'mnist_classes'"),
        ({"subset": "validation"}, "'subset'"),
        ({"randomize": "both"}, "'randomize'"),
        ({"n_retries": -1}, "'n_retries'"),
    ],
)
def test_bad_options_give_clear_errors(tmp_path, params, match):
    with pytest.raises(InvalidParameterError, match=match):
        _fetch(tmp_path, **params)
    assert _cached_files(tmp_path) == []


def test_importing_the_datasets_loads_neither_torch_nor_torchvision():
    import subprocess
    import sys

    code = (
        "import sys; import sklearn_sb.datasets; "
        "print('torch' in sys.modules, 'torchvision' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "False"]


# -- end to end --------------------------------------------------------------------


def _train_small_cnn(data, **params):
    import torch

    from sklearn_sb import SBNetClassifier

    return SBNetClassifier(
        "small_cnn", module__channels=(8, 16, 32), optimizer=torch.optim.Adam, lr=3e-3,
        batch_size=32, device="cpu", random_state=0, **params,
    ).fit(data.data, data.target)


def test_small_cnn_relies_on_the_mnist_block(torchvision_sources, tmp_path):
    from sklearn_sb.inspection import randomized_scores

    clf = _train_small_cnn(_fetch(tmp_path, subset="train", random_state=0), max_epochs=10)
    test = _fetch(tmp_path, subset="test", random_state=0)
    table = randomized_scores(clf, test.data, test.target, simple_features=test,
                              n_repeats=5, random_state=0)
    auc = table["roc_auc_mean"]
    assert table.loc["standard", "accuracy_mean"] >= 0.95 and auc["standard"] >= 0.99
    assert auc["S^c-randomized"] >= 0.95
    assert auc["S-randomized"] <= 0.75


def test_the_cifar_block_alone_is_learnable(torchvision_sources, tmp_path):
    # Trained where only the CIFAR block predicts the label, the same network
    # learns it: the CIFAR block is predictive, merely less simple.
    train = _fetch(tmp_path, subset="train", randomize="mnist", random_state=0)
    clf = _train_small_cnn(train, max_epochs=40, target_accuracy=0.98)
    test = _fetch(tmp_path, subset="test", randomize="mnist", random_state=0)
    assert clf.score(test.data, test.target) >= 0.9
