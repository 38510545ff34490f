"""RandomizedFeatureScorer: randomize a feature block, as a transformer and a scorer."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.metrics import get_scorer, get_scorer_names
from sklearn.utils import check_random_state
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ..base import restored_on_failure
from ..utils._blocks import check_rotation, resolve_block, unpack_dataset
from ..utils._param_validation import Interval, StrOptions
from ._metrics import fast_metric
from ..utils._randomize import randomize_validated


class RandomizedFeatureScorer(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Randomize a block of features jointly; score a model on the result.

    The paper's instrument for simplicity bias. In the unrotated basis
    ``Z = X @ rotation.T``, one permutation of the rows is drawn and the
    block's coordinates are taken from the permuted rows, all together: the
    block keeps its joint distribution but loses its link to the label.
    Labels and the other coordinates are untouched. (scikit-learn's
    :func:`~sklearn.inspection.permutation_importance` permutes one column
    at a time instead.)

    The object is two things:

    * a transformer: placed before a classifier in a
      :class:`~sklearn.pipeline.Pipeline`, it trains the classifier on
      block-randomized data (the paper's "S removed" experiment);
    * a scorer: ``scorer(estimator, X, y)`` is the ``metric`` of a fitted
      ``estimator`` on randomized ``X``, averaged over ``n_repeats``
      randomizations, for ``cross_validate(scoring=...)`` or
      ``GridSearchCV(scoring=...)``. It needs no fit.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    features : array-like of int or bool
        The block: indices of unrotated coordinates or a boolean mask. Use
        :meth:`from_dataset` to name a dataset's 'simple' or 'complex' block.
    rotation : ndarray of shape (n_features, n_features), default=None
        The orthogonal matrix with ``X = Z @ rotation``; None means X is
        already in the unrotated basis.
    metric : str or callable, default='roc_auc'
        A scikit-learn scorer name ('accuracy', 'roc_auc', 'neg_log_loss',
        ...) or a callable ``scorer(estimator, X, y)``.
    n_repeats : int, default=1
        Randomizations averaged by the scorer.
    random_state : int, RandomState instance or None, default=None
        Draws the permutations. With an int, every call randomizes the same
        way.

    Attributes
    ----------
    features_ : ndarray of int
        The resolved block (set by :meth:`fit`).
    n_features_in_ : int
        Number of features seen during :meth:`fit`.
    feature_names_in_ : ndarray of str
        Names of the features, when X was a DataFrame with string columns.

    See Also
    --------
    randomized_scores : Standard, S- and S^c-randomized scores in one table.

    Examples
    --------
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.inspection import RandomizedFeatureScorer
    >>> data = make_lms(2000, 10, random_state=0, return_X_y=False)
    >>> model = LogisticRegression().fit(data.X, data.y)
    >>> s_randomized = RandomizedFeatureScorer.from_dataset(data, "simple",
    ...                                                     random_state=0)
    >>> round(s_randomized(model, data.X, data.y), 1)
    0.5
    >>> s_randomized.fit_transform(data.X).shape
    (2000, 10)
    """

    _parameter_constraints = {
        "features": ["array-like"],
        "rotation": ["array-like", None],
        "metric": [StrOptions(set(get_scorer_names())), callable],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(
        self, features, *, rotation=None, metric="roc_auc", n_repeats=1, random_state=None
    ):
        self.features = features
        self.rotation = rotation
        self.metric = metric
        self.n_repeats = n_repeats
        self.random_state = random_state

    @classmethod
    def from_dataset(cls, data, block="simple", **params):
        """Randomize a dataset's 'simple' (S) or 'complex' (S^c) block.

        Parameters
        ----------
        data : Bunch
            A dataset returned with ``return_X_y=False``: it carries the
            block indices and the rotation.
        block : {'simple', 'complex'}, default='simple'
        **params
            Other parameters of the constructor.

        Returns
        -------
        scorer : RandomizedFeatureScorer
        """
        if block not in ("simple", "complex"):
            raise ValueError(f"block must be 'simple' or 'complex'; got {block!r}.")
        features, rotation = unpack_dataset(data, None, which=block)
        return cls(features, rotation=rotation, **params)

    def fit(self, X, y=None):
        """Check the block and the rotation against ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : RandomizedFeatureScorer
        """
        self._validate_params()
        with restored_on_failure(self):
            X = validate_data(self, X, reset=True)
            self.features_, self.rotation_ = self._resolve(X.shape[1])
        return self

    def transform(self, X):
        """Randomize the block of ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        X_randomized : ndarray of shape (n_samples, n_features)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        rng = check_random_state(self.random_state)
        return self._randomized(X, self.features_, self.rotation_, rng)

    def __call__(self, estimator, X, y):
        """Score a fitted ``estimator`` on block-randomized ``X``.

        Parameters
        ----------
        estimator : fitted classifier
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        score : float
            The ``metric`` averaged over ``n_repeats`` randomizations.
        """
        check_is_fitted(estimator)
        columns = X.columns if isinstance(X, pd.DataFrame) else None
        # Only what randomizing needs: the estimator validates X itself.
        values = check_array(X, dtype="numeric", ensure_all_finite=False)
        dtype = input_dtype(estimator)
        features, rotation = self._checked_blocks(values.shape[1])
        y = validated_targets(estimator, values, y)
        check_targets_for_metric(self.metric, y)
        scorer = fast_metric(self.metric, estimator)
        if scorer is None:
            scorer = get_scorer(self.metric) if isinstance(self.metric, str) else self.metric
        rng = check_random_state(self.random_state)
        scores = []
        for _ in range(self.n_repeats):
            randomized = self._randomized(values, features, rotation, rng, dtype=dtype)
            if columns is not None:
                randomized = pd.DataFrame(randomized, columns=columns, index=X.index)
            scores.append(scorer(estimator, randomized, y))
        return float(np.mean(scores))

    def _resolve(self, n_features):
        block = resolve_block(self.features, n_features)
        return block, check_rotation(self.rotation, n_features)

    def _checked_blocks(self, n_features):
        """The validated parameters, checked once per set of parameters and width of X.

        A scorer is called once per fold or candidate of a search: the
        validation runs at the first call and again after ``set_params``.
        """
        checked = getattr(self, "_checked", None)
        if checked is None or checked[0] != n_features:
            self._validate_params()
            self._checked = (n_features, *self._resolve(n_features))
        return self._checked[1:]

    def set_params(self, **params):
        self._checked = None
        return super().set_params(**params)

    @staticmethod
    def _randomized(X, features, rotation, rng, *, dtype=None):
        return randomize_validated(X, features, rotation, rng.permutation(len(X)), dtype=dtype)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def input_dtype(estimator):
    """The dtype to randomize ``X`` into: the one ``estimator`` computes in, if it says.

    Networks compute in float32 (``SBNetClassifier._input_dtype``); a
    randomized copy made directly in float32 moves half the memory and
    spares the estimator its own conversion. Otherwise None: X's dtype.
    """
    return getattr(estimator, "_input_dtype", None)


def validated_targets(estimator, X, y):
    """``y`` as scikit-learn's scorers take it, checked against X and the model.

    One label per row of X, as a 1-d array (a column vector is raveled, with
    scikit-learn's DataConversionWarning), of the same kind (strings or
    numbers) as the model's classes when it has them: comparing string
    labels with integer predictions would score 0 without a word.
    """
    y = column_or_1d(y, warn=True)
    check_consistent_length(X, y)
    classes = getattr(estimator, "classes_", None)
    if classes is not None and len(y) and _holds_strings(y) != _holds_strings(classes):
        raise ValueError(
            f"y holds labels like {y[0]!r}, but {type(estimator).__name__} was fitted "
            f"on the classes {list(classes)}: pass labels of the same type."
        )
    return y


def _holds_strings(labels):
    labels = np.asarray(labels)
    return labels.dtype.kind in "US" or (labels.dtype == object and isinstance(labels[0], str))


def check_targets_for_metric(metric, y):
    """ROC AUC needs both classes, and 'roc_auc' two only: say so before scikit-learn.

    Linear passes, no sort: the scorers call this for every score.
    """
    if not (isinstance(metric, str) and metric.startswith("roc_auc")):
        return
    y = np.asarray(y)
    others = y[y != y[0]] if len(y) else y
    if others.size == 0:
        raise ValueError(
            f"The metric {metric!r} needs samples of both classes in y; y has only "
            f"class {np.unique(y).tolist()}. Score on a sample with both classes "
            "or use metric='accuracy'."
        )
    if metric == "roc_auc" and np.any(others != others[0]):
        raise ValueError(
            f"The metric 'roc_auc' is for two classes; y has {len(np.unique(y))}. Use "
            "'roc_auc_ovr' or 'accuracy'."
        )
