"""An ensemble of independently trained networks whose logits are averaged."""

from numbers import Integral

from joblib import Parallel, delayed
from sklearn.base import clone

from ..utils._param_validation import HasMethods, Interval
from ..utils._random import draw_seed
from ._base import BaseNetworkEnsemble, member_template
from ._registry import register_method


@register_method("logit-ensemble", benchmark=lambda size, dataset: LogitEnsembleClassifier(
    dataset.network, n_estimators=3))
class LogitEnsembleClassifier(BaseNetworkEnsemble):
    """Independently trained copies of a network, their logits averaged.

    Each member is a clone of ``estimator`` with its own ``random_state``
    (drawn from this ensemble's), fitted on the same data. Predictions use
    the mean of the members' logits, so the inspection tools and the attacks
    treat the ensemble as one differentiable model.

    Read more in the :ref:`User Guide <mitigation>`.

    Parameters
    ----------
    estimator : SBNetClassifier, default=None
        The member template; None means ``SBNetClassifier()``.
    n_estimators : int, default=3
    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds.
    n_jobs : int, default=None
        Members fitted in parallel (joblib).

    Attributes
    ----------
    estimators_ : list of SBNetClassifier
    selected_ : None
        No member is selected: the ensemble is the model
        (``selection_ = 'ensemble'``).
    selection_ : str
    side_information_ : tuple of str
        ``('none',)``: labels only.
    classes_ : ndarray
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb import SBNetClassifier
    >>> from sklearn_sb.mitigation import LogitEnsembleClassifier
    >>> X, y = make_lms(1000, 10, random_state=0)
    >>> ensemble = LogitEnsembleClassifier(
    ...     SBNetClassifier(module__width=50, max_epochs=5), n_estimators=3,
    ...     random_state=0).fit(X, y)
    >>> ensemble.predict_logits(X[:2]).shape
    (2, 2)
    """

    # No hyperparameters: the members are plain networks, whose own
    # hyperparameters the search draws apart from the method's.

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_logits"]), None],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(self, estimator=None, *, n_estimators=3, random_state=None, n_jobs=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _fit_members(self, X, y):
        template = member_template(self.estimator, type(self).__name__, allow_method=True)
        seeds = draw_seed(self.random_state, size=self.n_estimators)
        members = [clone(template).set_params(random_state=int(seed)) for seed in seeds]
        return Parallel(n_jobs=self.n_jobs)(delayed(member.fit)(X, y) for member in members)
