"""Accuracy and binary ROC AUC computed straight from one prediction.

scikit-learn's scorers re-derive the target type (several passes of
``np.unique``) on every call; for the two metrics of the paper the
randomized scorers compute them directly. Results equal scikit-learn's.
"""

import numpy as np


def binary_roc_auc(positive, scores):
    """ROC AUC from the Mann-Whitney statistic, ties counted as one half.

    Parameters
    ----------
    positive : ndarray of bool, shape (n_samples,)
    scores : ndarray of shape (n_samples,)

    Returns
    -------
    auc : float
    """
    order = np.argsort(scores, kind="quicksort")
    sorted_scores = scores[order]
    n = len(scores)
    # Average 1-based rank of every run of tied scores.
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    ends = np.r_[starts[1:], n]
    ranks = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    is_positive = positive[order]
    n_positive = int(is_positive.sum())
    n_negative = n - n_positive
    rank_sum = ranks[is_positive].sum()
    return float((rank_sum - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative))


def fast_metric(metric, estimator):
    """A function ``(estimator, X, y) -> score`` for 'accuracy' or binary 'roc_auc', else None."""
    if metric == "accuracy" and hasattr(estimator, "predict"):
        return lambda est, X, y: float(np.mean(est.predict(X) == np.asarray(y)))
    classes = getattr(estimator, "classes_", None)
    if metric != "roc_auc" or classes is None or len(classes) != 2:
        return None
    if hasattr(estimator, "predict_logits"):
        # The float32 margin sorts faster than decision_function's float64 copy.
        def scores(est, X):
            logits = est.predict_logits(X)
            return logits[:, 1] - logits[:, 0]
    elif hasattr(estimator, "decision_function"):
        def scores(est, X):
            return est.decision_function(X)
    elif hasattr(estimator, "predict_proba"):
        def scores(est, X):
            return est.predict_proba(X)[:, 1]
    else:
        return None
    return lambda est, X, y: binary_roc_auc(np.asarray(y) == classes[1], scores(est, X))
