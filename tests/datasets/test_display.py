"""DatasetSamplesDisplay: sample images of every class and group of an image dataset."""

import matplotlib
import numpy as np
import pytest
from sklearn.utils import Bunch
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_sb import make_lms
from sklearn_sb.datasets import DatasetSamplesDisplay, make_dominoes

matplotlib.use("Agg")


def _side(shape, seed):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, shape, dtype=np.uint8), np.arange(shape[0]) % 2


@pytest.fixture(scope="module")
def dominoes():
    return make_dominoes(_side((80, 8, 8), 0), _side((80, 3, 8, 8), 1), top_classes=(0, 1),
                         bottom_classes=(0, 1), correlation=0.75, random_state=0)


def test_one_row_per_class_and_group_with_its_count(dominoes):
    display = DatasetSamplesDisplay.from_dataset(dominoes, n_per_group=3, random_state=0)
    groups = [(row["class"], row["group"]) for row in display.rows_]
    assert groups == [(0, 0), (0, 1), (1, 2), (1, 3)]
    for row in display.rows_:
        rows = (dominoes.target == row["class"]) & (dominoes.groups == row["group"])
        assert row["count"] == rows.sum()
        assert len(row["indices"]) == 3 and rows[row["indices"]].all()
        assert f"({row['count']:,} rows)" in display._row_title(row)
    assert display.axes_.shape == (4, 3)
    # The images shown are the rows', channels last.
    shown = display.axes_[0, 0].get_images()[0].get_array()
    np.testing.assert_allclose(shown, dominoes.images[display.rows_[0]["indices"][0]]
                               .transpose(1, 2, 0))


def test_the_rows_shown_are_drawn_by_random_state(dominoes):
    def indices(seed):
        display = DatasetSamplesDisplay.from_dataset(dominoes, n_per_group=2, random_state=seed)
        return [row["indices"].tolist() for row in display.rows_]

    assert indices(0) == indices(0)
    assert indices(0) != indices(1)


def test_a_group_smaller_than_asked_shows_what_it_has(dominoes):
    display = DatasetSamplesDisplay.from_dataset(dominoes, n_per_group=50, random_state=0)
    minority = display.rows_[1]
    assert len(minority["indices"]) == minority["count"] < 50
    assert not display.axes_[1, -1].axison


def test_groups_by_name_or_array_and_none_without(dominoes):
    by_top = DatasetSamplesDisplay.from_dataset(dominoes, n_per_group=1, groups="top_target")
    assert [(r["class"], r["group"]) for r in by_top.rows_] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    plain = Bunch(images=dominoes.images, target=dominoes.target)
    assert [r["group"] for r in DatasetSamplesDisplay.from_dataset(plain, n_per_group=1).rows_] \
        == [None, None]


@pytest.mark.parametrize("channels", [1, 2, 3])
def test_one_two_and_three_channels_are_shown_as_gray_red_green_and_rgb(channels):
    images = np.random.default_rng(0).random((4, channels, 5, 6))
    display = DatasetSamplesDisplay(images, np.array([0, 0, 1, 1]), n_per_group=2).plot()
    shown = np.asarray(display.axes_[0, 0].get_images()[0].get_array())
    assert shown.shape == ((5, 6) if channels == 1 else (5, 6, 3))
    if channels == 2:
        assert (shown[..., 2] == 0).all()


def test_what_is_not_a_dataset_of_images_is_refused_saying_what_it_needs(dominoes):
    with pytest.raises(ValueError, match="needs a dataset of images.*no 'images'.*"
                                         "return_X_y=False"):
        DatasetSamplesDisplay.from_dataset(make_lms(20, 5, random_state=0, return_X_y=False))
    with pytest.raises(ValueError, match="groups='colour' names no field"):
        DatasetSamplesDisplay.from_dataset(dominoes, groups="colour")
    with pytest.raises(InvalidParameterError, match="n_per_group"):
        DatasetSamplesDisplay.from_dataset(dominoes, n_per_group=0)
    with pytest.raises(ValueError, match="one entry per row"):
        DatasetSamplesDisplay(dominoes.images, dominoes.target[:-1]).plot()
