"""make_colored_mnist: the IRM construction, environment by environment."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import stats

from sklearn_sb.datasets import make_colored_mnist
from sklearn_sb.utils._param_validation import InvalidParameterError

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
