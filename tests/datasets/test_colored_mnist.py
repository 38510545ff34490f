"""make_colored_mnist: the IRM construction, environment by environment; fetch_colored_mnist."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import stats

from sklearn_sb.datasets import fetch_colored_mnist, make_colored_mnist
from sklearn_sb.utils._param_validation import InvalidParameterError

from ..conftest import MNIST_COUNTS

N = 6000


@pytest.fixture(scope="module")
def digits_and_images():
    rng = np.random.default_rng(0)
    digits = rng.integers(0, 10, size=N)
    images = rng.integers(1, 256, size=(N, 28, 28), dtype=np.uint8)
    return images, digits


@pytest.fixture(scope="module")
def colored(digits_and_images):
    return make_colored_mnist(*digits_and_images, random_state=0)


def _within_binomial_tolerance(successes, n, p):
    """Two-sided binomial test at level 1e-4: a wrong probability fails it."""
    return stats.binomtest(int(successes), int(n), p).pvalue > 1e-4


def test_rows_are_dealt_into_equal_environments(colored):
    assert_array_equal(np.bincount(colored.groups), [N // 3] * 3)
    assert colored.environments == (0.1, 0.2, 0.9)


@pytest.mark.parametrize("group, e", list(enumerate((0.1, 0.2, 0.9))))
def test_the_colour_agrees_with_the_label_with_probability_one_minus_e(colored, group, e):
    rows = colored.groups == group
    agree = np.sum(colored.color[rows] == colored.target[rows])
    assert _within_binomial_tolerance(agree, rows.sum(), 1 - e)


def test_the_label_is_the_digit_group_flipped_with_probability_label_noise(colored):
    flipped = np.sum(colored.target != (colored.digits < 5))
    assert _within_binomial_tolerance(flipped, N, 0.25)


def test_the_digit_is_halved_and_lies_in_the_colour_channel_only(colored, digits_and_images):
    images, digits = digits_and_images
    assert colored.images.shape == (N, 2, 14, 14) and colored.images.dtype == np.float32
    rows = np.arange(N)
    kept = images[colored.source_index][:, ::2, ::2] / np.float32(255)
    np.testing.assert_allclose(colored.images[rows, colored.color], kept)
    assert not colored.images[rows, 1 - colored.color].any()
    assert_array_equal(colored.digits, digits[colored.source_index])
    assert_array_equal(colored.data, colored.images.reshape(N, -1))


def test_float_images_in_the_unit_interval_give_the_same_data(digits_and_images):
    images, digits = digits_and_images
    as_uint8 = make_colored_mnist(images[:300], digits[:300], random_state=1)
    as_float = make_colored_mnist(images[:300] / 255.0, digits[:300], random_state=1)
    np.testing.assert_allclose(as_float.images, as_uint8.images, atol=1e-6)


def test_the_same_random_state_gives_the_same_data(digits_and_images):
    images, digits = digits_and_images
    first, second = (make_colored_mnist(images[:500], digits[:500], random_state=3)
                     for _ in range(2))
    for key in ("images", "target", "groups", "color", "source_index"):
        assert_array_equal(first[key], second[key])


def test_label_noise_zero_makes_the_shape_fully_predictive(digits_and_images):
    images, digits = digits_and_images
    data = make_colored_mnist(images[:600], digits[:600], label_noise=0.0,
                              environments=(0.0, 1.0), random_state=0)
    assert_array_equal(data.target, data.digits < 5)
    assert_array_equal(data.color[data.groups == 0], data.target[data.groups == 0])
    assert_array_equal(data.color[data.groups == 1], 1 - data.target[data.groups == 1])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"environments": (0.1, 1.5)}, InvalidParameterError,
         r"'environments' parameter of make_colored_mnist must give colour-flip probabilities in \[0, 1\]"),
        ({"environments": ()}, InvalidParameterError, "'environments' parameter"),
        ({"label_noise": -0.1}, InvalidParameterError, "'label_noise' parameter"),
        ({"images": np.zeros((4, 2, 28, 28))}, ValueError, "must be grayscale"),
        ({"images": np.full((4, 28, 28), 2.0)}, ValueError, r"must lie in \[0, 1\]"),
        ({"images": np.full((4, 28, 28), np.nan)}, ValueError, "NaN or infinity"),
        ({"digits": np.arange(3)}, ValueError, r"one class per image: shape \(4,\)"),
        ({"digits": np.array([0, 1, 2, 10])}, ValueError, "integers in 0..9"),
        ({"digits": np.array([0.0, 1.0, 2.0, 3.0])}, ValueError, "integers in 0..9"),
    ],
)
def test_bad_input_is_a_clear_error(kwargs, error, message):
    arguments = {"images": np.zeros((4, 28, 28), dtype=np.uint8), "digits": np.arange(4),
                 **kwargs}
    with pytest.raises(error, match=message):
        make_colored_mnist(**arguments)


# -- fetch_colored_mnist on the served MNIST (see conftest.py) -------------------
#
# The tiny MNIST has 510 training images (MNIST_COUNTS): 85 (510 // 6) form
# the test environment, 425 are dealt into the training environments. The
# binomial checks pool several random states to have enough rows; every draw
# of a label flip or a colour flip is independent across random states.

QUIET = {"verbose": 0, "n_retries": 0, "delay": 0}
N_MNIST_TRAIN = sum(MNIST_COUNTS["train"].values())
N_TEST_ENV = N_MNIST_TRAIN // 6
POOLED_STATES = range(6)


def _fetch_colored(tmp_path, **params):
    return fetch_colored_mnist(data_home=tmp_path, **{**QUIET, **params})


def _pooled(tmp_path, **params):
    """subset='all' for every random state of POOLED_STATES."""
    return [_fetch_colored(tmp_path, subset="all", random_state=seed, **params)
            for seed in POOLED_STATES]


def test_fetch_splits_the_training_images_into_environments(torchvision_sources, tmp_path):
    data = _fetch_colored(tmp_path, subset="all", random_state=0)
    n = N_MNIST_TRAIN
    assert N_MNIST_TRAIN == 510 and N_TEST_ENV == 85
    assert data.images.shape == (n, 2, 14, 14) and data.images.dtype == np.float32
    assert_array_equal(data.data, data.images.reshape(n, -1))
    assert data.environments == (0.1, 0.2, 0.9)
    n_train = n - N_TEST_ENV
    # Training environments first, equal shares; the test environment last.
    assert_array_equal(np.bincount(data.groups),
                       [n_train - n_train // 2, n_train // 2, N_TEST_ENV])
    assert_array_equal(data.groups, np.sort(data.groups))
    # Every MNIST training image exactly once, none of the test images.
    assert_array_equal(np.sort(data.source_index), np.arange(n))
    assert not np.isin(data.source_index[data.groups == 2],
                       data.source_index[data.groups < 2]).any()


def test_fetch_deals_the_training_part_equally_into_every_training_environment(
    torchvision_sources, tmp_path
):
    data = _fetch_colored(tmp_path, subset="all", environments=[0.0, 0.3, 0.6, 1.0],
                          random_state=1)
    n_train = N_MNIST_TRAIN - N_TEST_ENV
    assert_array_equal(np.bincount(data.groups), [142, 142, 141, N_TEST_ENV])
    assert sum(np.bincount(data.groups)[:3]) == n_train
    assert data.environments == (0.0, 0.3, 0.6, 1.0)


def test_fetch_subsets_are_the_rows_of_all_train_first(torchvision_sources, tmp_path):
    everything = _fetch_colored(tmp_path, subset="all", random_state=5)
    train = _fetch_colored(tmp_path, subset="train", random_state=5)
    test = _fetch_colored(tmp_path, subset="test", random_state=5)
    n_train = N_MNIST_TRAIN - N_TEST_ENV
    assert len(train.target) == n_train and len(test.target) == N_TEST_ENV
    assert set(train.groups) == {0, 1} and set(test.groups) == {2}
    for key in ("images", "data", "target", "groups", "color", "digits", "source_index"):
        assert_array_equal(everything[key][:n_train], train[key])
        assert_array_equal(everything[key][n_train:], test[key])
    assert not np.isin(train.source_index, test.source_index).any()
    assert len(np.unique(train.source_index)) == n_train
    assert len(np.unique(test.source_index)) == N_TEST_ENV
    X, y = _fetch_colored(tmp_path, subset="test", random_state=5, return_X_y=True)
    assert_array_equal(X, test.data)
    assert_array_equal(y, test.target)


def test_fetch_images_are_the_halved_mnist_digits_in_the_colour_channel(
    torchvision_sources, tmp_path
):
    data = _fetch_colored(tmp_path, subset="all", random_state=2)
    source_images, source_digits = torchvision_sources.mnist["train"]
    rows = np.arange(len(data.target))
    kept = source_images[data.source_index][:, ::2, ::2].astype(np.float32) / np.float32(255)
    assert_array_equal(data.images[rows, data.color], kept)
    assert not data.images[rows, 1 - data.color].any()
    assert_array_equal(data.digits, source_digits[data.source_index])


def test_fetch_colour_agrees_with_the_label_with_probability_one_minus_e(
    torchvision_sources, tmp_path
):
    pooled = _pooled(tmp_path)
    for group, e in enumerate((0.1, 0.2, 0.9)):
        agree = sum(np.sum(d.color[d.groups == group] == d.target[d.groups == group])
                    for d in pooled)
        n = sum(np.sum(d.groups == group) for d in pooled)
        assert _within_binomial_tolerance(agree, n, 1 - e), (group, agree, n)
        if e == 0.9:
            assert agree / n < 0.2, "the colour misleads in the test environment"


def test_fetch_label_noise_flips_the_digit_group(torchvision_sources, tmp_path):
    for label_noise in (0.25, 0.05):
        pooled = _pooled(tmp_path, label_noise=label_noise)
        flipped = sum(np.sum(d.target != (d.digits < 5)) for d in pooled)
        n = sum(len(d.target) for d in pooled)
        assert _within_binomial_tolerance(flipped, n, label_noise), (label_noise, flipped, n)
        # Per environment too: the noise does not depend on the environment.
        for group in range(3):
            rows = [d.groups == group for d in pooled]
            flipped = sum(np.sum(d.target[r] != (d.digits[r] < 5)) for d, r in zip(pooled, rows))
            assert _within_binomial_tolerance(flipped, sum(r.sum() for r in rows), label_noise)


def test_fetch_extreme_probabilities_are_exact(torchvision_sources, tmp_path):
    data = _fetch_colored(tmp_path, subset="all", environments=(0.0, 1.0, 1.0, 0.0),
                          label_noise=0.0, random_state=3)
    assert_array_equal(data.target, data.digits < 5)
    for group, e in enumerate((0.0, 1.0, 1.0, 0.0)):
        rows = data.groups == group
        assert_array_equal(data.color[rows], data.target[rows] ^ int(e))


def test_fetch_is_deterministic_under_random_state(torchvision_sources, tmp_path):
    first, second = (_fetch_colored(tmp_path, subset="all", random_state=7) for _ in range(2))
    for key in ("images", "target", "groups", "color", "digits", "source_index"):
        assert_array_equal(first[key], second[key])
    other = _fetch_colored(tmp_path, subset="all", random_state=8)
    assert not np.array_equal(first.source_index, other.source_index)


@pytest.mark.parametrize(
    "environments",
    [(0.1,), [0.2], (), (0.1, 1.5), (-0.1, 0.5, 0.9), (0.1, np.nan), (0.1, "a"), 0.5],
)
def test_fetch_bad_environments_are_rejected_before_any_download(
    torchvision_sources, tmp_path, environments
):
    with pytest.raises(InvalidParameterError, match="'environments' parameter"):
        _fetch_colored(tmp_path, environments=environments)
    assert not (tmp_path / "image_sources").exists()
    assert list(tmp_path.iterdir()) == []


def test_fetch_without_cache_and_download_if_missing_false_is_an_oserror(
    torchvision_sources, tmp_path
):
    with pytest.raises(OSError, match="not in the cache"):
        _fetch_colored(tmp_path, download_if_missing=False)
    assert not (tmp_path / "image_sources").exists()
    # Once cached, it works offline.
    _fetch_colored(tmp_path, random_state=0)
    data = _fetch_colored(tmp_path, download_if_missing=False, random_state=0)
    assert len(data.target) == N_MNIST_TRAIN - N_TEST_ENV
