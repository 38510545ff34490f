"""Tests of the synthetic datasets: make_lms, make_slabs, make_lsn.

The expectations come from the specification, sections 1 and 2
(doc/specification.rst, spec-blocks and spec-datasets). Every distributional
statement is checked in the unrotated basis ``Z = X @ rotation.T``, on large
datasets generated once per module.
"""

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats
from sklearn.utils import Bunch
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_sb import make_lms, make_lsn, make_slabs

# Smallest p-value accepted by the goodness-of-fit tests. The data come from
# fixed seeds, so every test is deterministic.
P_MIN = 1e-4
# Tolerance on the supports: Z = X @ rotation.T is exact up to rounding.
TOL = 1e-9

N_BIG = 200_000
N_FEATURES_BIG = 5
# Coordinate 0 (S) and two complex coordinates (S^c).
CHECKED_COORDINATES = (0, 1, 4)

# Specification section 1 (spec-blocks): reference slab probabilities, left to right over the
# slabs of each class, as (negatives, positives).
REFERENCE_TABLE = {
    3: ((1.0,), (1 / 2, 1 / 2)),
    5: ((1 / 8, 3 / 4, 1 / 8), (1 / 2, 1 / 2)),
    7: ((1 / 4, 1 / 2, 1 / 4), (1 / 16, 7 / 16, 7 / 16, 1 / 16)),
}
EQUAL_9 = ((1 / 5,) * 5, (1 / 4,) * 4)

FUNCTIONS = [make_lms, make_slabs, make_lsn]


def _unrotated(data):
    """Z, the data in the basis of its blocks (X itself when not rotated)."""
    return data.X if data.rotation is None else data.X @ data.rotation.T


# --------------------------------------------------------------------------
# The specification, written out independently of the package
# --------------------------------------------------------------------------


