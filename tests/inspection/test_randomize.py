"""randomize_block moves a whole block of unrotated coordinates by one permutation."""

import numpy as np
import pytest

from sklearn_sb import make_lms
from sklearn_sb.inspection import randomize_block


@pytest.fixture(scope="module")
def data():
    return make_lms(500, 8, random_state=0, return_X_y=False)


@pytest.mark.parametrize("block", [[0], [1, 2, 3], list(range(1, 8)), [0, 5, 6, 7, 1]])
@pytest.mark.parametrize("rotated", [True, False])
def test_block_rows_are_permuted_together_and_the_rest_is_untouched(data, block, rotated):
    rotation = data.rotation if rotated else None
    Z = data.X @ data.rotation.T if rotated else data.X
    permutation = np.random.RandomState(0).permutation(len(Z))
    randomized = randomize_block(data.X, np.array(block), rotation, permutation)
    Z_new = randomized @ data.rotation.T if rotated else randomized
    rest = np.setdiff1d(np.arange(8), block)
    np.testing.assert_allclose(Z_new[:, block], Z[permutation][:, block], atol=1e-12)
    np.testing.assert_allclose(Z_new[:, rest], Z[:, rest], atol=1e-12)


def test_each_block_keeps_its_multiset_of_rows(data):
    Z = data.X @ data.rotation.T
    block = np.arange(1, 8)
    permutation = np.random.RandomState(1).permutation(len(Z))
    Z_new = randomize_block(data.X, block, data.rotation, permutation) @ data.rotation.T
    rows = np.round(Z[:, block], 9)
    new_rows = np.round(Z_new[:, block], 9)
    assert sorted(map(tuple, rows)) == sorted(map(tuple, new_rows))


def test_the_identity_permutation_changes_nothing(data):
    randomized = randomize_block(data.X, np.array([0]), data.rotation, np.arange(500))
    np.testing.assert_allclose(randomized, data.X, atol=1e-12)


def test_labels_and_the_input_are_not_modified(data):
    X = data.X.copy()
    randomize_block(X, np.array([0]), data.rotation, np.arange(500)[::-1])
    np.testing.assert_array_equal(X, data.X)


def test_float32_data_is_randomized_in_float32(data):
    X32 = data.X.astype(np.float32)
    permutation = np.random.RandomState(2).permutation(len(X32))
    for block in ([0], list(range(1, 8))):
        randomized = randomize_block(X32, np.array(block), data.rotation, permutation)
        expected = randomize_block(data.X, np.array(block), data.rotation, permutation)
        assert randomized.dtype == np.float32
        np.testing.assert_allclose(randomized, expected, atol=1e-5)


@pytest.mark.parametrize(
    "layout",
    [
        lambda X: X.astype(">f8"),
        np.asfortranarray,
        lambda X: X[::-1].copy()[::-1],
        lambda X: np.round(X * 10).astype(int),
        lambda X: _read_only(X),
    ],
    ids=["big-endian", "fortran-order", "negative-strides", "integers", "read-only"],
)
def test_any_memory_layout_gives_the_float64_result(data, layout):
    X = layout(data.X.copy())
    assert not np.shares_memory(X, data.X)
    permutation = np.random.RandomState(3).permutation(len(X))
    for block in ([0], list(range(1, 8))):
        randomized = randomize_block(X, np.array(block), data.rotation, permutation)
        expected = randomize_block(
            np.array(X, dtype=np.float64), np.array(block), data.rotation, permutation
        )
        np.testing.assert_array_equal(randomized, expected)


@pytest.mark.parametrize(
    "layout",
    [lambda R: R.astype(">f8"), np.asfortranarray, lambda R: R[::-1].copy()[::-1]],
    ids=["big-endian", "fortran-order", "negative-strides"],
)
def test_any_memory_layout_of_the_rotation_gives_the_same_result(data, layout):
    permutation = np.random.RandomState(5).permutation(len(data.X))
    for block in ([0], list(range(1, 8))):
        randomized = randomize_block(data.X, np.array(block), layout(data.rotation), permutation)
        expected = randomize_block(data.X, np.array(block), data.rotation, permutation)
        np.testing.assert_array_equal(randomized, expected)


def test_the_result_can_be_cast_on_the_way(data):
    permutation = np.random.RandomState(4).permutation(len(data.X))
    for block in ([0], list(range(1, 8))):
        randomized = randomize_block(
            data.X, np.array(block), data.rotation, permutation, dtype=np.float32
        )
        expected = randomize_block(data.X, np.array(block), data.rotation, permutation)
        assert randomized.dtype == np.float32
        np.testing.assert_allclose(randomized, expected, atol=1e-5)


def _read_only(X):
    X.flags.writeable = False
    return X
