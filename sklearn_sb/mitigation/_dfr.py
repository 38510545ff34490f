"""Deep feature reweighting: retrain the last layer on a decorrelated set (Kirichenko et al.)."""

from numbers import Integral

import numpy as np
import torch
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_is_fitted

from ..utils._param_validation import HasMethods, Interval
from ..utils._random import draw_seed
from ..utils._warnings import warn
from ._base import BaseNetworkEnsemble, member_template
from ._joint import member_view
from ._l1_logistic import l1_logistic
from ._registry import register_method
from ._side_data import SideDatum, check_two_classes
from ._surgery import check_last_step, split_last_linear

_BATCH = 4096
# Above, C times the summed logistic loss leaves double precision's range for
# large sets; the penalty is negligible long before.
_MAX_C = 1e10


def _batched(module, X, device):
    with torch.no_grad():
        return torch.cat([
            module(torch.as_tensor(X[start:start + _BATCH], device=device)).cpu()
            for start in range(0, len(X), _BATCH)
        ]).numpy()


def _balanced_rows(groups, rng):
    """Indices of an equal number of rows of every group (the smallest group's size)."""
    labels, counts = np.unique(groups, return_counts=True)
    return np.concatenate([rng.choice(np.flatnonzero(groups == g), counts.min(), replace=False)
                           for g in labels])


def _l1_logistic(C, X, labels, n_classes, start=None):
    """l1 logistic regression, one-vs-rest for several classes.

    Returns the coefficients, the intercepts and how many of the fits ran
    out of iterations; ``start`` is an earlier result's ``(coef, intercept)``.
    """
    targets = [labels == 1] if n_classes == 2 else [labels == k for k in range(n_classes)]
    fits = [l1_logistic(X, target, C,
                        start=None if start is None else np.append(start[0][k], start[1][k]))
            for k, target in enumerate(targets)]
    return (np.vstack([coef for coef, _, _ in fits]),
            np.array([intercept for _, intercept, _ in fits]),
            sum(not converged for _, _, converged in fits))


def _check_frozen_fits(network, X, y):
    """Refuse data the frozen network was not fitted on: other features or other classes."""
    fitted, given = getattr(network, "n_features_in_", None), int(np.prod(X.shape[1:]))
    if fitted is not None and fitted != given:
        raise ValueError(
            f"The frozen network was fitted on {fitted} features, and X has {given}: DFR "
            "refits the last layer of a network on the data it was trained on.")
    classes = np.unique(y)
    if len(classes) != len(network.classes_) or \
            not np.array_equal(classes.astype(object), np.asarray(network.classes_, dtype=object)):
        raise ValueError(
            f"The frozen network was fitted on the classes {network.classes_.tolist()}, and "
            f"y has {classes.tolist()}: give y in the network's classes (its last layer has "
            "one output per class).")


def _predict(X, coef, intercept):
    scores = X @ coef.T + intercept
    return (scores[:, 0] > 0).astype(int) if scores.shape[1] == 1 else scores.argmax(axis=1)


