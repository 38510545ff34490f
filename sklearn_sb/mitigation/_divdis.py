"""DivDis, Diversify and Disambiguate (Lee, Yao, Finn, ICLR 2023)."""

from numbers import Integral, Real

import numpy as np
import torch
from scipy.stats import loguniform
from sklearn.utils.validation import check_consistent_length, check_is_fitted

from ..base import restored_on_failure
from ..utils._param_validation import HasMethods, Interval
from ..utils._random import draw_seed
from ._base import BaseNetworkEnsemble, TrainingMethod, member_template
from ._companion import step_with_companion
from ._joint import build_networks, joint_network, member_view
from ._registry import register_method
from ._side_data import OODBatches, SideDatum, as_row_values, check_unlabeled
from ._surgery import check_last_step, split_last_linear


def _xlogy_ratio(p, q):
    """``p log(p / q)`` elementwise, with ``0 log 0 = 0`` and finite gradients at 0."""
    tiny = torch.finfo(p.dtype).tiny
    return p * (p.clamp_min(tiny).log() - q.clamp_min(tiny).log())


def mutual_information(probs):
    """Mean over the pairs of heads ``i < j`` of the mutual information of their predictions.

    The joint distribution of two heads' predicted classes is estimated over
    the batch, ``P_ij(c, d) = mean_x p_i(c | x) p_j(d | x)``, and compared
    with the product of its marginals: ``KL(P_ij || P_i x P_j)``, as in the
    authors' ``DivDisLoss(mode='mi', reduction='mean')``.

    Parameters
    ----------
    probs : torch.Tensor of shape (n, n_heads, n_classes)
        The heads' class probabilities on a batch of target rows.

    Returns
    -------
    mi : torch.Tensor, a scalar, in nats
    """
    n, n_heads, n_classes = probs.shape
    # Every pair of (head, class) columns at once: one matrix product.
    flat = probs.reshape(n, n_heads * n_classes)
    joint = flat.T @ flat / n
    marginal = flat.mean(dim=0)
    independent = torch.outer(marginal, marginal)
    pairs = _xlogy_ratio(joint, independent).reshape(n_heads, n_classes, n_heads, n_classes)
    pairs = pairs.sum(dim=(1, 3))
    i, j = torch.triu_indices(n_heads, n_heads, offset=1, device=probs.device)
    return pairs[i, j].mean()


def marginal_kl(probs, marginal):
    """Mean over the heads of ``KL(mean_x p_h(. | x) || marginal)``.

    The authors' ``kl_backward`` regularizer with the source label marginal:
    a head cannot disagree with the others by predicting one class on the
    whole target batch.

    Parameters
    ----------
    probs : torch.Tensor of shape (n, n_heads, n_classes)
    marginal : torch.Tensor of shape (n_classes,)

    Returns
    -------
    kl : torch.Tensor, a scalar, in nats
    """
    return _xlogy_ratio(probs.mean(dim=0), marginal).sum(dim=1).mean()


class _Heads(torch.nn.Module):
    """One network's body up to its last linear layer, and ``n_members`` heads in its place.

    Logits of shape ``(n, n_members, n_classes)``. The body is that of the
    first of ``n_members`` independently initialized copies of the network,
    each head the last layer of one copy, so the heads start as the
    template's last layer does; a one-logit network's heads output ``(0, z)``
    (see ``split_last_linear``).
    """

    def __init__(self, network, n_members, n_features=None, n_classes=None, input_shape=None,
                 **options):
        super().__init__()
        from_data = {"n_features": n_features, "n_classes": n_classes,
                     "input_shape": input_shape}
        networks = build_networks(network, n_members, from_data, options)
        parts = [split_last_linear(copy, "DivDisClassifier") for copy in networks]
        sample = torch.randn(2, *(input_shape or (n_features,)),
                             generator=torch.Generator().manual_seed(0))
        check_last_step(networks[0], *parts[0], sample, "DivDisClassifier")
        # split_last_linear returns the body in eval mode; skorch sets the mode
        # from the top module's flag only.
        self.body = parts[0][0].train()
        self.heads = torch.nn.ModuleList(head for _, head in parts)

    def forward(self, x):
        embedding = self.body(x)
        return torch.stack([head(embedding) for head in self.heads], dim=1)


class _Head(torch.nn.Module):
    """The logits of one head: its body (shared) then the head."""

    def __init__(self, body, head):
        super().__init__()
        self.body = body
        self.head = head

    def forward(self, x):
        return self.head(self.body(x))


