"""Output-based shift detectors: how in-distribution a model's outputs make a row look."""

from numbers import Real

import numpy as np
from scipy.special import logsumexp
from sklearn.utils.validation import check_is_fitted

from ..utils._param_validation import HasMethods, Interval, StrOptions, validate_params

DETECTORS = ("max_softmax", "energy", "max_logit")


@validate_params(
    {
        "estimator": [HasMethods(["predict_logits"]), HasMethods(["predict_proba"])],
        "X": ["array-like"],
        "detector": [StrOptions(set(DETECTORS))],
        "temperature": [Interval(Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def in_distribution_scores(estimator, X, *, detector="max_softmax", temperature=1.0):
    """Scores of output-based shift detectors; higher means more in-distribution.

    Output-based detectors flag a row as shifted when the model's outputs
    on it look unusual. With ``f(x)`` the logits and ``T`` the
    temperature:

    * ``'max_softmax'``: the maximum softmax probability
      ``max_k softmax(f(x) / T)_k`` (Hendrycks & Gimpel, 2017 [1]_), in
      ``[1 / n_classes, 1]``;
    * ``'energy'``: the negative free energy
      ``T * logsumexp(f(x) / T)`` (Liu et al., 2020 [2]_);
    * ``'max_logit'``: ``max_k f(x)_k``, which ``T`` does not change.

    All three are oriented like scikit-learn's ``score_samples``: the
    higher, the more a row looks like the training data. The ROC AUC of
    these scores on in-distribution against shifted rows measures how well
    the detector tells them apart (0.5: not at all). A model that ignores
    the complex block S^c has the same outputs on S^c-shifted data, so no
    such detector can see that shift.

    Read more in the :ref:`User Guide <shift-detectors>`.

    Parameters
    ----------
    estimator : fitted classifier
        With ``predict_logits`` (:class:`~sklearn_sb.SBNetClassifier`,
        :class:`~sklearn_sb.mitigation.LogitEnsembleClassifier`), or, for
        ``'max_softmax'`` only, ``predict_proba``, whose logarithm serves as
        the logits (softmax is unchanged by a shift of all logits).
    X : array-like of shape (n_samples, ...)
        Input the estimator accepts; it validates X itself.
    detector : {'max_softmax', 'energy', 'max_logit'}, default='max_softmax'
    temperature : float > 0, default=1.0
        ``T`` in the formulas above.

    Returns
    -------
    scores : ndarray of shape (n_samples,), float64

    References
    ----------
    .. [1] D. Hendrycks and K. Gimpel, "A Baseline for Detecting
       Misclassified and Out-of-Distribution Examples in Neural Networks",
       ICLR 2017.
    .. [2] W. Liu, X. Wang, J. Owens and Y. Li, "Energy-based
       Out-of-distribution Detection", NeurIPS 2020.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.inspection import in_distribution_scores
    >>> X, y = make_lms(1000, 10, random_state=0)
    >>> model = LogisticRegression().fit(X, y)
    >>> in_distribution_scores(model, X[:3]).round(2)
    array([1.  , 1.  , 0.97])
    >>> in_distribution_scores(model, X[:3], temperature=10.0).round(2)
    array([0.67, 0.68, 0.59])
    """
    check_is_fitted(estimator)
    logits = _logits(estimator, X, detector) / temperature
    if detector == "max_logit":
        return logits.max(axis=1) * temperature
    log_partition = logsumexp(logits, axis=1)
    if detector == "energy":
        return log_partition * temperature
    return np.exp(logits.max(axis=1) - log_partition)


def _logits(estimator, X, detector):
    """The estimator's logits in float64, or log-probabilities for 'max_softmax'."""
    if hasattr(estimator, "predict_logits"):
        return np.asarray(estimator.predict_logits(X), dtype=np.float64)
    if detector != "max_softmax":
        raise ValueError(
            f"detector={detector!r} reads logits, and {type(estimator).__name__} has no "
            "predict_logits; use detector='max_softmax', which needs only predict_proba."
        )
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(estimator.predict_proba(X), dtype=np.float64))
