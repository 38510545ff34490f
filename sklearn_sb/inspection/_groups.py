"""Scores per group: worst-group, group-balanced and average accuracy, and calibration.

A group is a hashable label per row, such as the pair (label, value of the
simple feature): a model that follows the simple feature is accurate on the
groups where the simple feature agrees with the label and fails on the
others, which the average over all rows hides when those are rare.
"""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.metrics import make_scorer
from sklearn.utils.metadata_routing import MetadataRequest
from sklearn.utils.validation import check_array, check_is_fitted, column_or_1d

from ..utils._groups import group_codes
from ..utils._param_validation import HasMethods, Interval, StrOptions, validate_params
from ._scorer import validated_targets

COLUMNS = ("samples", "accuracy", "expected calibration error")
N_BINS_CONSTRAINT = [Interval(Integral, 1, None, closed="left")]


def _check_one_per_row(**lengths):
    if len(set(lengths.values())) > 1:
        *first, last = lengths
        given = ", ".join(f"{length} in {name}" for name, length in lengths.items())
        raise ValueError(
            f"{', '.join(first)} and {last} must have one entry per row; got {given}."
        )


def _group_accuracies(y_true, y_pred, groups):
    y_true, y_pred = column_or_1d(y_true, warn=True), column_or_1d(y_pred, warn=True)
    _check_one_per_row(y_true=len(y_true), y_pred=len(y_pred), groups=len(groups))
    codes, _ = group_codes(groups)
    return np.bincount(codes, weights=y_true == y_pred) / np.bincount(codes)


GROUP_METRIC_CONSTRAINTS = {
    "y_true": ["array-like"],
    "y_pred": ["array-like"],
    "groups": ["array-like"],
}


@validate_params(GROUP_METRIC_CONSTRAINTS, prefer_skip_nested_validation=True)
def worst_group_accuracy(y_true, y_pred, *, groups):
    """The accuracy of the group the model does worst on.

    The accuracy of each group is computed over that group's rows; the
    worst-group accuracy is the minimum over the groups present.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    groups : array-like of shape (n_samples,)
        The group of each row: any hashable label (number, string, tuple).

    Returns
    -------
    accuracy : float

    See Also
    --------
    group_balanced_accuracy : The unweighted mean of the per-group accuracies.
    group_scores : Per-group accuracy and calibration of a model, in a table.

    Examples
    --------
    >>> from sklearn_sb.inspection import worst_group_accuracy
    >>> worst_group_accuracy([0, 0, 1, 1], [0, 0, 1, 0], groups=["a", "a", "a", "b"])
    0.0
    """
    return float(_group_accuracies(y_true, y_pred, groups).min())


@validate_params(GROUP_METRIC_CONSTRAINTS, prefer_skip_nested_validation=True)
def group_balanced_accuracy(y_true, y_pred, *, groups):
    """The unweighted mean of the per-group accuracies (the "adjusted accuracy").

    The accuracy of each group is computed over that group's rows, and
    every group present counts the same, whatever its size: SubpopBench's
    "adjusted accuracy". The plain accuracy weighs the groups by their size
    instead.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_pred : array-like of shape (n_samples,)
        Predicted labels.
    groups : array-like of shape (n_samples,)
        The group of each row: any hashable label (number, string, tuple).

    Returns
    -------
    accuracy : float

    See Also
    --------
    worst_group_accuracy : The minimum of the per-group accuracies.

    Examples
    --------
    >>> from sklearn_sb.inspection import group_balanced_accuracy
    >>> group_balanced_accuracy([0, 0, 1, 1], [0, 0, 1, 0], groups=["a", "a", "a", "b"])
    0.5
    """
    return float(_group_accuracies(y_true, y_pred, groups).mean())


