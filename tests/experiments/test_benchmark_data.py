"""The benchmark's rows: side data, selection sets, groups and knobs, from the seed alone."""

import numpy as np
import pytest

from sklearn_sb.experiments._benchmark_data import (
    KNOBS,
    SIZES,
    benchmark_data,
    check_knobs,
)


@pytest.fixture(scope="module")
def lms5():
    return benchmark_data("lms5", "quick", 3)


def test_a_cells_data_depends_on_its_dataset_size_and_seed_only(lms5):
    again, other = benchmark_data("lms5", "quick", 3), benchmark_data("lms5", "quick", 4)
    np.testing.assert_array_equal(lms5.X_train, again.X_train)
    np.testing.assert_array_equal(lms5.side_data["X_ood"], again.side_data["X_ood"])
    np.testing.assert_array_equal(lms5.selection_sets["decorrelated test"].X,
                                  again.selection_sets["decorrelated test"].X)
    assert not np.array_equal(lms5.X_train, other.X_train)
    size = SIZES["quick"]
    assert len(lms5.X_train) == size.n_train and len(lms5.X_test) == size.n_test
    # Two different permutations of S over the same reserve rows.
    assert not np.array_equal(lms5.side_data["X_ood"], lms5.side_data["X_val"])


def test_the_selection_sets_are_the_reserve_rows_and_the_decorrelated_test_rows(lms5):
    sets = lms5.selection_sets
    assert set(sets) == {"decorrelated test", "decorrelated validation",
                         "in-distribution validation"}
    np.testing.assert_array_equal(sets["decorrelated validation"].X, lms5.side_data["X_val"])
    np.testing.assert_array_equal(sets["decorrelated validation"].y, lms5.side_data["y_val"])
    in_distribution = sets["in-distribution validation"]
    assert len(in_distribution.y) == SIZES["quick"].n_side
    # 100 %-correlated training rows: every in-distribution group agrees.
    np.testing.assert_array_equal(in_distribution.groups, 3 * in_distribution.y)
    np.testing.assert_array_equal(sets["decorrelated test"].y, lms5.y_test)


def _s_side(data, X):
    """The label the unrotated linear coordinate S of ``X`` points to."""
    return (X @ data.blocks.rotation.T)[:, 0] > 0


def test_decorrelated_groups_are_the_label_and_where_the_permuted_s_points(lms5):
    for name in ("decorrelated test", "decorrelated validation"):
        rows = lms5.selection_sets[name]
        np.testing.assert_array_equal(rows.groups, 2 * rows.y + _s_side(lms5, rows.X))
        # S permuted across rows: about half of each label's rows disagree.
        assert 0.4 < np.mean(rows.groups % 2 != rows.y) < 0.6


def test_the_correlation_knob_makes_minority_groups_in_training_selection_and_test_rows():
    data = benchmark_data("lms5", "quick", 0, knobs={"correlation": 0.9})
    assert data.knobs == {"correlation": 0.9}
    assert np.mean(_s_side(data, data.X_train) != data.y_train) == pytest.approx(0.1, abs=0.02)
    in_distribution = data.selection_sets["in-distribution validation"]
    assert np.mean(in_distribution.groups % 2 != in_distribution.y) == \
        pytest.approx(0.1, abs=0.03)
    np.testing.assert_array_equal(data.groups_test % 2, _s_side(data, data.X_test))


def test_label_noise_flips_that_share_of_training_labels_only():
    clean = benchmark_data("ms57", "quick", 1)
    noisy = benchmark_data("ms57", "quick", 1, knobs={"label_noise": 0.2})
    np.testing.assert_array_equal(clean.X_train, noisy.X_train)
    assert np.mean(clean.y_train != noisy.y_train) == 0.2
    np.testing.assert_array_equal(clean.y_test, noisy.y_test)
    np.testing.assert_array_equal(clean.side_data["y_val"], noisy.side_data["y_val"])


def test_the_training_groups_are_label_and_s_label_and_follow_flipped_labels():
    data = benchmark_data("lms5", "quick", 0, knobs={"correlation": 0.9})
    groups = data.side_data["groups"]
    np.testing.assert_array_equal(groups, 2 * data.y_train + _s_side(data, data.X_train))
    noisy = benchmark_data("lms5", "quick", 0, knobs={"correlation": 0.9, "label_noise": 0.2})
    np.testing.assert_array_equal(noisy.side_data["groups"],
                                  2 * noisy.y_train + _s_side(noisy, noisy.X_train))
    assert not np.array_equal(noisy.side_data["groups"], groups)


def test_knobs_are_checked_and_apply_only_where_they_mean_something():
    with pytest.raises(ValueError, match="Unknown knobs \\['temperature'\\]"):
        check_knobs({"temperature": 1})
    with pytest.raises(ValueError, match="'correlation' is a share in \\[0, 1\\]"):
        check_knobs({"correlation": 1.5})
    with pytest.raises(ValueError, match="below 0.5"):
        check_knobs({"label_noise": 0.5})
    with pytest.raises(ValueError, match="do not apply to 'ms57'"):
        benchmark_data("ms57", "quick", 0, knobs={"n_slabs": 7})
    assert not KNOBS["margin"].applies_to("mnist-cifar")
    assert KNOBS["correlation"].applies_to("mnist-cifar")


def test_the_slab_knobs_change_the_complex_coordinates():
    seven = benchmark_data("lms5", "quick", 0, knobs={"n_slabs": 7})
    assert list(seven.blocks.feature_info[:2]) == ["linear", "slab-7"]
    narrow = benchmark_data("ms57", "quick", 0, knobs={"margin": 0.05})
    assert narrow.blocks.parameters["margin"] == 0.05
