"""Unit tests of the one-dimensional blocks (doc/specification.rst, section 1)."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from sklearn_sb.datasets._blocks import (
    default_slab_probabilities,
    linear_block,
    linear_singleton_block,
    slab_block,
    slab_layout,
    slab_singleton_block,
)

# Specification section 1 (spec-blocks): the reference probabilities, left to right over the
# slabs of each class, as (negatives, positives).
REFERENCE_TABLE = {
    3: ([1.0], [1 / 2, 1 / 2]),
    5: ([1 / 8, 3 / 4, 1 / 8], [1 / 2, 1 / 2]),
    7: ([1 / 4, 1 / 2, 1 / 4], [1 / 16, 7 / 16, 7 / 16, 1 / 16]),
}


# --------------------------------------------------------------------------
# slab_layout
# --------------------------------------------------------------------------


def test_slab_layout_five_slabs_default_margin():
    left_edges, width, labels = slab_layout(5, 0.1)
    slabs = np.column_stack([left_edges, left_edges + width])
    expected = [
        [-1.0, -0.76],
        [-0.56, -0.32],
        [-0.12, 0.12],
        [0.32, 0.56],
        [0.76, 1.0],
    ]
    assert_allclose(slabs, expected, atol=1e-12)
    assert_allclose(width, 0.24, atol=1e-12)
    assert_array_equal(labels, [0, 1, 0, 1, 0])


def test_slab_layout_seven_slabs_matches_design_figures():
    # The specification quotes the 7-slab edges rounded to 4 decimals.
    left_edges, width, labels = slab_layout(7, 0.1)
    slabs = np.column_stack([left_edges, left_edges + width])
    expected = [
        [-1.0, -0.8857],
        [-0.6857, -0.5714],
        [-0.3714, -0.2571],
        [-0.0571, 0.0571],
        [0.2571, 0.3714],
        [0.5714, 0.6857],
        [0.8857, 1.0],
    ]
    assert_allclose(slabs, expected, atol=1e-4)
    assert_array_equal(labels, [1, 0, 1, 0, 1, 0, 1])


@pytest.mark.parametrize(
    "n_slabs, expected_labels",
    [
        (3, [1, 0, 1]),
        (5, [0, 1, 0, 1, 0]),
        (7, [1, 0, 1, 0, 1, 0, 1]),
        (9, [0, 1, 0, 1, 0, 1, 0, 1, 0]),
    ],
)
def test_slab_layout_labels_alternate_with_negative_centre(n_slabs, expected_labels):
    _, _, labels = slab_layout(n_slabs, 0.1)
    assert_array_equal(labels, expected_labels)
    assert labels[n_slabs // 2] == 0
    assert np.all(labels[1:] != labels[:-1])


@pytest.mark.parametrize("n_slabs", [3, 5, 7, 9, 11])
@pytest.mark.parametrize("fraction_of_max_margin", [0.0, 0.1, 0.5, 0.9])
def test_slab_layout_tiles_interval_with_gaps_of_twice_the_margin(
    n_slabs, fraction_of_max_margin
):
    margin = fraction_of_max_margin / (n_slabs - 1)
    left_edges, width, labels = slab_layout(n_slabs, margin)

    assert left_edges.shape == (n_slabs,)
    assert labels.shape == (n_slabs,)
    assert width > 0
    assert_allclose(width, (2 - 2 * (n_slabs - 1) * margin) / n_slabs)
    # First slab starts at -1, last one ends at 1.
    assert_allclose(left_edges[0], -1.0, atol=1e-12)
    assert_allclose(left_edges[-1] + width, 1.0, atol=1e-12)
    # Gaps between neighbours are exactly 2 * margin.
    gaps = left_edges[1:] - (left_edges[:-1] + width)
    assert_allclose(gaps, 2 * margin, atol=1e-12)
    # Widths and gaps add up to the length of [-1, 1].
    assert_allclose(n_slabs * width + (n_slabs - 1) * 2 * margin, 2.0)
    # The layout is symmetric about 0.
    assert_allclose(left_edges + width, -left_edges[::-1], atol=1e-12)


@pytest.mark.parametrize("n_slabs", [3, 5, 7, 9])
def test_slab_layout_with_zero_margin_has_equal_contiguous_slabs(n_slabs):
    left_edges, width, _ = slab_layout(n_slabs, 0.0)
    assert_allclose(width, 2 / n_slabs)
    assert_allclose(left_edges, -1 + 2 / n_slabs * np.arange(n_slabs), atol=1e-12)


# --------------------------------------------------------------------------
# default_slab_probabilities
# --------------------------------------------------------------------------


@pytest.mark.parametrize("n_slabs", sorted(REFERENCE_TABLE))
def test_default_slab_probabilities_match_reference_table(n_slabs):
    negatives, positives = default_slab_probabilities(n_slabs)
    expected_negatives, expected_positives = REFERENCE_TABLE[n_slabs]
    assert_allclose(negatives, expected_negatives, rtol=0, atol=1e-15)
    assert_allclose(positives, expected_positives, rtol=0, atol=1e-15)


@pytest.mark.parametrize("n_slabs", [3, 5, 7, 9, 11, 13])
def test_default_slab_probabilities_have_one_entry_per_slab_of_each_class(n_slabs):
    _, _, labels = slab_layout(n_slabs, 0.1)
    negatives, positives = default_slab_probabilities(n_slabs)
    assert len(negatives) == np.sum(labels == 0)
    assert len(positives) == np.sum(labels == 1)
    for probs in (negatives, positives):
        assert np.all(np.asarray(probs) >= 0)
        assert_allclose(np.sum(probs), 1.0)


@pytest.mark.parametrize(
    "n_slabs, n_negative, n_positive", [(9, 5, 4), (11, 5, 6), (13, 7, 6)]
)
def test_default_slab_probabilities_are_equal_without_reference(
    n_slabs, n_negative, n_positive
):
    negatives, positives = default_slab_probabilities(n_slabs)
    assert_allclose(negatives, np.full(n_negative, 1 / n_negative))
    assert_allclose(positives, np.full(n_positive, 1 / n_positive))


# --------------------------------------------------------------------------
# The samplers, on a deterministic grid of uniforms (inverse CDF)
# --------------------------------------------------------------------------


def _transform(block, u, y):
    u = np.asarray(u, dtype=float).reshape(-1, 1).copy()
    return block.transform(u, np.asarray(y))[:, 0]


def test_linear_block_maps_uniforms_to_class_intervals():
    margin = 0.1
    block = linear_block(margin)
    assert block.kind == "linear"
    u = np.array([0.0, 0.25, 0.5, 0.999999])
    negatives = _transform(block, u, np.zeros(4, dtype=int))
    positives = _transform(block, u, np.ones(4, dtype=int))
    # Inverse CDF of Uniform[-1, -m] and of Uniform[m, 1].
    assert_allclose(negatives, -1 + (1 - margin) * u)
    assert_allclose(positives, margin + (1 - margin) * u)


def test_linear_block_kind_can_be_renamed():
    assert linear_block(0.1, kind="noisy-linear").kind == "noisy-linear"


def test_slab_block_maps_uniforms_to_slabs_by_probability():
    margin = 0.1
    block = slab_block(5, margin, default_slab_probabilities(5))
    assert block.kind == "slab-5"
    # Negatives: slab 0 on u in [0, 1/8), slab 2 on [1/8, 7/8), slab 4 on
    # [7/8, 1); each slab is covered linearly from its left edge.
    u = np.array([0.0, 1 / 16, 1 / 8, 1 / 2, 7 / 8, 15 / 16])
    assert_allclose(
        _transform(block, u, np.zeros(6, dtype=int)),
        [-1.0, -0.88, -0.12, 0.0, 0.76, 0.88],
        atol=1e-12,
    )
    # Positives: slab 1 on [0, 1/2), slab 3 on [1/2, 1).
    u = np.array([0.0, 0.25, 0.5, 0.75])
    assert_allclose(
        _transform(block, u, np.ones(4, dtype=int)),
        [-0.56, -0.44, 0.32, 0.44],
        atol=1e-12,
    )


def test_slab_block_skips_slabs_of_probability_zero():
    block = slab_block(5, 0.1, ((0.0, 1.0, 0.0), (1.0, 0.0)))
    u = np.linspace(0, 0.999, 50)
    negatives = _transform(block, u, np.zeros(50, dtype=int))
    positives = _transform(block, u, np.ones(50, dtype=int))
    assert np.all((negatives >= -0.12 - 1e-12) & (negatives <= 0.12 + 1e-12))
    assert np.all((positives >= -0.56 - 1e-12) & (positives <= -0.32 + 1e-12))


def test_transform_handles_several_columns_and_mixed_labels():
    block = linear_block(0.2)
    u = np.full((4, 3), 0.5)
    y = np.array([0, 1, 1, 0])
    out = block.transform(u, y)
    expected = np.where(y[:, None] == 1, 0.2 + 0.8 * 0.5, -1 + 0.8 * 0.5)
    assert_allclose(out, np.broadcast_to(expected, (4, 3)))


@pytest.mark.parametrize("margin", [0.5, 1.0, 3.0])
def test_linear_singleton_block_is_plus_or_minus_margin(margin):
    block = linear_singleton_block(margin)
    u = np.linspace(0, 0.999, 20)
    assert_array_equal(_transform(block, u, np.zeros(20, dtype=int)), -margin)
    assert_array_equal(_transform(block, u, np.ones(20, dtype=int)), margin)


@pytest.mark.parametrize("margin", [0.5, 1.0, 3.0])
def test_slab_singleton_block_puts_negatives_at_zero_positives_at_plus_minus(margin):
    block = slab_singleton_block(margin)
    assert block.kind == "slab-3"
    u = np.array([0.0, 0.25, 0.4999, 0.5, 0.75, 0.999])
    assert_array_equal(_transform(block, u, np.zeros(6, dtype=int)), 0.0)
    assert_array_equal(
        _transform(block, u, np.ones(6, dtype=int)),
        [-margin, -margin, -margin, margin, margin, margin],
    )
