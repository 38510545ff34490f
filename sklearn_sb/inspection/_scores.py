"""Scores on standard, S-randomized and S^c-randomized data."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.validation import check_array, check_is_fitted

from ..utils._blocks import BLOCK_CONSTRAINTS, check_rotation, simple_and_complex
from ..utils._param_validation import (
    HasAttributes,
    HasMethods,
    Interval,
    StrOptions,
    validate_params,
)
from ..utils._randomize import randomize_validated
from ._scorer import check_targets_for_metric, validated_targets

CONDITIONS = ("standard", "S-randomized", "S^c-randomized")


def _validated_inputs(estimator, X, y, metrics):
    check_is_fitted(estimator)
    X = check_array(X, dtype="numeric")
    y = validated_targets(estimator, X, y)
    for metric in metrics:
        check_targets_for_metric(metric, y)
    return X, y


#: The arguments of a measurement of a fitted model on (X, y) with its block S.
MEASUREMENT_CONSTRAINTS = {
    "estimator": [HasMethods(["predict"])],
    "X": ["array-like"],
    "y": ["array-like"],
    "simple_features": BLOCK_CONSTRAINTS,
    "rotation": ["array-like", None],
}


@validate_params(
    {
        **MEASUREMENT_CONSTRAINTS,
        "metrics": [StrOptions(set(get_scorer_names())), tuple, list],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def randomized_scores(
    estimator,
    X,
    y,
    *,
    simple_features,
    rotation=None,
    metrics=("accuracy", "roc_auc"),
    n_repeats=5,
    random_state=None,
):
    """Scores of a model on standard, S-randomized and S^c-randomized data.

    The paper's reading of simplicity bias in one table. S-randomized data
    has the simple block S randomized jointly across rows (see
    :class:`RandomizedFeatureScorer`), S^c-randomized data the complex block,
    everything else kept. Extreme simplicity bias reads: S-randomized
    AUC ~ 0.5 and S^c-randomized AUC ~ the standard AUC.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    estimator : fitted classifier
        Any classifier with ``decision_function`` or ``predict_proba``.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    simple_features : array-like of int or bool, or dataset Bunch
        The block S (S^c is the rest). A Bunch returned by the dataset
        functions with ``return_X_y=False`` gives both S and the rotation.
    rotation : ndarray of shape (n_features, n_features), default=None
        The orthogonal matrix with ``X = Z @ rotation``; None for unrotated
        data.
    metrics : str or sequence of str, default=('accuracy', 'roc_auc')
        scikit-learn scorer names.
    n_repeats : int, default=5
        Randomizations per randomized condition.
    random_state : int, RandomState instance or None, default=None
        Draws the permutations.

    Returns
    -------
    scores : pandas.DataFrame
        Rows 'standard', 'S-randomized', 'S^c-randomized'; columns
        ``{metric}_mean`` and ``{metric}_std`` for every metric.

    See Also
    --------
    RandomizedFeatureScorer : The same randomization as a scorer and transformer.
    coordinatewise_randomized_scores : One coordinate at a time.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.inspection import randomized_scores
    >>> data = make_lms(2000, 10, random_state=0, return_X_y=False)
    >>> model = LogisticRegression().fit(data.X, data.y)
    >>> table = randomized_scores(model, data.X, data.y, simple_features=data,
    ...                           random_state=0)
    >>> table.round(1)["roc_auc_mean"].tolist()
    [1.0, 0.5, 1.0]
    """
    metrics = [metrics] if isinstance(metrics, str) else list(metrics)
    X, y = _validated_inputs(estimator, X, y, metrics)
    simple, rest, rotation = simple_and_complex(simple_features, rotation, X.shape[1])
    blocks = {"S-randomized": simple, "S^c-randomized": rest}
    scorer = check_scoring(estimator, scoring=metrics)
    rng = check_random_state(random_state)

    runs = {"standard": [scorer(estimator, X, y)]}
    for condition, block in blocks.items():
        runs[condition] = [
            scorer(estimator, randomize_validated(X, block, rotation, rng.permutation(len(X))), y)
            for _ in range(n_repeats)
        ]
    table = pd.DataFrame(index=pd.Index(CONDITIONS, name="data"))
    for metric in metrics:
        values = [[run[metric] for run in runs[condition]] for condition in CONDITIONS]
        table[f"{metric}_mean"] = [np.mean(v) for v in values]
        table[f"{metric}_std"] = [np.std(v) for v in values]
    return table


@validate_params(
    {
        "estimator": [HasMethods(["predict"])],
        "X": ["array-like"],
        "y": ["array-like"],
        "rotation": ["array-like", None, HasAttributes(["rotation"])],
        "metric": [StrOptions(set(get_scorer_names()))],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def coordinatewise_randomized_scores(
    estimator, X, y, *, rotation=None, metric="accuracy", n_repeats=5, random_state=None
):
    """Scores with one unrotated coordinate randomized at a time.

    Shows which coordinates a model depends on: the score drops where the
    model looks and stays put elsewhere.

    Parameters
    ----------
    estimator : fitted classifier
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    rotation : ndarray of shape (n_features, n_features) or dataset Bunch, default=None
        The orthogonal matrix with ``X = Z @ rotation``, or a dataset Bunch
        carrying it; None for unrotated data.
    metric : str, default='accuracy'
        A scikit-learn scorer name.
    n_repeats : int, default=5
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``scores`` of shape (n_features, n_repeats), ``scores_mean`` and
        ``scores_std`` per coordinate, ``baseline_score`` on standard data,
        and ``importances_mean`` = baseline minus ``scores_mean``.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.inspection import coordinatewise_randomized_scores
    >>> data = make_lms(2000, 5, random_state=0, return_X_y=False)
    >>> model = LogisticRegression().fit(data.X, data.y)
    >>> result = coordinatewise_randomized_scores(model, data.X, data.y,
    ...                                           rotation=data, random_state=0)
    >>> int(result.importances_mean.argmax())
    0
    """
    if hasattr(rotation, "rotation"):
        rotation = rotation.rotation
    X, y = _validated_inputs(estimator, X, y, [metric])
    rotation = check_rotation(rotation, X.shape[1])
    scorer = check_scoring(estimator, scoring=metric)
    rng = check_random_state(random_state)
    baseline = scorer(estimator, X, y)
    scores = np.array(
        [
            [
                scorer(
                    estimator,
                    randomize_validated(X, np.array([j]), rotation, rng.permutation(len(X))),
                    y,
                )
                for _ in range(n_repeats)
            ]
            for j in range(X.shape[1])
        ]
    )
    return Bunch(
        scores=scores,
        scores_mean=scores.mean(axis=1),
        scores_std=scores.std(axis=1),
        baseline_score=baseline,
        importances_mean=baseline - scores.mean(axis=1),
    )