class _DiversifyLoss(TrainingMethod):
    """The heads' mean CE + diversity * MI + regularization * KL on a target batch.

    Internal: :class:`DivDisClassifier` sets it on the joint network. Every
    training batch is paired with the next batch of as many rows of ``ood``
    (cycled, reshuffled every pass).
    """

    penalties = {"diversity": "DivDisClassifier", "regularization": "DivDisClassifier"}

    side_information = ("unlabeled_ood",)

    def __init__(self, ood=None, marginal=None, diversity=10.0, regularization=10.0):
        self.ood = ood
        self.marginal = marginal
        self.diversity = diversity
        self.regularization = regularization

    def train_step(self, net, batch, step):
        if self.diversity == 0 and self.regularization == 0:
            return step(batch.X, batch.y)
        device = batch.X.device
        if not hasattr(self, "_batches"):
            self._batches = OODBatches(self.ood, device)
            self._marginal = torch.as_tensor(self.marginal, dtype=torch.float32, device=device)
        X_ood, _ = self._batches.next(len(batch.X))

        def diversify(outputs):
            probs = torch.softmax(outputs, dim=2)
            return (self.diversity * mutual_information(probs)
                    + self.regularization * marginal_kl(probs, self._marginal))

        return step_with_companion(net, batch.X, batch.y, X_ood, diversify)