def _top_label(y_true, y_prob, labels):
    """Whether each row's most probable class is right, and its probability."""
    y_true = column_or_1d(y_true, warn=True)
    y_prob = check_array(y_prob, ensure_2d=False, dtype=[np.float64, np.float32],
                         input_name="y_prob")
    _check_one_per_row(y_true=len(y_true), y_prob=len(y_prob))
    source = "y_true" if labels is None else "labels"
    labels = np.unique(y_true) if labels is None else column_or_1d(labels)
    if len(np.unique(labels)) != len(labels):
        raise ValueError(f"labels must name each class once; got {labels.tolist()}.")
    unknown = ~np.isin(y_true, labels)
    if unknown.any():
        raise ValueError(
            f"y_true holds labels missing from labels: {np.unique(y_true[unknown]).tolist()}."
        )
    if y_prob.ndim == 1:
        if len(labels) != 2:
            raise ValueError(
                "A 1-d y_prob is the probability of the larger label of a binary "
                f"problem, but {source} holds {len(labels)} label(s) {labels.tolist()}: "
                "pass labels=[negative, positive] (the estimator's classes_), or "
                "predict_proba's output of shape (n_samples, n_classes)."
            )
        labels, y_prob = np.sort(labels), np.column_stack([1 - y_prob, y_prob])
    elif y_prob.shape[1] != len(labels):
        raise ValueError(
            f"y_prob has {y_prob.shape[1]} columns but {source} holds {len(labels)} "
            f"labels {labels.tolist()}: pass labels=, the classes of y_prob's columns "
            "in order (the estimator's classes_)."
        )
    if y_prob.min() < 0 or y_prob.max() > 1:
        raise ValueError(
            f"y_prob must hold probabilities in [0, 1]; its values range from "
            f"{y_prob.min():g} to {y_prob.max():g}. Pass predict_proba's output, not "
            "decision_function's."
        )
    sums = y_prob.sum(axis=1)
    off = np.abs(sums - 1) > np.sqrt(np.finfo(y_prob.dtype).eps)
    if off.any():
        row = np.flatnonzero(off)[0]
        raise ValueError(
            f"Each row of y_prob must sum to 1, one probability per class; row {row} "
            f"sums to {sums[row]:g}."
        )
    return labels[y_prob.argmax(axis=1)] == y_true, y_prob.max(axis=1)


def _calibration_error(correct, confidence, n_bins):
    # Bin m holds the confidences in (m / n_bins, (m + 1) / n_bins], the
    # first bin also 0. Summing (correct - confidence) per bin gives
    # (rows in bin) * (accuracy - mean confidence) in one pass.
    bins = np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], confidence, side="left")
    gaps = np.bincount(bins, weights=correct - confidence, minlength=n_bins)
    return float(np.abs(gaps).sum() / len(confidence))


@validate_params(
    {
        "y_true": ["array-like"],
        "y_prob": ["array-like"],
        "labels": ["array-like", None],
        "n_bins": N_BINS_CONSTRAINT,
    },
    prefer_skip_nested_validation=True,
)
def expected_calibration_error(y_true, y_prob, *, labels=None, n_bins=15):
    """Top-label expected calibration error (ECE) of predicted probabilities.

    The confidence of a row is the probability of its predicted class (the
    most probable one). The confidences are cut into ``n_bins`` equal-width
    bins over [0, 1], bin ``m`` holding the confidences in
    ``(m / n_bins, (m + 1) / n_bins]`` (a confidence of 0 goes in the first
    bin), and the ECE is the sum over the bins of
    ``(rows in bin / n_samples) * |accuracy in bin - mean confidence in bin|``
    (Guo et al., 2017, "On calibration of modern neural networks"). 0 is
    perfect calibration; lower is better.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        True labels.
    y_prob : array-like of shape (n_samples, n_classes) or (n_samples,)
        ``predict_proba``'s output, whose columns are ``labels``; or, for a
        binary problem, the probability of the larger of the two labels
        (scikit-learn's positive class, ``classes_[1]``).
    labels : array-like of shape (n_classes,), default=None
        The classes of y_prob's columns, in order. Default: the sorted
        labels of ``y_true``; give the estimator's ``classes_`` when
        ``y_true`` may lack a class.
    n_bins : int, default=15
        Number of equal-width confidence bins.

    Returns
    -------
    ece : float
        In [0, 1].

    Examples
    --------
    >>> from sklearn_sb.inspection import expected_calibration_error
    >>> y_prob = [[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.3, 0.7]]
    >>> expected_calibration_error([0, 1, 1, 0], y_prob, n_bins=5)
    0.25
    """
    correct, confidence = _top_label(y_true, y_prob, labels)
    return _calibration_error(correct, confidence, n_bins)


