"""The paper's control: train where the simple block S carries no information."""

from numbers import Integral

from sklearn.base import clone
from sklearn.metrics import get_scorer_names
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.validation import check_array, check_consistent_length

from ..utils._blocks import BLOCK_CONSTRAINTS, simple_and_complex
from ..utils._param_validation import HasMethods, Interval, StrOptions, validate_params
from ..utils._randomize import randomize_validated
from ._scores import randomized_scores


@validate_params(
    {
        "estimator": [HasMethods(["fit", "predict"])],
        "X_train": ["array-like"],
        "y_train": ["array-like"],
        "X_test": ["array-like"],
        "y_test": ["array-like"],
        "simple_features": BLOCK_CONSTRAINTS,
        "rotation": ["array-like", None],
        "metrics": [StrOptions(set(get_scorer_names())), tuple, list],
        "n_repeats": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def s_removed_control(
    estimator,
    X_train,
    y_train,
    X_test,
    y_test,
    *,
    simple_features,
    rotation=None,
    metrics=("accuracy", "roc_auc"),
    n_repeats=3,
    random_state=None,
):
    """Fit a clone on data with S randomized: what the complex block alone gives.

    The paper's control experiment: "if S is removed from the dataset,
    SGD-trained models with the same sample size indeed rely on S^c to
    attain 100 % accuracy". The simple block S of the training rows is
    randomized jointly across rows (one permutation, in the unrotated basis,
    as in :func:`randomized_scores`), so it no longer predicts the label;
    a clone of ``estimator`` is fitted on that data and scored with
    :func:`randomized_scores`. Its ``'S-randomized'`` row, the score on test
    rows whose S is randomized too, is the score S^c alone supports: the
    ceiling a method that mitigates simplicity bias can reach.

    Read more in the :ref:`User Guide <inspection>`.

    Parameters
    ----------
    estimator : estimator
        The unfitted model; it is cloned, never modified.
    X_train : array-like of shape (n_train, n_features)
    y_train : array-like of shape (n_train,)
    X_test : array-like of shape (n_test, n_features)
    y_test : array-like of shape (n_test,)
    simple_features : array-like of int or bool, or dataset Bunch
        The block S; a dataset Bunch also gives the rotation (see
        :ref:`feature-blocks`).
    rotation : ndarray of shape (n_features, n_features), default=None
        The orthogonal matrix with ``X = Z @ rotation``; None for unrotated
        data.
    metrics : str or sequence of str, default=('accuracy', 'roc_auc')
        scikit-learn scorer names.
    n_repeats : int, default=3
        Randomizations of the test set per randomized condition.
    random_state : int, RandomState instance or None, default=None
        Draws the training permutation and the test randomizations.
        Seeding the clone is the estimator's own ``random_state``.

    Returns
    -------
    result : :class:`~sklearn.utils.Bunch`
        ``estimator`` (the fitted clone), ``scores`` (the table of
        :func:`randomized_scores` on the test rows) and ``ceiling``
        (``{metric: score}`` of its ``'S-randomized'`` row).

    See Also
    --------
    randomized_scores : The same measurements of a model trained on the data as is.

    Examples
    --------
    >>> from sklearn.neighbors import KNeighborsClassifier
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.inspection import s_removed_control
    >>> data = make_lms(3000, 3, random_state=0, return_X_y=False)
    >>> result = s_removed_control(
    ...     KNeighborsClassifier(), data.X[:2000], data.y[:2000], data.X[2000:],
    ...     data.y[2000:], simple_features=data, metrics="accuracy", random_state=0)
    >>> bool(result.ceiling["accuracy"] > 0.95)
    True
    """
    X_train = check_array(X_train, dtype="numeric")
    X_test = check_array(X_test, dtype="numeric")
    check_consistent_length(X_train, y_train)
    check_consistent_length(X_test, y_test)
    if X_test.shape[1] != X_train.shape[1]:
        raise ValueError(
            f"X_test has {X_test.shape[1]} features, but X_train has {X_train.shape[1]}: "
            "pass test rows of the training data's features."
        )
    simple, _, rotation = simple_and_complex(simple_features, rotation, X_train.shape[1])
    rng = check_random_state(random_state)
    X_removed = randomize_validated(X_train, simple, rotation, rng.permutation(len(X_train)))
    fitted = clone(estimator).fit(X_removed, y_train)
    scores = randomized_scores(fitted, X_test, y_test, simple_features=simple, rotation=rotation,
                               metrics=metrics, n_repeats=n_repeats, random_state=rng)
    ceiling = {column[: -len("_mean")]: float(scores.loc["S-randomized", column])
               for column in scores.columns if column.endswith("_mean")}
    return Bunch(estimator=fitted, scores=scores, ceiling=ceiling)
