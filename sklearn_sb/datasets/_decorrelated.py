"""Side data of a synthetic dataset: fresh rows whose simple block no longer predicts the label."""

from numbers import Integral

from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params

from ..utils._random import draw_seed
from ..utils._randomize import randomize_block
from ._synthetic import make_lms, make_lsn, make_slabs

_GENERATORS = {function.__name__: function for function in (make_lms, make_slabs, make_lsn)}


@validate_params(
    {
        "data": [dict],
        "n_samples": [Interval(Integral, 2, None, closed="left")],
        "labeled": ["boolean"],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_decorrelated(data, n_samples, *, labeled=False, random_state=None):
    """Fresh rows of a synthetic dataset with its simple block S permuted across them.

    The side data of the methods against simplicity bias, in one call: the
    rows are drawn from the same generator with the same options and the
    same rotation as ``data`` (independently of its rows), then the simple
    block S (the linear coordinate) moves as a whole by one random
    permutation of the rows, so that S no longer predicts the label while
    the complex block S^c still does. Unlabeled, they are an
    out-of-distribution set ``X_ood`` (D-BAT, DivDis); labeled, a
    decorrelated set ``X_val, y_val`` to choose a model or to refit a last
    layer (DFR).

    Read more in the :ref:`User Guide <side-information>`.

    Parameters
    ----------
    data : Bunch
        A dataset from :func:`~sklearn_sb.make_lms`,
        :func:`~sklearn_sb.make_slabs` or :func:`~sklearn_sb.make_lsn`
        with ``return_X_y=False``.
    n_samples : int
        Rows to draw.
    labeled : bool, default=False
        Return the labels too.
    random_state : int, RandomState instance or None, default=None
        Draws the rows and the permutation.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The rows, S permuted.
    y : ndarray of shape (n_samples,)
        Their labels, when ``labeled=True``.

    Examples
    --------
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.datasets import make_decorrelated
    >>> data = make_lms(2000, 10, random_state=0, return_X_y=False)
    >>> X_ood = make_decorrelated(data, 500, random_state=1)
    >>> X_val, y_val = make_decorrelated(data, 500, labeled=True, random_state=2)
    >>> X_ood.shape, X_val.shape, y_val.shape
    ((500, 10), (500, 10), (500,))
    """
    generator = _GENERATORS.get(data.get("generator"))
    if generator is None or "parameters" not in data:
        raise ValueError(
            "make_decorrelated draws more rows of a synthetic dataset, the Bunch "
            f"{', '.join(_GENERATORS)} return with return_X_y=False; this one has no "
            f"known generator (its fields: {', '.join(data)}). For images, fetch_dominoes' "
            "holdout reserve gives decorrelated rows.")
    rng = check_random_state(random_state)
    fresh = generator(**{**data["parameters"], "n_samples": n_samples,
                         "rotation": data["rotation"], "random_state": draw_seed(rng),
                         "return_X_y": False})
    permutation = rng.permutation(n_samples)
    X = randomize_block(fresh.X, data["simple_features"], data["rotation"], permutation)
    return (X, fresh.y) if labeled else X
