"""Feature blocks and rotations are checked with errors that name the problem."""

import numpy as np
import pytest

from sklearn_sb.utils._blocks import check_rotation, resolve_block


@pytest.mark.parametrize(
    "features, expected",
    [([0], [0]), (3, [3]), ([4, 1, 1], [1, 4]), ([-1], [4]),
     ([True, False, False, False, True], [0, 4])],
)
def test_blocks_from_indices_and_masks(features, expected):
    np.testing.assert_array_equal(resolve_block(features, 5), expected)


@pytest.mark.parametrize(
    "features, match",
    [
        ([5], "out of range"),
        ([-6], "out of range"),
        ([], "empty"),
        ([False] * 5, "empty"),
        ([True, False], "boolean mask"),
        ([0.5], "integer indices"),
        ("simple", "from_dataset"),
    ],
)
def test_bad_blocks_raise(features, match):
    with pytest.raises(ValueError, match=match):
        resolve_block(features, 5)


@pytest.mark.parametrize(
    "rotation, match",
    [
        (np.ones((3, 4)), "square"),
        (np.ones(3), "square"),
        (np.eye(4), "X has 3 features"),
        (np.full((3, 3), 0.5), "not orthogonal"),
    ],
)
def test_bad_rotations_raise(rotation, match):
    with pytest.raises(ValueError, match=match):
        check_rotation(rotation, 3)


def test_rotation_none_means_unrotated():
    assert check_rotation(None, 3) is None
