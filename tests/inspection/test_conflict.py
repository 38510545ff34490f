"""make_conflict_data pairs each row's S block with the S^c block of a row of another class."""

import numpy as np
import pytest

from sklearn_sb import make_lms
from sklearn_sb.inspection import make_conflict_data

N_FEATURES = 8


@pytest.fixture(scope="module")
def data():
    return make_lms(600, N_FEATURES, random_state=0, return_X_y=False)


def _unrotated(data, X):
    return X @ data.rotation.T


def _donors(Z, Z_conflict, simple):
    """The row of Z whose S^c block each conflict row carries (asserting there is one)."""
    rest = np.setdiff1d(np.arange(Z.shape[1]), simple)
    distances = np.abs(Z_conflict[:, None, rest] - Z[None, :, rest]).max(axis=2)
    donors = distances.argmin(axis=1)
    np.testing.assert_allclose(distances[np.arange(len(Z)), donors], 0.0, atol=1e-10)
    return donors


@pytest.mark.parametrize("simple", [[0], [0, 3, 4], list(range(6))])
def test_the_s_block_is_unchanged_in_the_unrotated_basis(data, simple):
    X_conflict = make_conflict_data(data.X, data.y, simple_features=simple,
                                    rotation=data.rotation, random_state=0)
    np.testing.assert_allclose(_unrotated(data, X_conflict)[:, simple],
                               _unrotated(data, data.X)[:, simple], atol=1e-10)


@pytest.mark.parametrize("simple", [[0], list(range(6))])
def test_each_s_complement_block_is_a_whole_row_of_the_other_class(data, simple):
    X_conflict = make_conflict_data(data.X, data.y, simple_features=simple,
                                    rotation=data.rotation, random_state=0)
    donors = _donors(_unrotated(data, data.X), _unrotated(data, X_conflict), simple)
    assert np.all(data.y[donors] != data.y)


def test_the_donors_are_spread_over_the_other_class(data):
    X_conflict = make_conflict_data(data.X, data.y, simple_features=data, random_state=0)
    donors = _donors(_unrotated(data, data.X), _unrotated(data, X_conflict), [0])
    assert len(np.unique(donors)) > len(data.y) / 3


def test_with_three_classes_the_donor_is_of_any_other_class():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    y = np.repeat(["a", "b", "c"], 100)
    X_conflict = make_conflict_data(X, y, simple_features=[0], random_state=0)
    donors = _donors(X, X_conflict, [0])
    assert np.all(y[donors] != y)
    for label in "abc":
        assert set(y[donors][y == label]) == set("abc") - {label}


def test_a_dataset_bunch_gives_the_block_and_the_rotation(data):
    from_bunch = make_conflict_data(data.X, data.y, simple_features=data, random_state=0)
    explicit = make_conflict_data(data.X, data.y, simple_features=data.simple_features,
                                  rotation=data.rotation, random_state=0)
    np.testing.assert_array_equal(from_bunch, explicit)


def test_the_same_random_state_draws_the_same_rows(data):
    first, second, other = (
        make_conflict_data(data.X, data.y, simple_features=data, random_state=seed)
        for seed in (0, 0, 1)
    )
    np.testing.assert_array_equal(first, second)
    assert not np.allclose(first, other)


def test_rotating_back_recovers_the_swapped_unrotated_rows(data):
    """X_conflict = Z' @ rotation, with Z' the unrotated rows swapped by hand."""
    X_conflict = make_conflict_data(data.X, data.y, simple_features=data, random_state=0)
    Z = _unrotated(data, data.X)
    donors = _donors(Z, _unrotated(data, X_conflict), [0])
    Z_swapped = Z[donors]
    Z_swapped[:, 0] = Z[:, 0]
    np.testing.assert_allclose(X_conflict, Z_swapped @ data.rotation, atol=1e-10)


def test_unrotated_data_swaps_columns_exactly():
    X = np.array([[-1.0, -10.0, -100.0], [2.0, 20.0, 200.0]])
    X_conflict = make_conflict_data(X, [0, 1], simple_features=[0], random_state=0)
    np.testing.assert_array_equal(X_conflict, [[-1.0, 20.0, 200.0], [2.0, -10.0, -100.0]])


def test_the_input_is_not_modified_and_float32_stays_float32(data):
    X32 = data.X.astype(np.float32)
    kept = X32.copy()
    X_conflict = make_conflict_data(X32, data.y, simple_features=data, random_state=0)
    np.testing.assert_array_equal(X32, kept)
    assert X_conflict.dtype == np.float32
    expected = make_conflict_data(data.X, data.y, simple_features=data, random_state=0)
    np.testing.assert_allclose(X_conflict, expected, atol=1e-5)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"y": np.zeros(600)}, "only the class"),
        ({"y": np.zeros(599)}, "inconsistent numbers of samples"),
        ({"y": np.linspace(0, 1, 600)}, "continuous"),
        ({"simple_features": [N_FEATURES]}, "out of range"),
        ({"simple_features": np.arange(N_FEATURES)}, "S\\^c would be empty"),
        ({"rotation": np.eye(3)}, "3 x 3"),
    ],
)
def test_clear_errors(data, kwargs, message):
    arguments = {"X": data.X, "y": data.y, "simple_features": [0],
                 "rotation": data.rotation, **kwargs}
    with pytest.raises(ValueError, match=message):
        make_conflict_data(**arguments)