def design_slabs(n_slabs, margin):
    """The slabs of the specification, left to right, as (low, high, label)."""
    width = (2 - 2 * (n_slabs - 1) * margin) / n_slabs
    slabs = []
    for i in range(n_slabs):
        low = -1 + i * (width + 2 * margin)
        label = abs(i - n_slabs // 2) % 2  # centre negative, alternating
        slabs.append((low, low + width, label))
    return slabs


@dataclass(frozen=True)
class Linear:
    """Positives uniform on [m, 1], negatives on [-1, -m]."""

    margin: float = 0.1

    def intervals(self, label):
        m = self.margin
        return [(m, 1.0)] if label == 1 else [(-1.0, -m)]

    def probabilities(self, label):
        return (1.0,)


@dataclass(frozen=True)
class Slab:
    """k slabs; probabilities default to the reference table."""

    n_slabs: int
    margin: float = 0.1
    probs: tuple = None

    def intervals(self, label):
        return [
            (low, high)
            for low, high, slab_label in design_slabs(self.n_slabs, self.margin)
            if slab_label == label
        ]

    def probabilities(self, label):
        probs = self.probs if self.probs is not None else REFERENCE_TABLE[self.n_slabs]
        return probs[label]


@dataclass(frozen=True)
class NoisyLinear:
    margin: float = 0.1
    noise: float = 0.1


# name: (function, keyword arguments, seed, spec of coordinate 0, spec of the rest)
CASES = {
    "LMS-5": (make_lms, dict(n_slabs=5), 0, Linear(), Slab(5)),
    "LMS-7": (make_lms, dict(n_slabs=7), 1, Linear(), Slab(7)),
    "MS-(5,7)": (make_slabs, dict(n_slabs=(5, 7)), 2, Slab(5), Slab(7)),
    "MS-5": (make_slabs, dict(n_slabs=5), 3, Slab(5), Slab(5)),
    "noisy LMS-7": (make_lms, dict(n_slabs=7, noise=0.1), 4, NoisyLinear(), Slab(7)),
    "LMS-9 (equal probabilities)": (
        make_lms, dict(n_slabs=9), 5, Linear(), Slab(9, probs=EQUAL_9),
    ),
    "LMS-3": (make_lms, dict(n_slabs=3), 6, Linear(), Slab(3)),
    "LMS-5 margin 0.05": (
        make_lms, dict(n_slabs=5, margin=0.05), 7, Linear(0.05), Slab(5, 0.05),
    ),
    "MS-(3,7) margin 0.15": (
        make_slabs, dict(n_slabs=(3, 7), margin=0.15), 8, Slab(3, 0.15), Slab(7, 0.15),
    ),
    "LMS-5 custom probabilities": (
        make_lms,
        dict(n_slabs=5, slab_probabilities={5: ((0.2, 0.3, 0.5), (0.9, 0.1))}),
        9,
        Linear(),
        Slab(5, probs=((0.2, 0.3, 0.5), (0.9, 0.1))),
    ),
    "MS-(3,7) override of the 3-slab only": (
        make_slabs,
        dict(n_slabs=(3, 7), slab_probabilities={3: ((1.0,), (0.25, 0.75))}),
        10,
        Slab(3, probs=((1.0,), (0.25, 0.75))),
        Slab(7),
    ),
    "LMS-7 with zero-probability slabs": (
        make_lms,
        dict(n_slabs=7, slab_probabilities={7: ([0, 1, 0], [0.5, 0, 0, 0.5])}),
        11,
        Linear(),
        Slab(7, probs=((0.0, 1.0, 0.0), (0.5, 0.0, 0.0, 0.5))),
    ),
}


def spec_of(case, coordinate):
    _, _, _, first, rest = CASES[case]
    return first if coordinate == 0 else rest


def coordinate_cases(kind):
    return [
        pytest.param(case, j, id=f"{case}-z{j}")
        for case in CASES
        for j in CHECKED_COORDINATES
        if isinstance(spec_of(case, j), kind)
    ]


@pytest.fixture(scope="module")
def big_data():
    """``get(case) -> (Z, y, bunch)``, generated once per case."""
    cache = {}

    def get(case):
        if case not in cache:
            function, kwargs, seed, _, _ = CASES[case]
            data = function(
                N_BIG, N_FEATURES_BIG, random_state=seed, return_X_y=False, **kwargs
            )
            cache[case] = (data.X @ data.rotation.T, data.y, data)
        return cache[case]

    return get


def slab_index(z, intervals, tol=TOL):
    """Index of the interval holding each value, -1 where none does."""
    index = np.full(z.shape, -1)
    for i, (low, high) in enumerate(intervals):
        index[(z >= low - tol) & (z <= high + tol)] = i
    return index


def assert_uniform(values, low, high):
    position = (values - low) / (high - low)
    assert stats.kstest(position, "uniform").pvalue > P_MIN


# --------------------------------------------------------------------------
# Slab and linear coordinates, in the unrotated basis
# --------------------------------------------------------------------------


@pytest.mark.parametrize("label", [0, 1])
@pytest.mark.parametrize("case, coordinate", coordinate_cases((Slab, Linear)))
def test_support_lies_in_the_class_intervals(big_data, case, coordinate, label):
    Z, y, _ = big_data(case)
    z = Z[y == label, coordinate]
    spec = spec_of(case, coordinate)
    assert np.all(slab_index(z, spec.intervals(label)) >= 0)
    assert np.all(np.abs(z) <= 1 + TOL)


@pytest.mark.parametrize("label", [0, 1])
@pytest.mark.parametrize("case, coordinate", coordinate_cases(Slab))
def test_slab_probabilities_match_the_specification(big_data, case, coordinate, label):
    Z, y, _ = big_data(case)
    z = Z[y == label, coordinate]
    spec = spec_of(case, coordinate)
    probs = np.asarray(spec.probabilities(label))
    counts = np.bincount(slab_index(z, spec.intervals(label)), minlength=len(probs))
    assert len(counts) == len(probs)
    # Slabs of probability zero are never used.
    assert np.all(counts[probs == 0] == 0)
    used = probs > 0
    if used.sum() == 1:
        assert counts[used][0] == len(z)
    else:
        expected = len(z) * probs[used]
        assert stats.chisquare(counts[used], expected).pvalue > P_MIN


@pytest.mark.parametrize("label", [0, 1])
@pytest.mark.parametrize("case, coordinate", coordinate_cases(Slab))
def test_values_are_uniform_within_each_slab(big_data, case, coordinate, label):
    Z, y, _ = big_data(case)
    z = Z[y == label, coordinate]
    spec = spec_of(case, coordinate)
    intervals = spec.intervals(label)
    index = slab_index(z, intervals)
    for i, prob in enumerate(spec.probabilities(label)):
        if prob > 0:
            assert_uniform(z[index == i], *intervals[i])


@pytest.mark.parametrize("case, coordinate", coordinate_cases(Linear))
def test_linear_coordinate_is_uniform_on_the_class_half_lines(
    big_data, case, coordinate
):
    Z, y, _ = big_data(case)
    m = spec_of(case, coordinate).margin
    positives, negatives = Z[y == 1, coordinate], Z[y == 0, coordinate]
    assert positives.min() >= m - TOL and positives.max() <= 1 + TOL
    assert negatives.min() >= -1 - TOL and negatives.max() <= -m + TOL
    assert_uniform(positives, m, 1)
    assert_uniform(negatives, -1, -m)
    # The sign rule: a single threshold at 0 separates the classes.
    assert_array_equal(np.sign(Z[:, coordinate]), 2 * y - 1)


def _cell(z, spec, label):
    """Discretize a coordinate: which interval, and which half of it."""
    intervals = spec.intervals(label)
    index = slab_index(z, intervals)
    low = np.array([lo for lo, _ in intervals])[index]
    high = np.array([hi for _, hi in intervals])[index]
    upper_half = (z - low) / (high - low) >= 0.5
    return 2 * index + upper_half


@pytest.mark.parametrize("label", [0, 1])
@pytest.mark.parametrize("pair", [(0, 1), (1, 4)])
@pytest.mark.parametrize(
    "case", [c for c in CASES if not isinstance(CASES[c][3], NoisyLinear)]
)
def test_coordinates_are_independent_given_the_label(big_data, case, pair, label):
    Z, y, _ = big_data(case)
    a, b = pair
    cell_a = _cell(Z[y == label, a], spec_of(case, a), label)
    cell_b = _cell(Z[y == label, b], spec_of(case, b), label)
    table = np.zeros((cell_a.max() + 1, cell_b.max() + 1))
    np.add.at(table, (cell_a, cell_b), 1)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    assert stats.chi2_contingency(table).pvalue > P_MIN


def test_reference_probabilities_in_design_figures(big_data):
    # The specification: for 5-slab, negatives in [-0.12, 0.12] w.p. 3/4 and in
    # ±[0.76, 1.0] w.p. 1/8 each; positives in ±[0.32, 0.56] w.p. 1/2 each.
    Z, y, _ = big_data("LMS-5")
    z = Z[:, 1]
    negatives, positives = z[y == 0], z[y == 1]
    assert np.mean(np.abs(negatives) <= 0.12 + TOL) == pytest.approx(3 / 4, abs=0.01)
    assert np.mean(negatives >= 0.76 - TOL) == pytest.approx(1 / 8, abs=0.01)
    assert np.mean(negatives <= -0.76 + TOL) == pytest.approx(1 / 8, abs=0.01)
    assert np.all((np.abs(positives) >= 0.32 - TOL) & (np.abs(positives) <= 0.56 + TOL))
    assert np.mean(positives > 0) == pytest.approx(1 / 2, abs=0.01)


# --------------------------------------------------------------------------
# Noisy LMS
# --------------------------------------------------------------------------


def _noisy_rows(Z, margin):
    return np.abs(Z[:, 0]) <= margin + TOL


def best_threshold_accuracy(z, y):
    """Best accuracy of a rule ``z > t`` (either orientation) over all t."""
    labels = y[np.argsort(z, kind="stable")]
    negatives_below = np.concatenate([[0], np.cumsum(labels == 0)])
    positives_above = labels.sum() - np.concatenate([[0], np.cumsum(labels == 1)])
    accuracy = (negatives_below + positives_above) / len(y)
    return max(accuracy.max(), 1 - accuracy.min())


def test_noisy_lms_has_exactly_round_p_n_noisy_rows(big_data):
    Z, _, _ = big_data("noisy LMS-7")
    assert _noisy_rows(Z, 0.1).sum() == round(0.1 * N_BIG)


@pytest.mark.parametrize(
    "n_samples, noise", [(1234, 0.1), (999, 0.37), (40, 1.0), (10, 0.01), (57, 0.5)]
)
@pytest.mark.parametrize("rotate", [False, True])
def test_noisy_row_count_is_round_p_n(n_samples, noise, rotate):
    margin = 0.1
    data = make_lms(
        n_samples, 4, n_slabs=5, noise=noise, rotate=rotate, random_state=0,
        return_X_y=False,
    )
    Z = _unrotated(data)
    assert _noisy_rows(Z, margin).sum() == round(noise * n_samples)


def test_noisy_values_are_uniform_and_label_independent(big_data):
    Z, y, _ = big_data("noisy LMS-7")
    m = 0.1
    noisy = _noisy_rows(Z, m)
    z = Z[noisy, 0]
    assert z.min() >= -m - TOL and z.max() <= m + TOL
    assert_uniform(z, -m, m)
    # Same distribution in both classes.
    assert stats.ks_2samp(z[y[noisy] == 0], z[y[noisy] == 1]).pvalue > P_MIN
    # Noisy rows are chosen regardless of the label: the number of positives
    # among them is hypergeometric.
    n_noisy, n_positive_noisy = noisy.sum(), y[noisy].sum()
    law = stats.hypergeom(N_BIG, y.sum(), n_noisy)
    p_value = 2 * min(law.cdf(n_positive_noisy), law.sf(n_positive_noisy - 1))
    assert p_value > P_MIN


def test_noisy_lms_clean_rows_follow_the_linear_rule(big_data):
    Z, y, _ = big_data("noisy LMS-7")
    m = 0.1
    clean = ~_noisy_rows(Z, m)
    z, labels = Z[clean, 0], y[clean]
    assert_array_equal(np.sign(z), 2 * labels - 1)
    assert np.all((np.abs(z) >= m - TOL) & (np.abs(z) <= 1 + TOL))
    assert_uniform(z[labels == 1], m, 1)
    assert_uniform(z[labels == 0], -1, -m)


def test_noisy_lms_slab_coordinates_still_separate_noisy_rows(big_data):
    Z, y, _ = big_data("noisy LMS-7")
    noisy = _noisy_rows(Z, 0.1)
    for label in (0, 1):
        z = Z[noisy & (y == label), 1]
        assert np.all(slab_index(z, Slab(7).intervals(label)) >= 0)


def test_noisy_lms_7_best_linear_accuracy_is_one_minus_half_noise(big_data):
    Z, y, _ = big_data("noisy LMS-7")
    assert best_threshold_accuracy(Z[:, 0], y) == pytest.approx(1 - 0.1 / 2, abs=0.005)


@pytest.mark.parametrize("noise", [0.3, 0.6])
def test_best_linear_accuracy_follows_noise_level(noise):
    data = make_lms(N_BIG, 2, n_slabs=5, noise=noise, random_state=12, return_X_y=False)
    Z = _unrotated(data)
    accuracy = best_threshold_accuracy(Z[:, 0], data.y)
    assert accuracy == pytest.approx(1 - noise / 2, abs=0.005)


def test_lms_without_noise_is_linearly_separable_on_coordinate_zero(big_data):
    Z, y, _ = big_data("LMS-5")
    assert best_threshold_accuracy(Z[:, 0], y) == 1.0


# --------------------------------------------------------------------------
# LSN
# --------------------------------------------------------------------------


N_LSN = 50_000


@pytest.fixture(scope="module")
def lsn():
    return make_lsn(N_LSN, 6, random_state=0, return_X_y=False)


@pytest.mark.parametrize("linear_margin", [1.0, 0.25, 3.0])
def test_lsn_linear_coordinate_is_exactly_signed_margin(linear_margin):
    X, y = make_lsn(1000, 4, linear_margin=linear_margin, random_state=1)
    assert_array_equal(X[:, 0], (2 * y - 1) * linear_margin)


@pytest.mark.parametrize("slab_margin", [1.0, 0.4, 2.0])
def test_lsn_slab_coordinate_is_zero_or_plus_minus_margin(slab_margin):
    X, y = make_lsn(N_LSN, 3, slab_margin=slab_margin, random_state=2)
    negatives, positives = X[y == 0, 1], X[y == 1, 1]
    assert_array_equal(negatives, 0.0)
    assert_array_equal(np.abs(positives), slab_margin)
    n_plus = np.sum(positives > 0)
    assert stats.binomtest(n_plus, len(positives), 0.5).pvalue > P_MIN


def test_lsn_default_margins_are_one(lsn):
    assert_array_equal(lsn.X[:, 0], 2 * lsn.y - 1)
    assert set(np.unique(lsn.X[lsn.y == 1, 1])) == {-1.0, 1.0}


@pytest.mark.parametrize("coordinate", [2, 3, 4, 5])
def test_lsn_noise_coordinates_are_standard_gaussian(lsn, coordinate):
    z = lsn.X[:, coordinate]
    assert stats.kstest(z, "norm").pvalue > P_MIN
    # Independent of the label.
    assert stats.ks_2samp(z[lsn.y == 0], z[lsn.y == 1]).pvalue > P_MIN
    assert stats.pearsonr(z, lsn.y).pvalue > P_MIN


def test_lsn_noise_coordinates_have_zero_mean_and_unit_variance(lsn):
    noise = lsn.X[:, 2:]
    # Five standard errors: sd(mean) = 1/sqrt(n), sd(variance) = sqrt(2/n).
    assert np.all(np.abs(noise.mean(axis=0)) < 5 / np.sqrt(N_LSN))
    assert np.all(np.abs(noise.var(axis=0) - 1) < 5 * np.sqrt(2 / N_LSN))


def test_lsn_noise_coordinates_are_uncorrelated(lsn):
    correlation = np.corrcoef(lsn.X[:, 2:], rowvar=False)
    off_diagonal = correlation[~np.eye(len(correlation), dtype=bool)]
    assert np.all(np.abs(off_diagonal) < 5 / np.sqrt(N_LSN))


def test_lsn_does_not_rotate_by_default(lsn):
    assert lsn.rotation is None
    assert lsn.parameters["rotate"] is False


def test_lsn_rotate_true_applies_an_orthogonal_rotation():
    data = make_lsn(
        2000, 6, linear_margin=0.5, slab_margin=2.0, rotate=True, random_state=3,
        return_X_y=False,
    )
    R = data.rotation
    assert_allclose(R @ R.T, np.eye(6), atol=1e-10)
    assert not np.allclose(R, np.eye(6))
    Z = data.X @ R.T
    assert_allclose(Z[:, 0], (2 * data.y - 1) * 0.5, atol=1e-12)
    assert_allclose(np.abs(Z[:, 1]), 2.0 * data.y, atol=1e-12)
    assert not np.allclose(data.X[:, 0], Z[:, 0])


# --------------------------------------------------------------------------
# Rotation
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "function, kwargs",
    [(make_lms, {}), (make_slabs, {"n_slabs": (5, 7)}), (make_lsn, {"rotate": True})],
)
@pytest.mark.parametrize("n_features", [2, 5, 50])
def test_rotation_is_orthogonal(function, kwargs, n_features):
    data = function(10, n_features, random_state=0, return_X_y=False, **kwargs)
    R = data.rotation
    assert R.shape == (n_features, n_features)
    assert_allclose(R @ R.T, np.eye(n_features), atol=1e-10)
    assert_allclose(R.T @ R, np.eye(n_features), atol=1e-10)
    assert_allclose(np.abs(np.linalg.det(R)), 1.0, atol=1e-10)


