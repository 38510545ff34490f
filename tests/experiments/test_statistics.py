"""Statistics over seeds: bootstrap interval, standard error, paired differences."""

import numpy as np
import pytest
from scipy.stats import bootstrap

from sklearn_sb.experiments._statistics import (
    bootstrap_interval,
    paired_difference,
    seed_statistics,
)
from sklearn_sb.utils._param_validation import InvalidParameterError

SCORES = np.array([0.912, 0.934, 0.897, 0.951, 0.926, 0.918, 0.940, 0.905, 0.931, 0.922])


@pytest.mark.parametrize("confidence", [0.95, 0.8])
def test_the_interval_agrees_with_scipys_percentile_bootstrap(confidence):
    n_resamples = 100_000
    ours = bootstrap_interval(SCORES, confidence=confidence, n_resamples=n_resamples,
                              random_state=0)
    # Another seed for scipy: with the same one it happens to draw the very
    # same resamples, and the check would not be statistical.
    scipys = bootstrap((SCORES,), np.mean, method="percentile", confidence_level=confidence,
                       n_resamples=n_resamples, random_state=1).confidence_interval
    # The bounds then differ by Monte-Carlo error only. A quantile q of B
    # resampled means has a standard error of sqrt(q (1 - q) / B) / (density
    # at the quantile); the means are nearly normal with sd
    # s = SCORES.std() / sqrt(n), so for q = 0.025 that is
    # sqrt(0.025 * 0.975 / 1e5) / (0.058 / s) ~ 0.0085 s, and 0.012 s for the
    # difference of two independent estimates (0.014 s measured over 20 pairs
    # of seeds: the means of 10 values are not quite normal). 0.06 s is over
    # four of those.
    s = SCORES.std() / np.sqrt(len(SCORES))
    assert ours == pytest.approx((scipys.low, scipys.high), abs=0.06 * s)
    # Not vacuous: the tolerance is far below the width of the interval.
    assert 0.06 * s < (ours[1] - ours[0]) / 10


def test_the_interval_brackets_the_mean_and_widens_with_confidence():
    low_95, high_95 = bootstrap_interval(SCORES, confidence=0.95)
    low_50, high_50 = bootstrap_interval(SCORES, confidence=0.5)
    assert low_95 < low_50 < SCORES.mean() < high_50 < high_95


def test_the_interval_is_determined_by_random_state():
    first = bootstrap_interval(SCORES, n_resamples=200, random_state=3)
    assert bootstrap_interval(SCORES, n_resamples=200, random_state=3) == first
    assert bootstrap_interval(SCORES, n_resamples=200, random_state=4) != first
    rng = np.random.RandomState(3)
    assert bootstrap_interval(SCORES, n_resamples=200, random_state=rng) == first


def test_a_single_value_is_its_own_interval():
    assert bootstrap_interval([0.75]) == (0.75, 0.75)


def test_seed_statistics_by_hand():
    stats = seed_statistics([0.90, 0.92, 0.97], n_resamples=1_000)
    mean = (0.90 + 0.92 + 0.97) / 3
    variance = ((0.90 - mean) ** 2 + (0.92 - mean) ** 2 + (0.97 - mean) ** 2) / (3 - 1)
    assert stats["mean"] == pytest.approx(mean)
    assert stats["standard error"] == pytest.approx(np.sqrt(variance / 3))
    assert (stats["ci low"], stats["ci high"]) == bootstrap_interval(
        [0.90, 0.92, 0.97], n_resamples=1_000
    )
    assert stats["seeds"] == 3


def test_seed_statistics_of_one_seed():
    assert seed_statistics([0.8]) == {
        "mean": 0.8, "standard error": 0.0, "ci low": 0.8, "ci high": 0.8, "seeds": 1
    }


def test_the_paired_difference_is_the_statistics_of_the_differences():
    baseline = SCORES - np.linspace(0.01, 0.03, len(SCORES))
    assert paired_difference(SCORES, baseline) == seed_statistics(SCORES - baseline)


def test_the_paired_difference_of_identical_runs_is_exactly_zero():
    stats = paired_difference(SCORES, SCORES.copy())
    assert (stats["mean"], stats["standard error"], stats["ci low"], stats["ci high"]) == (
        0.0, 0.0, 0.0, 0.0
    )
    assert stats["seeds"] == len(SCORES)


def test_paired_difference_needs_the_same_seeds():
    with pytest.raises(ValueError, match="same seeds in the same order; got 10 values and 9"):
        paired_difference(SCORES, SCORES[:-1])


@pytest.mark.parametrize("function", [bootstrap_interval, seed_statistics])
def test_nan_scores_are_rejected(function):
    with pytest.raises(ValueError, match="1 NaN or infinite score.*position 2: drop the seeds"):
        function([0.9, 0.8, np.nan])


def test_a_nan_baseline_is_named():
    with pytest.raises(ValueError, match="baseline holds 1 NaN"):
        paired_difference([0.9, 0.8], [np.nan, 0.7])


def test_a_sample_must_be_one_dimensional_and_not_empty():
    with pytest.raises(ValueError, match=r"values must be 1-d.*shape \(2, 2\)"):
        seed_statistics([[0.9, 0.8], [0.7, 0.6]])
    with pytest.raises(ValueError, match="minimum of 1 is required"):
        bootstrap_interval([])


@pytest.mark.parametrize("confidence", [0, 1, 1.5])
def test_the_confidence_is_a_level_strictly_between_0_and_1(confidence):
    with pytest.raises(InvalidParameterError, match="'confidence' parameter"):
        bootstrap_interval(SCORES, confidence=confidence)
