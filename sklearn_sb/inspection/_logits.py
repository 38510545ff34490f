"""Logit distributions on standard and randomized data."""

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.validation import check_is_fitted

from ..utils._blocks import simple_and_complex
from ..utils._param_validation import HasMethods, validate_params
from ..utils._randomize import randomize_validated
from ._scores import CONDITIONS, MEASUREMENT_CONSTRAINTS, _validated_inputs


def binary_margin(estimator, X):
    """The score whose sign is the prediction of a fitted binary classifier.

    ``logit[1] - logit[0]`` for networks, else ``decision_function(X)``, else
    the log-odds of ``predict_proba``: positive exactly where the model
    predicts ``classes_[1]``.
    """
    _check_binary(estimator, "binary_margin")
    if hasattr(estimator, "predict_logits"):
        logits = estimator.predict_logits(X)
        return logits[:, 1] - logits[:, 0]
    return _positive_score(estimator, X)


def _check_binary(estimator, caller):
    check_is_fitted(estimator)
    classes = getattr(estimator, "classes_", None)
    if classes is not None and len(classes) != 2:
        raise ValueError(
            f"{caller} needs a binary classifier; {type(estimator).__name__} has "
            f"{len(classes)} classes {list(classes)}."
        )


def _positive_score(estimator, X):
    if hasattr(estimator, "decision_function"):
        return np.asarray(estimator.decision_function(X), dtype=np.float64)
    proba = np.clip(estimator.predict_proba(X)[:, 1], 1e-12, 1 - 1e-12)
    return np.log(proba) - np.log1p(-proba)


@validate_params(
    {"estimator": [HasMethods(["predict"])], "X": ["array-like"]},
    prefer_skip_nested_validation=True,
)
def positive_logits(estimator, X):
    """The positive-class score of a fitted classifier, on the logit scale.

    ``predict_logits(X)[:, 1]`` for :class:`~sklearn_sb.SBNetClassifier`,
    else ``decision_function(X)``, else the log-odds of ``predict_proba``.

    Parameters
    ----------
    estimator : fitted binary classifier
    X : array-like of shape (n_samples, n_features)

    Returns
    -------
    logits : ndarray of shape (n_samples,)
    """
    _check_binary(estimator, "positive_logits")
    if hasattr(estimator, "predict_logits"):
        return estimator.predict_logits(X)[:, 1].astype(np.float64)
    return _positive_score(estimator, X)


@validate_params(
    {**MEASUREMENT_CONSTRAINTS, "random_state": ["random_state"]},
    prefer_skip_nested_validation=True,
)
def randomized_logits(estimator, X, y, *, simple_features, rotation=None, random_state=None):
    """Positive-class logits on standard, S-randomized and S^c-randomized data.

    Figure 3a of the paper, as numbers. Two statistics tell the regimes
    apart:

    * ``ks_to_standard``: the two-sample Kolmogorov-Smirnov distance between
      the logits on randomized data and on standard data; near 0 when the
      model ignores the randomized block ("essentially identical");
    * ``class_ks``: the KS distance between the logits of the two classes;
      near 0 when the logits are "shuffled across classes", near 1 when the
      classes stay apart.

    Parameters
    ----------
    estimator : fitted binary classifier
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    simple_features : array-like of int or bool, or dataset Bunch
        The block S; a dataset Bunch also gives the rotation.
    rotation : ndarray of shape (n_features, n_features), default=None
    random_state : int, RandomState instance or None, default=None

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``logits``: a dict from condition ('standard', 'S-randomized',
        'S^c-randomized') to an array of shape (n_samples,); ``y`` as given;
        ``summary``: a DataFrame with ``ks_to_standard`` and ``class_ks``
        per condition.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.inspection import randomized_logits
    >>> data = make_lms(2000, 10, random_state=0, return_X_y=False)
    >>> model = LogisticRegression().fit(data.X, data.y)
    >>> result = randomized_logits(model, data.X, data.y, simple_features=data,
    ...                            random_state=0)
    >>> result.summary.round(1)["class_ks"].tolist()
    [1.0, 0.0, 1.0]
    """
    X, y = _validated_inputs(estimator, X, y, [])
    classes = np.unique(y)
    if len(classes) != 2:
        raise ValueError(f"randomized_logits needs binary y; got classes {classes.tolist()}.")
    simple, rest, rotation = simple_and_complex(simple_features, rotation, X.shape[1])
    rng = check_random_state(random_state)
    data = {
        "standard": X,
        "S-randomized": randomize_validated(X, simple, rotation, rng.permutation(len(X))),
        "S^c-randomized": randomize_validated(X, rest, rotation, rng.permutation(len(X))),
    }
    logits = {condition: positive_logits(estimator, data[condition]) for condition in CONDITIONS}
    positive = y == classes[1]
    summary = pd.DataFrame(
        {
            "ks_to_standard": [
                ks_2samp(logits[c], logits["standard"]).statistic for c in CONDITIONS
            ],
            "class_ks": [
                ks_2samp(logits[c][positive], logits[c][~positive]).statistic
                for c in CONDITIONS
            ],
        },
        index=pd.Index(CONDITIONS, name="data"),
    )
    return Bunch(logits=logits, y=y, summary=summary)