def test_rotated_lms_recovers_its_block_structure():
    data = make_lms(5000, 20, n_slabs=5, random_state=4, return_X_y=False)
    Z = _unrotated(data)
    # The returned data is genuinely rotated ...
    assert not np.allclose(data.X, Z)
    # ... and un-rotating it gives back the blocks exactly.
    assert_array_equal(np.sign(Z[:, 0]), 2 * data.y - 1)
    assert np.all((np.abs(Z[:, 0]) >= 0.1 - TOL) & (np.abs(Z[:, 0]) <= 1 + TOL))
    for label in (0, 1):
        index = slab_index(Z[data.y == label, 1:], Slab(5).intervals(label))
        assert np.all(index >= 0)


@pytest.mark.parametrize(
    "function, kwargs", [(make_lms, {}), (make_slabs, {}), (make_lsn, {})]
)
def test_rotate_false_returns_the_unrotated_data(function, kwargs):
    data = function(200, 6, rotate=False, random_state=5, return_X_y=False, **kwargs)
    assert data.rotation is None
    if function is not make_lsn:
        assert np.all(np.abs(data.X) <= 1)
    if function is make_lms:
        assert_array_equal(np.sign(data.X[:, 0]), 2 * data.y - 1)


GENERATORS = [(make_lms, {}), (make_slabs, {"n_slabs": (5, 7)}), (make_lsn, {"rotate": True})]