@register_method("divdis")
class DivDisClassifier(BaseNetworkEnsemble):
    """DivDis: heads on one backbone that fit the labels and disagree on target data.

    Diversify: the template network's last linear layer is replaced by
    ``n_heads`` heads on the shared body, trained jointly in one
    ``SBNetClassifier`` loop on

    ``mean_h CE(h) + diversity * MI + regularization * KL``

    where, on a batch of the unlabeled target rows ``X_ood`` as large as the
    training batch (cycled), ``MI`` is the mean over pairs of heads of the
    mutual information between their predictions, the joint distribution
    estimated over the batch, and ``KL`` the mean over heads of
    ``KL(mean target prediction || label marginal of y)``, which stops a
    head from disagreeing by predicting one class (Lee, Yao and Finn, ICLR
    2023). The heads agree on the training data, where they must fit the
    labels, and are pushed to predict independently where the features are
    decorrelated: to use different features. A step costs about two ERM
    steps. The side information is ``'unlabeled_ood'`` (``'none'`` without
    ``X_ood``).

    Disambiguate: the ``n_queries`` rows of a labeled target pool where the
    heads disagree most are kept and the head most accurate on them is
    selected (``'labeled_ood_selection'``): in :meth:`fit` with the pool
    ``X_val``, ``y_val``, or afterwards with :meth:`disambiguate`.

    Until disambiguated, predictions average the heads' logits, as for the
    other ensembles of the package (``selected_`` is None); afterwards they
    are the selected head's, the model DivDis delivers. Refitting forgets
    the selection.

    Side data of :meth:`fit` (keywords; see :ref:`side-information`):

    * ``X_ood``: unlabeled target inputs shaped like X, where the features
      are decorrelated (``'unlabeled_ood'``). Without them the training
      rows are used (no side data: on 100 %-correlated data the heads then
      stay alike);
    * ``X_val``, ``y_val``: a labeled target pool that disambiguates.

    Read more in the :ref:`User Guide <mitigation-methods>`.

    Parameters
    ----------
    estimator : SBNetClassifier, default=None
        The network template, without a ``method``; its network must have a
        ``Linear`` last layer. None means ``SBNetClassifier()``.
    n_heads : int, default=2
        Number of heads (2 in the paper).
    diversity : float, default=10.0
        Weight of the mutual information, lambda_div (10 in the authors'
        code).
    regularization : float, default=10.0
        Weight of the marginal KL, lambda_reg (10 in the authors' code).
    n_queries : int, default=16
        Number of most-disagreed rows :meth:`disambiguate` uses (N = 16 in
        the paper).
    random_state : int, RandomState instance or None, default=None
        Draws the joint network's seed (initialization, batch orders).

    Attributes
    ----------
    estimators_ : list of SBNetClassifier
        The heads, each a view of the fitted network computing that head's
        logits (``sklearn_sb.mitigation._joint.member_view``).
    selected_ : int or None
        Index in ``estimators_`` of the head disambiguation chose; None
        before.
    selection_ : str
        'validation accuracy' (on the most disagreed rows) once
        disambiguated, else 'ensemble'.
    query_indices_ : ndarray of shape (n_queries,) or None
        Rows of the pool whose labels chose the head, most disagreed
        first; None before disambiguation.
    validation_scores_ : ndarray of shape (n_heads,) or None
        Each head's accuracy on those rows; None before disambiguation.
    side_information_ : tuple of str
        ``('unlabeled_ood',)``, with ``'labeled_ood_selection'`` added by
        :meth:`disambiguate` (see :ref:`side-information`).
    classes_ : ndarray
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.inspection import randomize_block
    >>> from sklearn_sb.mitigation import DivDisClassifier
    >>> data = make_lms(2000, 10, random_state=0, return_X_y=False)
    >>> held_out = make_lms(1000, 10, rotation=data.rotation, random_state=1)[0]
    >>> target = randomize_block(held_out, data.simple_features, data.rotation,
    ...                          np.random.RandomState(0).permutation(1000))
    >>> model = DivDisClassifier(SBNetClassifier(module__width=30, max_epochs=3,
    ...                                          device="cpu"), random_state=0)
    >>> model.fit(data.X, data.y, X_ood=target).side_information_
    ('unlabeled_ood',)
    >>> len(model.estimators_), model.selected_
    (2, None)
    >>> model.disambiguate(data.X[:100], data.y[:100]).side_information_
    ('unlabeled_ood', 'labeled_ood_selection')
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_logits", "set_params"]), None],
        "n_heads": [Interval(Integral, 2, None, closed="left")],
        "diversity": [Interval(Real, 0, None, closed="left")],
        "regularization": [Interval(Real, 0, None, closed="left")],
        "n_queries": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    side_data = {
        "X_ood": SideDatum("inputs", "unlabeled target inputs where the features are "
                           "decorrelated (default: the training rows).",
                           information="unlabeled_ood"),
        "X_val": SideDatum("inputs", "a labeled target pool whose most disagreed rows select "
                           "the head.", information="labeled_ood_selection"),
        "y_val": SideDatum("labels", "the labels of X_val.", information="labeled_ood_selection",
                           rows_of="X_val"),
    }
    predicts_with_selected = True
    # lambda_div and lambda_reg: 10 each by default in the authors' code (Lee,
    # Yao and Finn, ICLR 2023), which they also ran with lambda_reg = 0; two
    # decades below the default, one above.
    hyperparameters = {"diversity": loguniform(0.1, 100),
                       "regularization": loguniform(0.1, 100)}

    def __init__(self, estimator=None, *, n_heads=2, diversity=10.0, regularization=10.0,
                 n_queries=16, random_state=None):
        self.estimator = estimator
        self.n_heads = n_heads
        self.diversity = diversity
        self.regularization = regularization
        self.n_queries = n_queries
        self.random_state = random_state

    def _fit_members(self, X, y, X_ood, X_val, y_val):
        template = member_template(self.estimator, type(self).__name__)
        if X_ood is None:
            # No side data: the heads can disagree only where the labels let them.
            X_ood = X
        _, counts = np.unique(y, return_counts=True)
        joint = joint_network(template, self.n_heads, module=_Heads, reduction="mean",
                              owner=type(self).__name__)
        joint.set_params(
            method=_DiversifyLoss(ood=X_ood, marginal=counts / counts.sum(),
                                  diversity=self.diversity,
                                  regularization=self.regularization),
            random_state=draw_seed(self.random_state),
        )
        joint.fit(X, y).set_params(method=None)
        self.query_indices_ = None
        body = joint.module_.body
        return [member_view(joint, _Head(body, head), joint.criterion_.base)
                for head in joint.module_.heads]

    def _selection_scores(self, X_val, y_val):
        """Each head's accuracy on the ``n_queries`` rows where the heads disagree most.

        The rows are ranked by the mean over pairs of heads of the l1
        distance between their class probabilities (the authors' active
        querying); the first ``n_queries`` (all, when fewer) are kept. Only
        those rows' labels are used.
        """
        if len(X_val) < 2:
            raise ValueError(
                f"The labeled target pool has {len(X_val)} row: disambiguation compares the "
                f"heads on the most disagreed of several rows (n_queries={self.n_queries}); "
                "give at least 2."
            )
        logits = np.stack([head.predict_logits(X_val) for head in self.estimators_], axis=1)
        probs = torch.softmax(torch.as_tensor(logits, dtype=torch.float64), dim=2)
        i, j = np.triu_indices(len(self.estimators_), k=1)
        disagreement = (probs[:, i] - probs[:, j]).abs().sum(dim=2).mean(dim=1).numpy()
        rows = np.argsort(-disagreement, kind="stable")[:self.n_queries]
        self.query_indices_ = rows
        predicted = self.classes_[logits[rows].argmax(axis=2)]
        return (predicted == y_val[rows, None]).mean(axis=0)

    def disambiguate(self, X_query, y_query):
        """Select the head most accurate on the labeled rows where the heads disagree most.

        What :meth:`fit` does with ``X_val`` and ``y_val``, on a fitted
        model (the lowest index wins a tie). If anything fails, the
        estimator is left as it was.

        Parameters
        ----------
        X_query : array-like of shape (n_pool, ...)
            A pool of target inputs, shaped like X, at least two.
        y_query : array-like of shape (n_pool,)
            Their labels.

        Returns
        -------
        self : DivDisClassifier
        """
        check_is_fitted(self)
        with restored_on_failure(self):
            self._validate_params()
            X_query, y_query = self._check_query(X_query, y_query)
            self._select(X_query, y_query)
            used = [info for info in self.side_information_ if info != "none"]
            self.side_information_ = tuple(dict.fromkeys(used + ["labeled_ood_selection"]))
        return self

    def _check_query(self, X_query, y_query):
        fitted_shape = np.empty((0, *self.estimators_[0].input_shape_))
        X_query = check_unlabeled(X_query, fitted_shape, "X_query")
        y_query = as_row_values(y_query, "y_query")
        if y_query.ndim != 1:
            raise ValueError(f"y_query must give one label per row of X_query; got an array "
                             f"of shape {y_query.shape}.")
        check_consistent_length(X_query, y_query)
        unknown = np.setdiff1d(y_query, self.classes_)
        if len(unknown):
            raise ValueError(
                f"y_query has labels the model was not fitted on: {unknown!r}; the "
                f"classes are {self.classes_!r}."
            )
        return X_query, y_query