@validate_params(
    {
        "estimator": [HasMethods(["predict_proba"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "groups": ["array-like"],
        "n_bins": N_BINS_CONSTRAINT,
    },
    prefer_skip_nested_validation=True,
)
def group_scores(estimator, X, y, groups, *, n_bins=15):
    """Accuracy and calibration of a fitted classifier on each group, and summaries.

    The predicted class of a row is its most probable class under
    ``predict_proba``. Accuracy and the expected calibration error
    (:func:`expected_calibration_error`) are computed on each group's rows;
    three summary rows follow:

    * 'worst group': the minimum accuracy over the groups, the maximum
      calibration error over the groups, and the size of the group with the
      minimum accuracy;
    * 'group-balanced': the unweighted means over the groups (every group
      counts the same), and the number of rows;
    * 'average': accuracy and calibration error over all rows (groups
      weighted by their size), and the number of rows.

    Parameters
    ----------
    estimator : fitted classifier
        With ``predict_proba`` and ``classes_``.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        True labels.
    groups : array-like of shape (n_samples,)
        The group of each row: any hashable label (number, string, tuple),
        such as ``2 * y + s`` for a binary label and a binary simple feature.
    n_bins : int, default=15
        Number of equal-width confidence bins of the calibration error.

    Returns
    -------
    scores : pandas.DataFrame
        One row per group, indexed by the sorted group labels (index name
        'group'), then the rows 'worst group', 'group-balanced' and
        'average'; columns 'samples', 'accuracy' and
        'expected calibration error'.

    See Also
    --------
    make_group_scorer : The same metrics as scorers for model selection.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_sb.inspection import group_scores
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0], [-0.5], [0.5]])
    >>> y = np.array([0, 0, 1, 1, 1, 0])
    >>> model = LogisticRegression().fit(X, y)
    >>> table = group_scores(model, X, y, groups=[0, 0, 0, 0, 1, 1])
    >>> table.index.tolist()
    [0, 1, 'worst group', 'group-balanced', 'average']
    >>> table["accuracy"].round(2).tolist()
    [1.0, 0.0, 0.0, 0.5, 0.67]
    """
    check_is_fitted(estimator)
    y = validated_targets(estimator, X, y)
    _check_one_per_row(X=len(y), groups=len(groups))
    codes, names = group_codes(groups)
    correct, confidence = _top_label(y, estimator.predict_proba(X), estimator.classes_)

    samples = np.bincount(codes)
    accuracy = np.bincount(codes, weights=correct) / samples
    calibration = np.array(
        [
            _calibration_error(correct[codes == g], confidence[codes == g], n_bins)
            for g in range(len(names))
        ]
    )
    worst = accuracy.argmin()
    summaries = {
        "worst group": (samples[worst], accuracy[worst], calibration.max()),
        "group-balanced": (len(y), accuracy.mean(), calibration.mean()),
        "average": (len(y), correct.mean(), _calibration_error(correct, confidence, n_bins)),
    }
    rows = [*zip(samples, accuracy, calibration), *summaries.values()]
    index = pd.Index([*names, *summaries], name="group", tupleize_cols=False)
    return pd.DataFrame(rows, columns=list(COLUMNS), index=index)


class _GroupScorer:
    """``metric(y_true, estimator.predict(X), groups=groups)``, with ``groups`` per call.

    Built on :func:`~sklearn.metrics.make_scorer` at each call, so that
    ``groups`` also reaches the metric when metadata routing is off, where
    scikit-learn's scorers refuse extra arguments.
    """

    def __init__(self, metric, kwargs):
        self.metric = metric
        self.kwargs = kwargs

    def __call__(self, estimator, X, y_true, groups=None):
        if groups is None:
            raise ValueError(
                f"The scorer {self!r} needs the groups of the rows: call "
                "scorer(estimator, X, y, groups=groups); in cross_validate or "
                "GridSearchCV, enable metadata routing "
                "(sklearn.set_config(enable_metadata_routing=True)) and pass them with "
                "cross_validate(..., params={'groups': groups}) or "
                "search.fit(X, y, groups=groups)."
            )
        return make_scorer(self.metric, groups=groups, **self.kwargs)(estimator, X, y_true)

    def get_metadata_routing(self):
        """The scorer's request: ``groups``, for ``score``."""
        request = MetadataRequest(owner=type(self).__name__)
        request.score.add_request(param="groups", alias=True)
        return request

    def __repr__(self):
        return f"make_group_scorer({getattr(self.metric, '__name__', self.metric)!r})"


class _CalibrationScorer:
    """The negated ECE of ``estimator.predict_proba(X)``, with its ``classes_`` as labels.

    The labels come from the estimator, not from ``y_true``: a test fold that
    lacks a class is still scored.
    """

    def __init__(self, kwargs):
        self.kwargs = kwargs

    def __call__(self, estimator, X, y_true):
        scorer = make_scorer(
            expected_calibration_error,
            response_method="predict_proba",
            greater_is_better=False,
            labels=estimator.classes_,
            **self.kwargs,
        )
        return scorer(estimator, X, y_true)

    def __repr__(self):
        return "make_group_scorer('expected_calibration_error')"


GROUP_METRICS = {
    "worst_group_accuracy": worst_group_accuracy,
    "group_balanced_accuracy": group_balanced_accuracy,
}


@validate_params(
    {"metric": [StrOptions({*GROUP_METRICS, "expected_calibration_error"}), callable]},
    prefer_skip_nested_validation=True,
)
def make_group_scorer(metric, **kwargs):
    """A scorer of worst-group or group-balanced accuracy, or of calibration.

    The group metrics take each row's group: called directly,
    ``scorer(estimator, X, y, groups=groups)``; in
    :func:`~sklearn.model_selection.cross_validate` or
    :class:`~sklearn.model_selection.GridSearchCV`, the scorer requests
    ``groups`` through scikit-learn's metadata routing, which has to be
    enabled (``sklearn.set_config(enable_metadata_routing=True)``), and the
    test rows' groups reach it from ``cross_validate(..., params={'groups':
    groups})`` or ``search.fit(X, y, groups=groups)``.

    Parameters
    ----------
    metric : {'worst_group_accuracy', 'group_balanced_accuracy', \
'expected_calibration_error'} or callable
        A name, or a metric ``f(y_true, y_pred, *, groups)`` scored on
        ``predict``'s output, greater is better. The calibration error is
        scored on ``predict_proba``'s output, with the estimator's
        ``classes_`` as labels; lower is better, so its score is the negated
        error, as scikit-learn's 'neg_*' scorers. It takes no groups.
    **kwargs
        Other keyword arguments of the metric, such as ``n_bins``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y[, groups=groups])``.

    Examples
    --------
    >>> import numpy as np
    >>> import sklearn
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_validate
    >>> from sklearn_sb.inspection import make_group_scorer
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(40, 2))
    >>> y = (X[:, 0] > 0).astype(int)
    >>> groups = 2 * y + (X[:, 1] > 0)
    >>> scorer = make_group_scorer("worst_group_accuracy")
    >>> with sklearn.config_context(enable_metadata_routing=True):
    ...     scores = cross_validate(LogisticRegression(), X, y, cv=2, scoring=scorer,
    ...                             params={"groups": groups})
    >>> scores["test_score"].round(2).tolist()
    [0.8, 0.8]
    """
    if isinstance(metric, str) and metric == "expected_calibration_error":
        if "labels" in kwargs:
            raise ValueError(
                "The calibration scorer takes the labels from the estimator's "
                "classes_; drop labels= from make_group_scorer."
            )
        return _CalibrationScorer(kwargs)
    if "groups" in kwargs:
        raise ValueError(
            "The groups are given to the scorer at each call, or routed to it by "
            "cross_validate and GridSearchCV; drop groups= from make_group_scorer."
        )
    return _GroupScorer(GROUP_METRICS[metric] if isinstance(metric, str) else metric, kwargs)