@pytest.mark.parametrize("function, kwargs", GENERATORS)
def test_a_given_rotation_with_the_same_seed_gives_the_same_data(function, kwargs):
    data = function(300, 6, random_state=0, return_X_y=False, **kwargs)
    again = function(300, 6, random_state=0, rotation=data.rotation, return_X_y=False,
                     **kwargs)
    assert_array_equal(again.X, data.X)
    assert_array_equal(again.y, data.y)
    assert_array_equal(again.rotation, data.rotation)


@pytest.mark.parametrize("function, kwargs", GENERATORS)
def test_a_given_rotation_draws_more_data_of_the_same_distribution(function, kwargs):
    data = function(300, 6, random_state=0, return_X_y=False, **kwargs)
    more = function(300, 6, random_state=1, rotation=data.rotation, return_X_y=False,
                    **kwargs)
    assert_array_equal(more.rotation, data.rotation)
    assert not np.allclose(more.X, data.X)
    # Unrotated, the new rows are those seed 1 draws with a rotation of its own.
    own = function(300, 6, random_state=1, return_X_y=False, **kwargs)
    assert_allclose(more.X @ data.rotation.T, own.X @ own.rotation.T, atol=1e-12)
    assert_array_equal(more.y, own.y)


def test_an_orthogonal_matrix_of_any_origin_rotates_the_data():
    Q = np.linalg.qr(np.random.default_rng(0).standard_normal((6, 6)))[0]
    data = make_lms(200, 6, random_state=3, rotation=Q, return_X_y=False)
    assert_array_equal(data.rotation, Q)
    assert_array_equal(np.sign((data.X @ Q.T)[:, 0]), 2 * data.y - 1)


@pytest.mark.parametrize(
    "rotation, rotate, message",
    [
        (np.eye(3), True, r"must be a \(6, 6\) orthogonal matrix for n_features=6"),
        (np.ones((6, 6)), True, "must be orthogonal"),
        (np.full((6, 6), np.nan), True, "contains NaN or infinity"),
        (np.eye(6), False, "was given with rotate=False; pass rotate=True"),
    ],
)
@pytest.mark.parametrize("function", [make_lms, make_slabs, make_lsn])
def test_a_bad_rotation_is_a_clear_error(function, rotation, rotate, message):
    with pytest.raises(InvalidParameterError,
                       match=f"The 'rotation' parameter of {function.__name__} {message}"):
        function(20, 6, rotate=rotate, rotation=rotation)


N_ROTATIONS = 2000
D_HAAR = 5


@pytest.fixture(scope="module")
def rotations():
    return np.stack(
        [
            make_lms(2, D_HAAR, random_state=seed, return_X_y=False).rotation
            for seed in range(N_ROTATIONS)
        ]
    )


@pytest.mark.parametrize("entry", [(0, 0), (1, 3), (4, 4)])
def test_haar_squared_entries_follow_beta_distribution(rotations, entry):
    squared = rotations[:, entry[0], entry[1]] ** 2
    law = stats.beta(0.5, (D_HAAR - 1) / 2)
    assert stats.kstest(squared, law.cdf).pvalue > P_MIN


@pytest.mark.parametrize("entry", [(0, 0), (1, 3), (4, 4)])
def test_haar_entry_signs_are_balanced(rotations, entry):
    n_positive = int(np.sum(rotations[:, entry[0], entry[1]] > 0))
    assert stats.binomtest(n_positive, N_ROTATIONS, 0.5).pvalue > P_MIN


def test_haar_determinant_takes_both_signs(rotations):
    determinant = np.linalg.det(rotations)
    assert_allclose(np.abs(determinant), 1.0, atol=1e-10)
    n_positive = int(np.sum(determinant > 0))
    assert 0 < n_positive < N_ROTATIONS
    assert stats.binomtest(n_positive, N_ROTATIONS, 0.5).pvalue > P_MIN


def test_haar_trace_moments(rotations):
    # For Haar measure on O(d), d >= 5: E[tr Q] = 0, E[(tr Q)^2] = 1 and
    # E[(tr Q)^4] = 3 (the moments of a standard normal).
    trace = np.trace(rotations, axis1=1, axis2=2)
    assert abs(trace.mean()) < 5 * np.sqrt(1 / N_ROTATIONS)
    assert abs((trace**2).mean() - 1) < 5 * np.sqrt(2 / N_ROTATIONS)


def test_different_seeds_give_different_rotations(rotations):
    assert len(np.unique(rotations[:, 0, 0])) == N_ROTATIONS


# --------------------------------------------------------------------------
# The Bunch
# --------------------------------------------------------------------------


BUNCH_CASES = [
    pytest.param(make_lms, {}, ["linear"] + ["slab-5"] * 5, id="LMS-5"),
    pytest.param(
        make_lms, {"n_slabs": 7, "noise": 0.1}, ["noisy-linear"] + ["slab-7"] * 5,
        id="noisy LMS-7",
    ),
    pytest.param(make_lms, {"n_slabs": 9}, ["linear"] + ["slab-9"] * 5, id="LMS-9"),
    pytest.param(
        make_slabs, {"n_slabs": (5, 7)}, ["slab-5"] + ["slab-7"] * 5, id="MS-(5,7)"
    ),
    pytest.param(make_slabs, {"n_slabs": 5}, ["slab-5"] * 6, id="MS-5"),
    pytest.param(make_lsn, {}, ["linear", "slab-3"] + ["noise"] * 4, id="LSN"),
]


