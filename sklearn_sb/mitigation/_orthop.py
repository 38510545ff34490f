"""OrthoP, orthogonal-projection ensembles (Morwani et al., NeurIPS 2023)."""

import math
from numbers import Integral

import numpy as np
import torch
from sklearn.base import clone

from ..utils._param_validation import HasMethods, Interval
from ..utils._random import draw_seed
from ._base import BaseNetworkEnsemble, member_template
from ._joint import build_networks
from ._registry import register_method
from ._side_data import SELECTION_SET


class ProjectedNetwork(torch.nn.Module):
    """``network`` reading its input with the components along ``directions`` removed.

    Every row is flattened, mapped by ``x -> x - V^T V x`` (``V`` the
    orthonormal rows of ``directions``), reshaped back and given to the
    network: its outputs do not change when an input moves along a removed
    direction. :class:`OrthoPClassifier`'s later members are
    ``SBNetClassifier``\\ s with this module, so they train, predict and are
    differentiated on the raw inputs.

    Parameters
    ----------
    network : str, torch.nn.Module subclass or instance
        The network, as ``SBNetClassifier``'s ``module`` takes it (an
        instance is copied and re-initialized).
    directions : array-like of shape (n_directions, n_features)
        Orthonormal rows, in the flattened input space.
    n_features, n_classes, input_shape : optional
        From the data, passed on where the network takes them.
    **options
        The network's own options (``module__width`` of the template).
    """

    def __init__(self, network, directions, n_features=None, n_classes=None,
                 input_shape=None, **options):
        super().__init__()
        self.register_buffer("directions",
                             torch.as_tensor(np.asarray(directions, dtype=np.float32)))
        from_data = {"n_features": n_features, "n_classes": n_classes,
                     "input_shape": input_shape}
        self.network, = build_networks(network, 1, from_data, options)

    def forward(self, x):
        flat = x.flatten(1)
        flat = flat - (flat @ self.directions.T) @ self.directions
        return self.network(flat.reshape(x.shape))


def first_linear(module, n_features):
    """The first layer with parameters of ``module``, which must be a Linear of the input.

    Layers are taken in the order the module registers them (the order of
    the forward pass for ``nn.Sequential`` networks such as the FCN).
    """
    layer = next((m for m in module.modules()
                  if next(m.parameters(recurse=False), None) is not None), None)
    if not isinstance(layer, torch.nn.Linear) or layer.in_features != n_features:
        found = "no layer with parameters" if layer is None else f"first {layer!r}"
        raise ValueError(
            "OrthoPClassifier projects directions out of the input of the network's first "
            "layer, which must be a torch.nn.Linear reading the flattened input "
            f"({n_features} features); {type(module).__name__} has {found}. Use a fully "
            "connected network (module='fcn')."
        )
    return layer


def input_directions(module, n_features, n_directions):
    """The top ``n_directions`` right singular vectors of the module's input weight.

    The input weight is that of the first Linear layer as a map of the raw
    flattened input: for a :class:`ProjectedNetwork`, the layer's weight
    ``W`` composed with the projection, ``W (I - V^T V)``, whose singular
    vectors of nonzero value are orthogonal to the removed ``V`` (the
    weights along ``V`` never receive a gradient and keep their
    initialization, which must not count as use).

    Returns
    -------
    directions : ndarray of shape (n_directions, n_features), float64
    """
    if isinstance(module, ProjectedNetwork):
        weight = first_linear(module.network, n_features).weight.detach().cpu().double()
        removed = module.directions.detach().cpu().double()
        weight = weight - (weight @ removed.T) @ removed
    else:
        weight = first_linear(module, n_features).weight.detach().cpu().double()
    _, _, right = np.linalg.svd(weight.numpy(), full_matrices=False)
    return right[:n_directions]


def _benchmark_orthop(size, dataset):
    # The projection acts on the first layer's input: on images, a fully
    # connected network on the flattened pixels.
    return OrthoPClassifier(dataset.network if dataset.image_shape is None
                            else dataset.dense_network)


