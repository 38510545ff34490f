"""D-BAT, Diversity-By-disAgreement Training (Pagliardini et al., ICLR 2023)."""

from numbers import Integral, Real

import numpy as np
import torch
from scipy.stats import loguniform
from sklearn.base import clone

from ..utils._blocks import simple_and_complex
from ..utils._param_validation import HasMethods, Interval, StrOptions
from ..utils._random import draw_seed
from ..utils._randomize import randomize_validated
from ._base import BaseNetworkEnsemble, TrainingMethod, member_template
from ._companion import step_with_companion
from ._registry import register_method
from ._side_data import SELECTION_SET, Depends, OODBatches, SideDatum

# Added inside the logarithm of the agreement loss, as in the authors' code.
_LOG_FLOOR = 1e-7


def agreement_loss(previous, current, variant):
    """Mean over the rows of D-BAT's loss ``A``: low when the two disagree.

    Parameters
    ----------
    previous, current : torch.Tensor of shape (n, n_classes)
        Class probabilities of an earlier member (no gradient) and of the
        member being trained.
    variant : {'binary', 'multiclass'}
        'binary': ``-log(p1(0) p2(1) + p1(1) p2(0))``; 'multiclass', the
        authors' default ("v1"): with ``k`` the class the earlier member
        predicts, ``-log(p1(k) (1 - p2(k)) + (1 - p1(k)) p2(k))``.
    """
    if variant == "binary":
        disagreement = (previous * current.flip(1)).sum(dim=1)
    else:
        p1, k = previous.max(dim=1)
        p2 = current[torch.arange(len(current), device=current.device), k]
        disagreement = p1 * (1 - p2) + (1 - p1) * p2
    return -torch.log(disagreement + _LOG_FLOOR).mean()


class _Disagreement(TrainingMethod):
    """The loss of a D-BAT member m >= 2: CE + alpha * mean agreement with the earlier ones.

    Internal: :class:`DBATClassifier` builds one per member. With ``ood`` an
    array, every training batch is paired with the next batch of as many
    rows of it (cycled, reshuffled every pass), on which the earlier
    members' probabilities were computed once (they are frozen). With
    ``ood=None``, D_ood is made from every training batch by sign-gradient
    descent of the members' agreement loss.
    """

    penalties = {"alpha": "DBATClassifier"}

    def __init__(self, previous=(), ood=None, alpha=0.1, variant="binary", eps=1.0,
                 step_size=0.1, n_iter=15):
        self.previous = previous
        self.ood = ood
        self.alpha = alpha
        self.variant = variant
        self.eps = eps
        self.step_size = step_size
        self.n_iter = n_iter

    def train_step(self, net, batch, step):
        X = batch.X
        if self.ood is None:
            X_ood = self._adversarial_ood(net, X)
            with torch.no_grad():
                previous = [torch.softmax(m(X_ood), dim=1) for m in self._modules(X.device)]
        else:
            X_ood, previous = self._next_ood_batch(len(X), X.device)

        def disagreement(outputs):
            current = torch.softmax(outputs, dim=1)
            agreement = sum(agreement_loss(p, current, self.variant) for p in previous)
            return self.alpha / len(previous) * agreement

        return step_with_companion(net, X, batch.y, X_ood, disagreement)

    def _modules(self, device):
        modules = [member.module_.to(device).eval() for member in self.previous]
        for module in modules:
            module.requires_grad_(False)
        return modules

    def _next_ood_batch(self, size, device):
        if not hasattr(self, "_batches"):
            previous = [member.predict_proba(self.ood).astype(np.float32)
                        for member in self.previous]
            self._batches = OODBatches(self.ood, device, aligned=previous)
        return self._batches.next(size)

    def _adversarial_ood(self, net, X):
        """Points near the batch where the members disagree most, by sign-gradient steps.

        As the authors' 2-D example: from a uniform random start in the linf
        ball, ``n_iter`` steps of ``step_size`` along the sign of the
        gradient of the log-probability of disagreement (the agreement loss
        descended), projected back onto the ball.
        """
        modules = self._modules(X.device)
        module = net.module_
        was_training = module.training
        module.eval()
        try:
            X_ood = X + (torch.rand_like(X) * 2 - 1) * self.eps
            for _ in range(self.n_iter):
                X_ood = X_ood.detach().requires_grad_(True)
                current = torch.softmax(module(X_ood), dim=1)
                agreement = torch.stack([
                    agreement_loss(torch.softmax(m(X_ood), dim=1), current, self.variant)
                    for m in modules
                ]).mean()
                gradient, = torch.autograd.grad(agreement, X_ood)
                X_ood = X_ood - self.step_size * gradient.sign()
                X_ood = X + (X_ood - X).clamp(-self.eps, self.eps)
        finally:
            module.train(was_training)
        return X_ood.detach()