@pytest.mark.parametrize("function, kwargs, feature_info", BUNCH_CASES)
def test_bunch_has_the_documented_attributes(function, kwargs, feature_info):
    data = function(100, 6, random_state=0, return_X_y=False, **kwargs)
    assert isinstance(data, Bunch)
    for key in (
        "X", "y", "groups", "rotation", "feature_info", "simple_features",
        "complex_features", "parameters", "DESCR",
    ):
        assert key in data
    assert list(data.feature_info) == feature_info
    assert_array_equal(data.simple_features, [0])
    assert_array_equal(data.complex_features, np.arange(1, 6))
    if data.parameters["rotate"]:
        assert data.rotation.shape == (6, 6)
    else:
        assert data.rotation is None
    assert isinstance(data.DESCR, str) and data.DESCR.strip()
    assert isinstance(data.parameters, dict)


def test_lsn_bunch_with_two_features_has_no_noise():
    data = make_lsn(10, 2, random_state=0, return_X_y=False)
    assert list(data.feature_info) == ["linear", "slab-3"]
    assert_array_equal(data.complex_features, [1])


@pytest.mark.parametrize(
    "function, kwargs", [(make_lms, {}), (make_slabs, {}), (make_lsn, {"rotate": True})]
)
def test_bunch_matches_return_X_y(function, kwargs):
    X, y = function(50, 4, random_state=7, **kwargs)
    data = function(50, 4, random_state=7, return_X_y=False, **kwargs)
    assert_array_equal(data.X, X)
    assert_array_equal(data.y, y)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_rotation_is_none_not_a_dense_identity(function):
    data = function(20, 4, rotate=False, random_state=0, return_X_y=False)
    assert data.rotation is None
    # 20,000 features would need a 3.2 GB identity.
    wide = function(4, 20_000, rotate=False, random_state=0, return_X_y=False)
    assert wide.rotation is None and wide.X.shape == (4, 20_000)


@pytest.mark.parametrize(
    "function, kwargs, expected",
    [
        (
            make_lms,
            dict(n_slabs=7, noise=0.1, margin=0.05, correlation=0.8, rotate=False,
                 shuffle=False),
            dict(
                n_slabs=7, noise=0.1, margin=0.05, correlation=0.8,
                slab_probabilities={7: REFERENCE_TABLE[7]},
            ),
        ),
        (
            make_lms,
            dict(slab_probabilities={5: ((0.2, 0.3, 0.5), (0.9, 0.1))}),
            dict(n_slabs=5, noise=0.0, margin=0.1, correlation=1.0, rotate=True, shuffle=True,
                 slab_probabilities={5: ((0.2, 0.3, 0.5), (0.9, 0.1))}),
        ),
        (
            make_slabs,
            dict(n_slabs=(5, 7), margin=0.12, correlation=0.5),
            dict(n_slabs=(5, 7), margin=0.12, correlation=0.5,
                 slab_probabilities={5: REFERENCE_TABLE[5], 7: REFERENCE_TABLE[7]}),
        ),
        (
            make_lsn,
            dict(linear_margin=0.5, slab_margin=2.0, rotate=True),
            dict(linear_margin=0.5, slab_margin=2.0, correlation=1.0, rotate=True,
                 shuffle=True),
        ),
    ],
)
def test_parameters_record_the_call(function, kwargs, expected):
    data = function(30, 3, random_state=11, return_X_y=False, **kwargs)
    params = data.parameters
    assert params["n_samples"] == 30
    assert params["n_features"] == 3
    assert params["random_state"] == 11
    for key, value in expected.items():
        if key == "slab_probabilities":
            assert set(params[key]) == set(value)
            for k, (negatives, positives) in value.items():
                assert_allclose(params[key][k][0], negatives)
                assert_allclose(params[key][k][1], positives)
        else:
            assert params[key] == value


def test_equal_probabilities_recorded_for_nine_slabs():
    data = make_lms(20, 3, n_slabs=9, random_state=0, return_X_y=False)
    negatives, positives = data.parameters["slab_probabilities"][9]
    assert_allclose(negatives, EQUAL_9[0])
    assert_allclose(positives, EQUAL_9[1])



# --------------------------------------------------------------------------
# Correlation and groups
# --------------------------------------------------------------------------


def s_label_by_hand(function, data):
    """The label the unrotated coordinate 0 (S) points to, read off its value."""
    z = _unrotated(data)[:, 0]
    if function is make_slabs:
        n_slabs = data.parameters["n_slabs"]
        first = n_slabs[0] if isinstance(n_slabs, tuple) else n_slabs
        slabs = design_slabs(first, data.parameters["margin"])
        labels = np.full(len(z), -1)
        for low, high, label in slabs:
            labels[(low - TOL <= z) & (z <= high + TOL)] = label
        assert np.all(labels >= 0)
        return labels
    # The linear coordinates, noisy values included: positive means 1.
    return (z > 0).astype(int)


def assert_complex_block_agrees_with_y(function, data):
    """Every coordinate of S^c lies where the row's true label puts it."""
    Z, y = _unrotated(data), data.y
    if function is make_lsn:
        assert_allclose(np.abs(Z[:, 1]), data.parameters["slab_margin"] * y)
        return
    n_slabs = data.parameters["n_slabs"]
    rest = n_slabs[1] if isinstance(n_slabs, tuple) else n_slabs
    assert_slab_support(Z, y, slice(1, None), rest, data.parameters["margin"])


# One noiseless case per generator, then the others.
ONE_PER_GENERATOR = [
    pytest.param(make_lms, {}, id="LMS-5"),
    pytest.param(make_slabs, {"n_slabs": (5, 7)}, id="MS-(5,7)"),
    pytest.param(make_lsn, {"n_features": 4}, id="LSN"),
]
CORRELATION_CASES = [
    *ONE_PER_GENERATOR,
    pytest.param(make_lms, {"n_slabs": 7, "noise": 0.2}, id="noisy LMS-7"),
    pytest.param(make_slabs, {"n_slabs": 3}, id="MS-3"),
]


@pytest.mark.parametrize("correlation", [1.0, 0.9, 0.3, 0.0])
@pytest.mark.parametrize("function, kwargs", CORRELATION_CASES)
def test_groups_are_two_y_plus_the_label_s_points_to(function, kwargs, correlation):
    kwargs = {"n_features": 5, **kwargs}
    data = function(1001, rotate=False, correlation=correlation, random_state=0,
                    return_X_y=False, **kwargs)
    assert data.groups.shape == data.y.shape
    assert np.issubdtype(data.groups.dtype, np.integer)
    assert_array_equal(data.groups, 2 * data.y + s_label_by_hand(function, data))