@register_method("orthop", benchmark=_benchmark_orthop)
class OrthoPClassifier(BaseNetworkEnsemble):
    """OrthoP: each network trained on inputs without the directions the earlier ones used.

    Member 1 is a plain fit of ``estimator``. After each member, the
    ``n_directions`` input directions it uses most are taken: the top
    eigenvectors of ``W^T W``, ``W`` the weight of its first Linear layer
    (torch's ``(out, in)`` layout), i.e. its top right singular vectors.
    Member ``m + 1`` trains on the inputs with every direction taken so far
    projected out, ``x -> x - V^T V x`` on the flattened input, ``V`` their
    orthonormal basis (Morwani et al., NeurIPS 2023). A network trained on
    linearly separable data depends mostly on a one-dimensional projection
    of its input; on LMS-5 the first member's top direction is the linear
    coordinate S, so the second member sees only the slabs. Training uses
    the labels only.

    Every member trains through ``SBNetClassifier``'s own loop. The later
    members' module is a :class:`ProjectedNetwork` (the fixed projection,
    then the template's network), so each member is a fitted model of the
    raw inputs: it predicts, is scored and is attacked on them.

    Predictions average the members' logits. ``selected_`` is the member a
    labeled decorrelated set ``X_val``, ``y_val`` chooses (best accuracy,
    ``'labeled_ood_selection'``), else the last one.

    Read more in the :ref:`User Guide <mitigation-methods>`.

    Parameters
    ----------
    estimator : SBNetClassifier, default=None
        The member template, without a ``method``; its network's first
        layer with parameters must be a ``torch.nn.Linear`` of the
        flattened input (a fully connected network, not a CNN). None means
        ``SBNetClassifier()``. Train long enough for the first layer's
        weights to outgrow their initialization, or the top direction is
        noise (on 2,000 rows of LMS-5, 3 epochs of SGD with momentum are not
        enough, 6 are).
    n_estimators : int, default=2
        Number of members, trained in sequence.
    n_directions : int, default=1
        Directions removed after each member but the last, so
        ``(n_estimators - 1) * n_directions`` in all, fewer than the input's
        features. One by default: a network on linearly separable data
        relies on a one-dimensional projection (the paper's theorem), and
        on LMS-k the simple feature is one direction, so one removes what a
        member relied on and keeps all else for the next; raise it when the
        simple features span several directions.
    random_state : int, RandomState instance or None, default=None
        Draws the members' seeds.

    Attributes
    ----------
    estimators_ : list of SBNetClassifier
        The members, in training order; from the second on, their
        ``module_`` is a :class:`ProjectedNetwork` whose ``directions``
        buffer holds every direction removed from its inputs.
    directions_ : list of ndarray of shape (n_directions, n_features)
        ``directions_[m]``: the orthonormal directions taken from
        ``estimators_[m]`` and removed from the inputs of every later
        member, one per row, in the flattened input space (sign arbitrary);
        ``n_estimators - 1`` arrays, together orthonormal.
    selected_ : int
        Index in ``estimators_`` of the member the selection rule picked.
    selection_ : str
        The rule: 'validation accuracy' or 'last member'.
    validation_scores_ : ndarray of shape (n_estimators,) or None
        Each member's accuracy on ``(X_val, y_val)``, when given.
    side_information_ : tuple of str
        ``('none',)``, or ``('labeled_ood_selection',)`` when ``X_val``
        chose the member (see :ref:`side-information`).
    classes_ : ndarray
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.mitigation import OrthoPClassifier
    >>> data = make_lms(2000, 10, rotate=False, random_state=0, return_X_y=False)
    >>> network = SBNetClassifier(module__width=50, lr=0.05, optimizer__momentum=0.9,
    ...                           max_epochs=10)
    >>> orthop = OrthoPClassifier(network, random_state=0).fit(data.X, data.y)
    >>> orthop.side_information_, len(orthop.estimators_), orthop.selected_
    (('none',), 2, 1)
    >>> int(np.argmax(np.abs(orthop.directions_[0][0])))  # S, coordinate 0
    0
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_logits", "set_params", "get_params_for"]),
                      None],
        "n_estimators": [Interval(Integral, 2, None, closed="left")],
        "n_directions": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    side_data = SELECTION_SET
    default_selection = "last member"
    # The directions removed per member: one is the case of the paper's
    # theorem (Morwani et al., NeurIPS 2023), which publishes no search; a few
    # more for simple features spanning several directions.
    hyperparameters = {"n_directions": [1, 2, 3]}

    def __init__(self, estimator=None, *, n_estimators=2, n_directions=1, random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.n_directions = n_directions
        self.random_state = random_state

    def _fit_members(self, X, y, X_val, y_val):
        template = member_template(self.estimator, type(self).__name__)
        n_features = math.prod(X.shape[1:])
        self._check_network(template, X, np.unique(y), n_features)
        seeds = draw_seed(self.random_state, size=self.n_estimators)
        removed = np.zeros((0, n_features))
        members, directions = [], []
        for seed in seeds:
            member = clone(template).set_params(random_state=int(seed))
            if members:
                member.set_params(module=ProjectedNetwork, module__network=template.module,
                                  module__directions=removed)
            members.append(member.fit(X, y))
            if len(members) < self.n_estimators:
                taken = input_directions(member.module_, n_features, self.n_directions)
                # Orthogonal to the removed ones up to rounding: re-orthonormalize.
                basis, _ = np.linalg.qr(np.vstack([removed, taken]).T)
                removed = basis.T
                directions.append(removed[-self.n_directions:].copy())
        self.directions_ = directions
        return members

    def _check_network(self, template, X, classes, n_features):
        """Fail before training on a network or a count of directions OrthoP cannot use."""
        n_removed = (self.n_estimators - 1) * self.n_directions
        if n_removed >= n_features:
            raise ValueError(
                f"OrthoPClassifier removes n_directions={self.n_directions} directions "
                f"after each of the first n_estimators - 1 = {self.n_estimators - 1} "
                f"members, {n_removed} in all, from inputs of {n_features} feature(s): the "
                "last member would see nothing. Lower n_directions or n_estimators."
            )
        options = template.get_params_for("module")
        from_data = {"n_features": n_features, "n_classes": len(classes),
                     "input_shape": X.shape[1:] if X.ndim > 2 else None}
        from_data = {key: value for key, value in from_data.items() if key not in options}
        with torch.random.fork_rng(devices=[]):  # leave the caller's torch generator alone
            network, = build_networks(template.module, 1, from_data, options)
        layer = first_linear(network, n_features)
        if layer.out_features < self.n_directions:
            raise ValueError(
                f"OrthoPClassifier takes n_directions={self.n_directions} directions from "
                f"the first Linear layer of each member, which has only "
                f"{layer.out_features} units: lower n_directions or widen the network."
            )
