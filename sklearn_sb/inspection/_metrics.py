"""Accuracy and binary ROC AUC computed straight from one prediction.

scikit-learn's scorers re-derive the target type (several passes of
``np.unique``) on every call; for the two metrics of the paper the
randomized scorers compute them directly. Results equal scikit-learn's.
"""

import numpy as np


def binary_roc_auc(positive, scores):
    """ROC AUC as the Mann-Whitney statistic, ties counted as one half.

    Each class's scores are sorted and, for every positive, the negatives
    below it are counted with ``searchsorted``: exact, and about twice as
    fast as ranking all scores with ``argsort``. Ties are looked up only for
    the positives that have one.

    Parameters
    ----------
    positive : ndarray of bool, shape (n_samples,)
    scores : ndarray of shape (n_samples,)

    Returns
    -------
    auc : float
    """
    positives = np.sort(scores[positive])
    negatives = np.sort(scores[~positive])
    if len(positives) == 0 or len(negatives) == 0:
        raise ValueError("ROC AUC needs samples of both classes.")
    if np.isnan(positives[-1]) or np.isnan(negatives[-1]):
        raise ValueError(
            "The scores contain NaN, so ROC AUC is undefined; the model's outputs "
            "are not finite (a diverged network, say)."
        )
    below = np.searchsorted(negatives, positives, side="left")
    tied = negatives[np.minimum(below, len(negatives) - 1)] == positives
    pairs_below = below.sum(dtype=np.int64)
    if tied.any():
        below_or_tied = np.searchsorted(negatives, positives[tied], side="right")
        pairs_below = pairs_below + (below_or_tied - below[tied]).sum() / 2
    return float(pairs_below / (len(positives) * len(negatives)))


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