def _synthetic_alpha(size):
    # On synthetic data the second member learns the slabs with alpha 0.5 at
    # 30,000 rows in 10 dimensions, 0.2 at the full size (100,000 in 50).
    return 0.2 if size.name == "full" else 0.5


def _benchmark_dbat(size, dataset):
    # The authors' alpha with decorrelated D_ood of the same classes (images).
    alpha = 0.1 if dataset.image_shape is not None else _synthetic_alpha(size)
    return DBATClassifier(dataset.network, alpha=alpha)


def _benchmark_adversarial_dbat(size, dataset):
    # D_ood searched within the UAP budget of every batch.
    return DBATClassifier(dataset.network, alpha=_synthetic_alpha(size), ood="adversarial",
                          eps=dataset.eps, step_size=dataset.eps / 5, n_iter=7)


@register_method("d-bat", benchmark=_benchmark_dbat)
@register_method("d-bat-adversarial", params={"ood": "adversarial"},
                 benchmark=_benchmark_adversarial_dbat)
class DBATClassifier(BaseNetworkEnsemble):
    """D-BAT: networks trained one after another to disagree off the training data.

    Member 1 is a plain fit of ``estimator``. Member ``m >= 2`` minimizes
    ``CE(h_m(x), y) + alpha * A`` where ``A`` is the mean, over the earlier
    members (frozen), of their agreement with ``h_m`` on a batch of D_ood,
    inputs where the features are decorrelated: on the training data the
    members agree, off it they are pushed to use different features
    (Pagliardini et al., ICLR 2023). Every member trains through
    ``SBNetClassifier``'s own loop, with an internal training method that
    adds ``alpha * A`` to the loss of every batch.

    D_ood comes from ``ood``:

    * ``'given'``: the unlabeled rows ``X_ood`` given to :meth:`fit`
      (side information ``'unlabeled_ood'``); a batch of D_ood as large as
      the training batch is drawn with every training batch, cycling;
    * ``'oracle'``: the rows ``X_ood`` (or, without them, the training rows)
      with their simple block S permuted across rows, which needs
      ``simple_features`` in :meth:`fit` (``'oracle_simple_block'``);
    * ``'adversarial'``: no side data: for every training batch, points
      within ``eps`` (linf) of it where the members disagree most, found by
      ``n_iter`` sign-gradient steps down ``A`` from a random start, as in
      the authors' 2-D example (``'none'``).

    Predictions average the members' logits. ``selected_`` is the member a
    labeled decorrelated set ``X_val``, ``y_val`` chooses (best accuracy,
    ``'labeled_ood_selection'``), else the last one.

    Side data of :meth:`fit` (keywords; see :ref:`side-information`):

    * ``X_ood``: unlabeled inputs shaped like X: D_ood itself
      (``ood='given'``, required, ``'unlabeled_ood'``), or the rows whose S
      the oracle permutes (``ood='oracle'``; the training rows without it);
    * ``simple_features``: the simple block S (indices, or the dataset
      Bunch with its rotation), for ``ood='oracle'`` (required there);
    * ``X_val``, ``y_val``: a labeled decorrelated set, used only to select
      a member (``'labeled_ood_selection'``).

    Read more in the :ref:`User Guide <mitigation-methods>`.

    Parameters
    ----------
    estimator : SBNetClassifier, default=None
        The member template, without a ``method``; None means
        ``SBNetClassifier()``.
    later_estimator : SBNetClassifier, default=None
        The template of members 2 and later, when they should train
        differently from the first; None uses ``estimator``. A general
        option, since a later member trained with another optimizer or
        schedule is a reasonable choice of its own; the ``mnist-cifar-dbat``
        recipe uses it to reproduce the authors' M/C-Dominoes notebook,
        which trains the first member with SGD and, through a reused
        variable, the second with AdamW.
    n_estimators : int, default=2
        Number of members, trained in sequence.
    alpha : float, default=0.1
        Weight of the agreement loss (0.1 in the authors' M/C-Dominoes
        recipe with decorrelated D_ood of the same classes).
    ood : {'given', 'oracle', 'adversarial'}, default='given'
        Where D_ood comes from; see above.
    agreement : {'auto', 'binary', 'multiclass'}, default='auto'
        The agreement loss: the binary form for two classes, the
        multi-class form otherwise ('auto'). 'binary' with more than two
        classes is an error.
    eps : float, default=1.0
        linf radius of the adversarial D_ood.
    step_size : float, default=0.1
        Step of the sign-gradient search.
    n_iter : int, default=15
        Sign-gradient steps per training batch.
    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds (and the oracle's permutation).

    Attributes
    ----------
    estimators_ : list of SBNetClassifier
        The members, in training order (stored without their training
        method, which held D_ood).
    selected_ : int
        Index in ``estimators_`` of the member the selection rule picked.
    selection_ : str
        The rule: 'validation accuracy' or 'last member'.
    validation_scores_ : ndarray of shape (n_estimators,) or None
        Each member's accuracy on ``(X_val, y_val)``, when given.
    side_information_ : tuple of str
        What the fit used besides the labels (see
        :ref:`side-information`).
    classes_ : ndarray
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.mitigation import DBATClassifier
    >>> data = make_lms(4000, 10, random_state=0, return_X_y=False)
    >>> held_out = make_lms(2000, 10, rotation=data.rotation, random_state=1)[0]
    >>> dbat = DBATClassifier(SBNetClassifier(module__width=50, max_epochs=5),
    ...                       ood="oracle", alpha=0.2, random_state=0)
    >>> dbat.fit(data.X, data.y, X_ood=held_out, simple_features=data).side_information_
    ('oracle_simple_block',)
    >>> len(dbat.estimators_), dbat.selected_
    (2, 1)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_logits", "set_params"]), None],
        "later_estimator": [HasMethods(["fit", "predict_logits", "set_params"]), None],
        "n_estimators": [Interval(Integral, 2, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "ood": [StrOptions({"given", "oracle", "adversarial"})],
        "agreement": [StrOptions({"auto", "binary", "multiclass"})],
        "eps": [Interval(Real, 0, None, closed="neither")],
        "step_size": [Interval(Real, 0, None, closed="neither")],
        "n_iter": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    side_data = {
        "X_ood": SideDatum(
            "inputs", "unlabeled inputs shaped like X: D_ood itself (ood='given'), or the "
            "rows whose S the oracle permutes (ood='oracle'; default: the training rows).",
            information=Depends("ood", {"given": "unlabeled_ood"}),
            required=Depends("ood", {"given": True}, False),
            accepted=Depends("ood", {"given": True, "oracle": True}, False)),
        "simple_features": SideDatum(
            "blocks", "the simple block S whose values the oracle permutes across rows "
            "(its indices, or the dataset Bunch).",
            information="oracle_simple_block",
            required=Depends("ood", {"oracle": True}, False),
            accepted=Depends("ood", {"oracle": True}, False)),
        **SELECTION_SET,
    }
    default_selection = "last member"
    # The agreement weight: the authors use 0.1 (D_ood of the same classes)
    # and 1.0 (of other classes) on M/C-Dominoes (Pagliardini et al., ICLR
    # 2023), and the synthetic benchmark 0.2 to 0.5; three decades around them.
    hyperparameters = {"alpha": loguniform(0.01, 10)}

    def __init__(self, estimator=None, *, later_estimator=None, n_estimators=2, alpha=0.1,
                 ood="given", agreement="auto", eps=1.0, step_size=0.1, n_iter=15,
                 random_state=None):
        self.estimator = estimator
        self.later_estimator = later_estimator
        self.n_estimators = n_estimators
        self.alpha = alpha
        self.ood = ood
        self.agreement = agreement
        self.eps = eps
        self.step_size = step_size
        self.n_iter = n_iter
        self.random_state = random_state

    def _fit_members(self, X, y, X_ood, simple_features, X_val, y_val):
        owner = type(self).__name__
        template = member_template(self.estimator, owner)
        later = template if self.later_estimator is None else \
            member_template(self.later_estimator, owner)
        ood = self._ood(X, X_ood, simple_features)
        variant = self.agreement
        n_classes = len(np.unique(y))
        if variant == "auto":
            variant = "binary" if n_classes == 2 else "multiclass"
        elif variant == "binary" and n_classes != 2:
            raise ValueError(
                f"{owner}(agreement='binary') is D-BAT's loss for two classes, and y has "
                f"{n_classes}: use agreement='multiclass' (or 'auto').")
        seeds = draw_seed(self.random_state, size=self.n_estimators)
        members = []
        for seed in seeds:
            member = clone(later if members else template).set_params(random_state=int(seed))
            if members:
                member.set_params(method=_Disagreement(
                    previous=list(members), ood=ood, alpha=self.alpha, variant=variant,
                    eps=self.eps, step_size=self.step_size, n_iter=self.n_iter,
                ))
            members.append(member.fit(X, y).set_params(method=None))
        return members

    def _ood(self, X, X_ood, simple_features):
        """D_ood as an array, or None for the adversarial variant."""
        if self.ood != "oracle":
            return X_ood
        rows = X if X_ood is None else X_ood
        if len(rows) < 2:
            raise ValueError(
                f"{type(self).__name__}(ood='oracle') permutes the simple block across the "
                f"rows of X_ood, which needs at least 2 rows; got {len(rows)}.")
        flat = rows.reshape(len(rows), -1)
        simple, _, rotation = simple_and_complex(simple_features, None, flat.shape[1])
        rng = np.random.RandomState(draw_seed(self.random_state))
        permuted = randomize_validated(flat, simple, rotation, rng.permutation(len(flat)),
                                       dtype=np.float32)
        return permuted.reshape(rows.shape)
