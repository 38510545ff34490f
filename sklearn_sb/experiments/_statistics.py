"""Statistics over the seeds of an experiment: mean, standard error, bootstrap interval."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_array

from ..utils._param_validation import Interval, validate_params

RESAMPLING_CONSTRAINTS = {
    "confidence": [Interval(Real, 0, 1, closed="neither")],
    "n_resamples": [Interval(Integral, 1, None, closed="left")],
    "random_state": ["random_state"],
}


def _checked_sample(values, name):
    values = check_array(values, ensure_2d=False, dtype=np.float64, ensure_all_finite=False,
                         input_name=name)
    if values.ndim != 1:
        raise ValueError(f"{name} must be 1-d, one score per seed; got shape {values.shape}.")
    missing = ~np.isfinite(values)
    if missing.any():
        raise ValueError(
            f"{name} holds {missing.sum()} NaN or infinite score(s), the first at position "
            f"{np.flatnonzero(missing)[0]}: drop the seeds without a score (and the same "
            "seeds of any baseline), or rerun them."
        )
    return values


def _interval(values, confidence, n_resamples, random_state):
    rng = check_random_state(random_state)
    # One row of indices per resample: the seeds of an experiment are few.
    means = values[rng.randint(len(values), size=(n_resamples, len(values)))].mean(axis=1)
    tail = (1 - confidence) / 2
    low, high = np.quantile(means, [tail, 1 - tail])
    return float(low), float(high)


def _statistics(values, confidence, n_resamples, random_state):
    low, high = _interval(values, confidence, n_resamples, random_state)
    n = len(values)
    return {
        "mean": float(values.mean()),
        "standard error": float(values.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0,
        "ci low": low,
        "ci high": high,
        "seeds": n,
    }


@validate_params(
    {"values": ["array-like"], **RESAMPLING_CONSTRAINTS}, prefer_skip_nested_validation=True
)
def bootstrap_interval(values, *, confidence=0.95, n_resamples=10_000, random_state=0):
    """Percentile bootstrap confidence interval of the mean of a sample.

    The sample is resampled with replacement ``n_resamples`` times; the
    interval runs between the ``(1 - confidence) / 2`` and
    ``1 - (1 - confidence) / 2`` quantiles of the resamples' means.

    Parameters
    ----------
    values : array-like of shape (n_seeds,)
        One score per seed.
    confidence : float, default=0.95
        The confidence level, in (0, 1).
    n_resamples : int, default=10_000
        Number of bootstrap resamples.
    random_state : int, RandomState instance or None, default=0
        Draws the resamples. With an int, every call gives the same interval.

    Returns
    -------
    low, high : float
        The bounds; ``(value, value)`` for a single value.

    See Also
    --------
    seed_statistics : The mean, its standard error and this interval.

    Examples
    --------
    >>> from sklearn_sb.experiments import bootstrap_interval
    >>> low, high = bootstrap_interval([0.91, 0.93, 0.92, 0.95, 0.94])
    >>> bool(low < 0.93 < high)
    True
    >>> bootstrap_interval([0.9])
    (0.9, 0.9)
    """
    values = _checked_sample(values, "values")
    return _interval(values, confidence, n_resamples, random_state)


@validate_params(
    {"values": ["array-like"], **RESAMPLING_CONSTRAINTS}, prefer_skip_nested_validation=True
)
def seed_statistics(values, *, confidence=0.95, n_resamples=10_000, random_state=0):
    """The mean of scores over seeds, its standard error and a bootstrap interval.

    Parameters
    ----------
    values : array-like of shape (n_seeds,)
        One score per seed.
    confidence : float, default=0.95
        The confidence level of the interval, in (0, 1).
    n_resamples : int, default=10_000
        Number of bootstrap resamples.
    random_state : int, RandomState instance or None, default=0
        Draws the resamples.

    Returns
    -------
    statistics : dict
        'mean'; 'standard error', the sample standard deviation
        (``ddof=1``) over the square root of the number of seeds, 0.0 for a
        single seed; 'ci low' and 'ci high', the percentile bootstrap
        interval of the mean (:func:`bootstrap_interval`); 'seeds', the
        number of seeds.

    Examples
    --------
    >>> from sklearn_sb.experiments import seed_statistics
    >>> stats = seed_statistics([0.90, 0.92, 0.94])
    >>> round(stats["mean"], 2), round(stats["standard error"], 4), stats["seeds"]
    (0.92, 0.0115, 3)
    """
    values = _checked_sample(values, "values")
    return _statistics(values, confidence, n_resamples, random_state)


@validate_params(
    {"values": ["array-like"], "baseline": ["array-like"], **RESAMPLING_CONSTRAINTS},
    prefer_skip_nested_validation=True,
)
def paired_difference(values, baseline, *, confidence=0.95, n_resamples=10_000, random_state=0):
    """Statistics of ``values - baseline`` over seeds run with both.

    Pairing the runs of one seed removes the variation the seed causes in
    both (the data drawn, the initialization), which makes the difference
    more precise than two separate intervals suggest.

    Parameters
    ----------
    values : array-like of shape (n_seeds,)
        One score per seed.
    baseline : array-like of shape (n_seeds,)
        The baseline's score on the same seeds, in the same order.
    confidence : float, default=0.95
        The confidence level of the interval, in (0, 1).
    n_resamples : int, default=10_000
        Number of bootstrap resamples.
    random_state : int, RandomState instance or None, default=0
        Draws the resamples.

    Returns
    -------
    statistics : dict
        :func:`seed_statistics` of the differences.

    Examples
    --------
    >>> from sklearn_sb.experiments import paired_difference
    >>> stats = paired_difference([0.95, 0.97, 0.96], [0.90, 0.93, 0.91])
    >>> round(stats["mean"], 2), bool(stats["ci low"] > 0)
    (0.05, True)
    """
    values = _checked_sample(values, "values")
    baseline = _checked_sample(baseline, "baseline")
    if len(values) != len(baseline):
        raise ValueError(
            f"values and baseline must hold the scores of the same seeds in the same "
            f"order; got {len(values)} values and {len(baseline)} baseline scores."
        )
    return _statistics(values - baseline, confidence, n_resamples, random_state)