@pytest.mark.parametrize("n_samples", [10, 333, 1000])
@pytest.mark.parametrize("function, kwargs", ONE_PER_GENERATOR)
def test_correlation_puts_s_on_the_other_side_on_round_fraction_of_rows(
    function, kwargs, n_samples
):
    kwargs = {"n_features": 5, **kwargs}
    data = function(n_samples, rotate=False, correlation=0.9, random_state=1,
                    return_X_y=False, **kwargs)
    minority = np.isin(data.groups, (1, 2))
    assert minority.sum() == round(0.1 * n_samples)
    s = s_label_by_hand(function, data)
    assert_array_equal(s[minority], 1 - data.y[minority])
    assert_array_equal(s[~minority], data.y[~minority])
    assert_complex_block_agrees_with_y(function, data)


@pytest.mark.parametrize("function, kwargs", ONE_PER_GENERATOR)
def test_s_of_the_minority_rows_follows_the_other_labels_distribution(function, kwargs):
    kwargs = {"n_features": 3, **kwargs}
    data = function(40_000, rotate=False, correlation=0.5, random_state=2,
                    return_X_y=False, **kwargs)
    reference = function(40_000, rotate=False, random_state=3, return_X_y=False, **kwargs)
    for label in (0, 1):
        drawn_for_label = data.groups == 2 * (1 - label) + label
        result = stats.ks_2samp(
            data.X[drawn_for_label, 0], reference.X[reference.y == label, 0]
        )
        assert result.pvalue > P_MIN


def test_zero_correlation_puts_every_row_in_a_minority_group():
    data = make_lsn(50, 3, correlation=0.0, random_state=0, return_X_y=False)
    assert set(data.groups) <= {1, 2}
    assert_array_equal(data.X[:, 0], 1 - 2 * data.y)


@pytest.mark.parametrize(
    "function, kwargs",
    [
        (make_lms, {}),
        (make_lms, {"noise": 0.2, "rotate": False}),
        (make_slabs, {"n_slabs": (5, 7)}),
        (make_lsn, {}),
        (make_lsn, {"rotate": True}),
    ],
)
@pytest.mark.parametrize("n_samples, n_features", [(300, 6), (5000, 300)])
def test_correlation_one_draws_the_same_data_as_before(function, kwargs, n_samples,
                                                       n_features):
    # 5000 x 300 spans several chunks of rows.
    before = function(n_samples, n_features, random_state=5, return_X_y=False, **kwargs)
    data = function(n_samples, n_features, correlation=1.0, random_state=5,
                    return_X_y=False, **kwargs)
    assert_array_equal(data.X, before.X)
    assert_array_equal(data.y, before.y)
    assert_array_equal(data.rotation, before.rotation)
    assert_array_equal(data.groups, before.groups)
    if not kwargs.get("noise"):
        assert_array_equal(data.groups, 3 * data.y)


# The first rows drawn by seed 0 before ``correlation`` existed, which its
# default must not change.
PINNED = [
    pytest.param(
        make_lms, {"noise": 0.5}, [1, 0, 1, 1, 0, 0],
        [[0.354255493, -1.078515781, 0.3549736698],
         [-0.2628477395, 0.3358320711, -0.395771519]],
        id="noisy LMS-5",
    ),
    pytest.param(
        make_slabs, {"n_slabs": (5, 7)}, [1, 0, 1, 1, 0, 0],
        [[-0.1051969013, 0.5562766865, -0.1023142321],
         [0.2731740546, -1.216496253, 0.25762126]],
        id="MS-(5,7)",
    ),
    pytest.param(
        make_lsn, {}, [1, 0, 0, 1, 0, 1],
        [[1.0, -1.0, -0.374471691], [-1.0, 0.0, 0.2751983156]],
        id="LSN",
    ),
]


@pytest.mark.parametrize("function, kwargs, y, first_rows", PINNED)
def test_default_correlation_draws_the_pinned_data(function, kwargs, y, first_rows):
    X, y_drawn = function(6, 3, random_state=0, **kwargs)
    assert_array_equal(y_drawn, y)
    assert_allclose(X[:2], first_rows, rtol=1e-9)


@pytest.mark.parametrize("function, kwargs", CORRELATION_CASES)
def test_correlation_keeps_the_rotation_and_the_labels_of_the_seed(function, kwargs):
    kwargs = {"n_features": 5, "rotate": True, **kwargs}
    correlated = function(200, correlation=1.0, random_state=6, return_X_y=False, **kwargs)
    data = function(200, correlation=0.7, random_state=6, return_X_y=False, **kwargs)
    assert_array_equal(data.rotation, correlated.rotation)
    assert_array_equal(data.y, correlated.y)


def test_noise_and_correlation_compose():
    n_samples, margin = 10_000, 0.1
    clean = make_lms(n_samples, 4, noise=0.2, rotate=False, random_state=7,
                     return_X_y=False)
    data = make_lms(n_samples, 4, noise=0.2, correlation=0.9, rotate=False,
                    random_state=7, return_X_y=False)
    z0, y = data.X[:, 0], data.y
    noisy = np.abs(z0) <= margin
    # The noisy rows are drawn first, the same with or without correlation.
    assert_array_equal(noisy, np.abs(clean.X[:, 0]) <= margin)
    assert noisy.sum() == round(0.2 * n_samples)
    # A noisy row's group follows the sign of its noise, whatever S was
    # drawn for.
    assert_array_equal(data.groups[noisy], 2 * y[noisy] + (z0[noisy] > 0))
    # The other rows drawn for the other label are the minority among the
    # clean ones: about 10 % of the 80 % clean rows.
    minority = np.isin(data.groups, (1, 2)) & ~noisy
    assert_array_equal(np.sign(z0[minority]), 1 - 2 * y[minority])
    assert_array_equal(np.sign(z0[~minority & ~noisy]), 2 * y[~minority & ~noisy] - 1)
    assert abs(minority.sum() - 0.1 * 0.8 * n_samples) < 60
    assert_complex_block_agrees_with_y(make_lms, data)