@register_method("dfr")
class DFRClassifier(BaseNetworkEnsemble):
    """Deep feature reweighting: a network's last layer refitted on decorrelated data.

    The network is fitted on ``(X, y)`` (or kept, when ``estimator`` is a
    :class:`~sklearn.frozen.FrozenEstimator` of a fitted one); then only its
    last linear layer is replaced, following the authors' recipe
    (``dfr_evaluate_spurious.py`` of Kirichenko, Izmailov and Wilson, ICLR
    2023): an l1-penalized logistic regression on the penultimate
    embeddings is tuned over ``C``: fitted on a group-balanced subset of one
    half of the labeled decorrelated set ``(X_val, y_val)`` (standardized
    with that subset's statistics), scored by its worst-group accuracy on
    the other half; with the best ``C``, it is refitted ``n_refits`` times
    on group-balanced subsets of the whole set (standardized with the
    training rows' statistics) and the coefficients are averaged. Groups
    are ``groups`` when given, else the classes.

    The regression minimizes the objective of the authors' solver,
    scikit-learn's ``liblinear`` with ``penalty='l1'`` (whose intercept is
    penalized like a weight), with L-BFGS-B instead: liblinear's coordinate
    descent takes seconds per fit on these embeddings and often stops at
    its 100 iterations; the minimum is the same.

    It answers the paper's question "learned but unused, or never learned?"
    as a probe: if the retrained network uses S^c (high S-randomized
    accuracy), the penultimate layer carries the complex features.

    In the package's ensemble contract DFR has one member, the network with
    its last layer retrained, and selects none.

    Side data of :meth:`fit` (keywords; see :ref:`side-information`):

    * ``X_val``, ``y_val``: the labeled decorrelated set the last layer is
      fitted on (``'labeled_decorrelated_fit'``). Without them the layer is
      refitted on the training rows themselves (the paper's DFR^Tr_Tr,
      ``'none'``);
    * ``groups``: the groups of the ``X_val`` rows for balancing; without
      them, the classes.

    Read more in the :ref:`User Guide <mitigation-methods>`.

    Parameters
    ----------
    estimator : SBNetClassifier or FrozenEstimator, default=None
        The network: fitted on ``X`` first, unless frozen. None means
        ``SBNetClassifier()``.
    C : sequence of float, default=(1.0, 0.7, 0.3, 0.1, 0.07, 0.03, 0.01)
        Inverse l1 strengths tried (the authors' grid), each above 0 and at
        most 1e10.
    n_refits : int, default=20
        Balanced refits averaged.
    random_state : int, RandomState instance or None, default=None
        Seeds the network DFR fits (not a frozen one), and draws the halves
        and the balanced subsets.

    Attributes
    ----------
    estimator_ : SBNetClassifier
        The network (fitted here or the frozen one's).
    estimators_ : list of one SBNetClassifier
        The network with its last layer replaced (standardization folded
        in), a view sharing ``estimator_``'s fitted state: it predicts, and
        attacks and universal perturbations differentiate it.
    selected_ : None
    selection_ : str
        ``'ensemble'``: the one member is the model.
    C_ : float
        The C chosen.
    tuning_scores_ : dict of float to float
        Worst-group accuracy on the tuning half for every C.
    coef_ : ndarray of shape (n_classes or 1, n_embeddings)
    intercept_ : ndarray
        The averaged logistic regression, on standardized embeddings.
    side_information_ : tuple of str
        ``('labeled_decorrelated_fit',)``, or ``('none',)`` without ``X_val``.
    classes_ : ndarray
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.mitigation import DFRClassifier
    >>> data = make_lms(3000, 10, random_state=0, return_X_y=False)
    >>> X_val, y_val = make_lms(1000, 10, rotation=data.rotation, random_state=1)
    >>> dfr = DFRClassifier(SBNetClassifier(module__width=50, max_epochs=5),
    ...                     random_state=0).fit(data.X, data.y, X_val=X_val, y_val=y_val)
    >>> dfr.side_information_, dfr.coef_.shape
    (('labeled_decorrelated_fit',), (1, 50))
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_logits"]), None],
        "C": ["array-like"],
        "n_refits": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    side_data = {
        "X_val": SideDatum("inputs", "the labeled decorrelated set the last layer is fitted "
                           "on (default: the training rows).",
                           information="labeled_decorrelated_fit"),
        "y_val": SideDatum("labels", "the labels of X_val.",
                           information="labeled_decorrelated_fit", rows_of="X_val"),
        "groups": SideDatum("groups", "the groups of the X_val rows that the refits balance "
                            "(default: the classes).", rows_of="X_val"),
    }
    # No hyperparameters to search: the one knob of the authors' recipe, C,
    # is tuned inside fit over the grid ``C`` (on half of X_val), as they do.

    def __init__(self, estimator=None, *, C=(1.0, 0.7, 0.3, 0.1, 0.07, 0.03, 0.01),
                 n_refits=20, random_state=None):
        self.estimator = estimator
        self.C = C
        self.n_refits = n_refits
        self.random_state = random_state

    def _fit_members(self, X, y, X_val, y_val, groups):
        C_grid = np.asarray(self.C, dtype=np.float64).ravel()
        if C_grid.size == 0 or not np.all((C_grid > 0) & (C_grid <= _MAX_C)):
            raise ValueError(
                f"C must hold values above 0 and at most {_MAX_C:g}; got {self.C!r}. Beyond "
                f"{_MAX_C:g} the l1 penalty is nil and the logistic loss it scales overflows.")
        if X_val is None:
            # The paper's DFR on the training data (DFR^Tr_Tr): no side data.
            X_val, y_val = X, y
        groups = y_val if groups is None else groups
        check_two_classes(y_val, "The labeled set y_val of DFRClassifier")
        network_seed, draws_seed = draw_seed(self.random_state, size=2)
        network = self._network(X, y, int(network_seed))
        device = torch.device(network.device_)
        body, head = split_last_linear(network.module_, type(self).__name__)
        train_embeddings = _batched(body, X, device)
        check_last_step(network.module_, body, head,
                        torch.as_tensor(X[:8], device=device), type(self).__name__)
        mean = train_embeddings.mean(axis=0)
        scale = train_embeddings.std(axis=0)
        scale[scale == 0] = 1
        val_embeddings = (_batched(body, X_val, device) - mean) / scale
        labels = np.searchsorted(network.classes_, y_val)
        rng = np.random.RandomState(draws_seed)
        self.tuning_scores_, unconverged = self._tune(val_embeddings, labels, groups, C_grid,
                                                      rng)
        self.C_ = max(self.tuning_scores_, key=self.tuning_scores_.get)
        n_classes = len(network.classes_)
        fits = []
        for _ in range(self.n_refits):
            rows = _balanced_rows(groups, rng)
            # Each refit starts from the previous one's solution, a nearby problem's.
            fits.append(_l1_logistic(self.C_, val_embeddings[rows], labels[rows], n_classes,
                                     start=fits[-1][:2] if fits else None))
        unconverged += sum(fit[2] for fit in fits)
        if unconverged:
            warn(f"{unconverged} l1 logistic regression fit(s) of DFR ran out of iterations "
                 "before converging.", ConvergenceWarning)
        self.coef_ = np.mean([coef for coef, _, _ in fits], axis=0)
        self.intercept_ = np.mean([intercept for _, intercept, _ in fits], axis=0)
        self.estimator_ = network
        return [member_view(network, self._retrained_module(body, mean, scale, device))]

    def _network(self, X, y, seed):
        if isinstance(self.estimator, FrozenEstimator):
            network = self.estimator.estimator
            check_is_fitted(network)
            _check_frozen_fits(network, X, y)
            return network
        template = member_template(self.estimator, type(self).__name__, allow_method=True)
        return clone(template).set_params(random_state=seed).fit(X, y)

    def _tune(self, embeddings, labels, groups, C_grid, rng):
        """Worst-group accuracy on the second half for every C (and the unconverged fits).

        As the authors' code does, one group-balanced subset of the first
        half is drawn and every C is fitted on it.
        """
        order = rng.permutation(len(labels))
        first, second = order[: len(order) // 2], order[len(order) // 2:]
        n_classes = int(labels.max()) + 1
        scores = {}
        rows = first[_balanced_rows(groups[first], rng)]
        # The authors standardize the tuning fits with the statistics of
        # the rows fitted (the final refits: of the training rows).
        mean, scale = embeddings[rows].mean(axis=0), embeddings[rows].std(axis=0)
        scale[scale == 0] = 1
        fitted, held = (embeddings[rows] - mean) / scale, (embeddings[second] - mean) / scale
        fit, unconverged = None, 0
        for C in C_grid:
            # Along the grid, each fit starts from the previous C's solution.
            fit = _l1_logistic(C, fitted, labels[rows], n_classes, start=None if fit is None else fit[:2])
            unconverged += fit[2]
            correct = _predict(held, *fit[:2]) == labels[second]
            scores[float(C)] = min(correct[groups[second] == g].mean()
                                   for g in np.unique(groups[second]))
        return scores, unconverged

    def _retrained_module(self, body, mean, scale, device):
        """The body, then a Linear layer computing the logits of the averaged regression."""
        coef = self.coef_ / scale
        intercept = self.intercept_ - coef @ mean
        if len(coef) == 1:  # Binary: logits (0, decision).
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([[0.0], intercept])
        head = torch.nn.Linear(coef.shape[1], coef.shape[0]).to(device)
        with torch.no_grad():
            head.weight.copy_(torch.as_tensor(coef, dtype=torch.float32))
            head.bias.copy_(torch.as_tensor(intercept, dtype=torch.float32))
        return torch.nn.Sequential(body, head).eval()