# --------------------------------------------------------------------------
# Labels, dtypes, shuffling
# --------------------------------------------------------------------------


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("n_samples", [2, 3, 10, 101])
@pytest.mark.parametrize("shuffle", [False, True])
def test_classes_are_exactly_balanced(function, n_samples, shuffle):
    X, y = function(n_samples, 3, shuffle=shuffle, random_state=0)
    assert X.shape == (n_samples, 3)
    assert y.shape == (n_samples,)
    assert X.dtype == np.float64
    assert np.issubdtype(y.dtype, np.integer)
    assert set(np.unique(y)) <= {0, 1}
    assert np.sum(y == 0) == n_samples // 2
    assert np.sum(y == 1) == n_samples - n_samples // 2


@pytest.mark.parametrize("function", FUNCTIONS)
def test_default_shape_is_100_by_50(function):
    X, y = function(random_state=0)
    assert X.shape == (100, 50)
    assert y.shape == (100,)


@pytest.mark.parametrize("function", FUNCTIONS)
@pytest.mark.parametrize("n_samples", [2, 7, 100])
def test_shuffle_false_puts_negatives_first(function, n_samples):
    _, y = function(n_samples, 3, shuffle=False, random_state=0)
    expected = np.repeat([0, 1], [n_samples // 2, n_samples - n_samples // 2])
    assert_array_equal(y, expected)


@pytest.mark.parametrize("function", FUNCTIONS)
def test_shuffle_true_mixes_the_classes(function):
    _, y = function(100, 3, shuffle=True, random_state=0)
    assert np.any(np.diff(y) < 0)


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("function", [make_lms, make_lsn])
def test_shuffling_keeps_rows_paired_with_labels(function, shuffle):
    X, y = function(500, 3, rotate=False, shuffle=shuffle, random_state=0)
    assert_array_equal(np.sign(X[:, 0]), 2 * y - 1)


# --------------------------------------------------------------------------
# Determinism
# --------------------------------------------------------------------------


DETERMINISM_CASES = [
    pytest.param(make_lms, {"noise": 0.2}, id="make_lms"),
    pytest.param(make_slabs, {"n_slabs": (5, 7)}, id="make_slabs"),
    pytest.param(make_lsn, {"rotate": True}, id="make_lsn"),
]


@pytest.mark.parametrize("function, kwargs", DETERMINISM_CASES)
def test_same_seed_gives_identical_data(function, kwargs):
    first = function(300, 6, random_state=42, return_X_y=False, **kwargs)
    second = function(300, 6, random_state=42, return_X_y=False, **kwargs)
    assert_array_equal(first.X, second.X)
    assert_array_equal(first.y, second.y)
    assert_array_equal(first.rotation, second.rotation)


@pytest.mark.parametrize("function, kwargs", DETERMINISM_CASES)
def test_different_seeds_give_different_data(function, kwargs):
    first = function(300, 6, random_state=1, return_X_y=False, **kwargs)
    second = function(300, 6, random_state=2, return_X_y=False, **kwargs)
    assert not np.array_equal(first.X, second.X)
    assert not np.array_equal(first.y, second.y)
    assert not np.array_equal(first.rotation, second.rotation)


@pytest.mark.parametrize("function, kwargs", DETERMINISM_CASES)
def test_random_state_instance_is_accepted(function, kwargs):
    from_int = function(300, 6, random_state=3, **kwargs)
    rng = np.random.RandomState(3)
    from_instance = function(300, 6, random_state=rng, **kwargs)
    assert_array_equal(from_instance[0], from_int[0])
    assert_array_equal(from_instance[1], from_int[1])
    # The instance is consumed: a second call draws new data.
    again = function(300, 6, random_state=rng, **kwargs)
    assert not np.array_equal(again[0], from_int[0])


# --------------------------------------------------------------------------
# Properties over the whole parameter space
# --------------------------------------------------------------------------


PROPERTY_SETTINGS = settings(max_examples=25, deadline=None)

n_samples_st = st.integers(2, 300)
n_features_st = st.integers(2, 12)
slab_count_st = st.sampled_from([3, 5, 7, 9])
# A margin as a fraction of its upper bound 1/(k - 1).
margin_fraction_st = st.floats(0.0, 0.99)
seed_st = st.integers(0, 2**32 - 1)


def assert_common_properties(X, y, n_samples, n_features):
    assert X.shape == (n_samples, n_features)
    assert X.dtype == np.float64
    assert np.all(np.isfinite(X))
    assert y.shape == (n_samples,)
    assert set(np.unique(y)) <= {0, 1}
    assert np.sum(y == 0) == n_samples // 2
    assert np.sum(y == 1) == n_samples - n_samples // 2


def assert_slab_support(Z, y, coordinates, n_slabs, margin):
    for label in (0, 1):
        z = Z[y == label][:, coordinates]
        assert np.all(slab_index(z, Slab(n_slabs, margin).intervals(label)) >= 0)


@PROPERTY_SETTINGS
@given(
    n_samples=n_samples_st,
    n_features=n_features_st,
    n_slabs=slab_count_st,
    noise=st.floats(0.0, 1.0),
    margin_fraction=margin_fraction_st,
    rotate=st.booleans(),
    shuffle=st.booleans(),
    seed=seed_st,
)
def test_make_lms_properties(
    n_samples, n_features, n_slabs, noise, margin_fraction, rotate, shuffle, seed
):
    margin = margin_fraction / (n_slabs - 1)
    data = make_lms(
        n_samples, n_features, n_slabs=n_slabs, noise=noise, margin=margin,
        rotate=rotate, shuffle=shuffle, random_state=seed, return_X_y=False,
    )
    assert_common_properties(data.X, data.y, n_samples, n_features)
    Z = _unrotated(data)
    assert np.all(np.abs(Z) <= 1 + TOL)
    assert_slab_support(Z, data.y, slice(1, None), n_slabs, margin)
    noisy = np.abs(Z[:, 0]) <= margin + TOL
    assert noisy.sum() == round(noise * n_samples)
    assert_array_equal(np.sign(Z[~noisy, 0]), 2 * data.y[~noisy] - 1)


@PROPERTY_SETTINGS
@given(
    n_samples=n_samples_st,
    n_features=n_features_st,
    n_slabs=st.one_of(slab_count_st, st.tuples(slab_count_st, slab_count_st)),
    margin_fraction=margin_fraction_st,
    rotate=st.booleans(),
    shuffle=st.booleans(),
    seed=seed_st,
)
def test_make_slabs_properties(
    n_samples, n_features, n_slabs, margin_fraction, rotate, shuffle, seed
):
    first, rest = n_slabs if isinstance(n_slabs, tuple) else (n_slabs, n_slabs)
    margin = margin_fraction / (max(first, rest) - 1)
    data = make_slabs(
        n_samples, n_features, n_slabs=n_slabs, margin=margin,
        rotate=rotate, shuffle=shuffle, random_state=seed, return_X_y=False,
    )
    assert_common_properties(data.X, data.y, n_samples, n_features)
    Z = _unrotated(data)
    assert np.all(np.abs(Z) <= 1 + TOL)
    assert_slab_support(Z, data.y, slice(0, 1), first, margin)
    assert_slab_support(Z, data.y, slice(1, None), rest, margin)


@PROPERTY_SETTINGS
@given(
    n_samples=n_samples_st,
    n_features=n_features_st,
    linear_margin=st.floats(0.01, 10.0),
    slab_margin=st.floats(0.01, 10.0),
    rotate=st.booleans(),
    shuffle=st.booleans(),
    seed=seed_st,
)
def test_make_lsn_properties(
    n_samples, n_features, linear_margin, slab_margin, rotate, shuffle, seed
):
    data = make_lsn(
        n_samples, n_features, linear_margin=linear_margin, slab_margin=slab_margin,
        rotate=rotate, shuffle=shuffle, random_state=seed, return_X_y=False,
    )
    assert_common_properties(data.X, data.y, n_samples, n_features)
    Z = _unrotated(data)
    assert (data.rotation is None) == (not rotate)
    scale = max(1.0, np.abs(data.X).max())
    assert_allclose(Z[:, 0], (2 * data.y - 1) * linear_margin, atol=1e-12 * scale)
    assert_allclose(np.abs(Z[:, 1]), slab_margin * data.y, atol=1e-12 * scale)


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------


def test_invalid_parameter_error_is_a_value_error():
    assert issubclass(InvalidParameterError, ValueError)


def _bad(function, parameter, **kwargs):
    return pytest.param(
        function, kwargs, parameter,
        id=f"{function.__name__}-{'-'.join(f'{k}={v!r}' for k, v in kwargs.items())}",
    )


P5 = ((1 / 8, 3 / 4, 1 / 8), (1 / 2, 1 / 2))

BAD_INPUT = [
    *[
        _bad(function, "n_samples", n_samples=value)
        for function in FUNCTIONS
        for value in (1, 0, -5, 10.5, "10")
    ],
    *[
        _bad(function, "n_features", n_features=value)
        for function in FUNCTIONS
        for value in (1, 0, -3, 4.0)
    ],
    *[
        _bad(function, "n_slabs", n_slabs=value)
        for function in (make_lms, make_slabs)
        for value in (4, 6, 1, 2, -3, 5.0, None, "5")
    ],
    _bad(make_lms, "n_slabs", n_slabs=(5, 7)),
    *[
        _bad(make_slabs, "n_slabs", n_slabs=value)
        for value in ((5,), (5, 7, 9), (5, 4), (4, 5), ("a", 5), (5, 7.0), (1, 5), ())
    ],
    *[_bad(make_lms, "noise", noise=value) for value in (-0.1, 1.1, "0.1")],
    _bad(make_lms, "margin", margin=0.25, n_slabs=5),
    _bad(make_lms, "margin", margin=0.3, n_slabs=5),
    _bad(make_lms, "margin", margin=0.5, n_slabs=3),
    _bad(make_lms, "margin", margin=1 / 6, n_slabs=7),
    _bad(make_lms, "margin", margin=-0.1),
    _bad(make_lms, "margin", margin=1.0),
    _bad(make_slabs, "margin", margin=0.25, n_slabs=5),
    _bad(make_slabs, "margin", margin=0.2, n_slabs=(3, 7)),
    _bad(make_slabs, "margin", margin=0.2, n_slabs=(7, 3)),
    _bad(make_slabs, "margin", margin=-0.01),
    # slab_probabilities: wrong lengths, negative, not summing to 1, unknown key.
    *[
        _bad(function, "slab_probabilities", slab_probabilities=value)
        for function in (make_lms, make_slabs)
        for value in (
            {5: ((0.5, 0.5), (0.5, 0.5))},
            {5: ((1 / 8, 3 / 4, 1 / 8), (0.5, 0.3, 0.2))},
            {5: ((-0.25, 1.0, 0.25), (0.5, 0.5))},
            {5: ((1 / 8, 3 / 4, 1 / 8), (1.5, -0.5))},
            {5: ((0.2, 0.2, 0.2), (0.5, 0.5))},
            {5: ((1 / 8, 3 / 4, 1 / 8), (0.6, 0.6))},
            {7: REFERENCE_TABLE[7]},
            {5: P5, 3: REFERENCE_TABLE[3]},
            {5: (1.0,)},
            {5: (P5[0], ("a", 0.5))},
            [P5],
        )
    ],
    _bad(make_slabs, "slab_probabilities", n_slabs=(5, 7), slab_probabilities={3: P5}),
    *[
        _bad(make_lsn, name, **{name: value})
        for name in ("linear_margin", "slab_margin")
        for value in (0, 0.0, -1.0, "1")
    ],
    *[
        _bad(function, name, **{name: value})
        for function in FUNCTIONS
        for name in ("rotate", "shuffle", "return_X_y")
        for value in ("yes", 1, None)
    ],
    *[_bad(function, "random_state", random_state="seed") for function in FUNCTIONS],
    *[
        _bad(function, "correlation", correlation=value)
        for function in FUNCTIONS
        for value in (-0.1, 1.1, "0.9", None)
    ],
]


@pytest.mark.parametrize("function, kwargs, parameter", BAD_INPUT)
def test_bad_input_raises_invalid_parameter_error(function, kwargs, parameter):
    kwargs = {"n_samples": 10, "n_features": 3, **kwargs}
    with pytest.raises(InvalidParameterError, match=f"'{parameter}'"):
        function(**kwargs)


@pytest.mark.parametrize(
    "function, kwargs",
    [
        (make_lms, dict(margin=0.24, n_slabs=5)),
        (make_lms, dict(margin=0.0)),
        (make_lms, dict(noise=0.0)),
        (make_lms, dict(noise=1.0)),
        (make_slabs, dict(margin=0.16, n_slabs=(3, 7))),
        (make_slabs, dict(n_slabs=(np.int64(5), 7))),
        (make_lms, dict(n_slabs=np.int64(7))),
        (make_lms, dict(rotate=np.bool_(False))),
        *[(function, dict(correlation=c)) for function in FUNCTIONS for c in (0, 0.0, 1)],
    ],
)
def test_boundary_values_are_accepted(function, kwargs):
    X, y = function(10, 3, random_state=0, **kwargs)
    assert X.shape == (10, 3)


@pytest.mark.parametrize(
    "function, extra_positional", [(make_lms, 5), (make_slabs, 5), (make_lsn, 1.0)]
)
def test_options_are_keyword_only(function, extra_positional):
    with pytest.raises(TypeError):
        function(100, 10, extra_positional)
