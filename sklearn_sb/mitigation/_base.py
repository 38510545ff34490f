"""The two kinds of method: a training method of one network, and a network ensemble.

This module is the method contract: what :class:`TrainingMethod` and
:class:`BaseNetworkEnsemble` subclasses implement, and what the package
does for them (validation, selection, side information, the torch modules
that attacks differentiate).
"""

from abc import ABCMeta, abstractmethod

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_is_fitted, validate_data

from ..base import LogitClassifierMixin, TorchModel, restored_on_failure
from ..utils._blocks import simple_and_complex
from ..utils._chance import near_chance
from ._side_data import Depends, as_row_values, check_two_classes, check_unlabeled, resolve


class TrainingMethod(BaseEstimator):
    """A change to how one network is trained, plugged into SBNetClassifier.

    ``SBNetClassifier(method=...)`` calls three hooks during training, all
    plain training here: :meth:`transform_batch` may replace a training
    batch (adversarial training replaces it with attacks of it),
    :meth:`adjust_loss` may change the loss of a batch (a penalty on the
    logits, say), and :meth:`train_step` may compute the batch's gradients
    its own way (sharpness-aware minimization takes them at perturbed
    weights). A subclass overrides any of them. Its constructor
    parameters are grid-searchable through the network as
    ``method__<name>``, and are validated once when the network's ``fit``
    starts (declare them in ``_parameter_constraints``).

    Hooks receive tensors already on the network's device. They run under
    the network's seeded torch generator, so a method that draws random
    numbers from torch is as deterministic as the network.

    ``side_information`` names what the method uses besides the labels (see
    :ref:`side-information`); the network records it as
    ``side_information_`` when fitted.

    ``replaces_criterion`` is True for a method whose :meth:`adjust_loss`
    computes the training loss from the logits alone: the network then
    skips its criterion on training batches and passes ``loss=None``.

    ``penalties`` names the constructor parameters that weight a penalty
    in the loss, each with the estimator a user sets it on
    (``{'strength': 'SpectralDecoupling'}``): when the training loss stops
    being finite, the network's error names them and their values beside
    the learning rate, as causes to try.

    ``hyperparameters`` declares what a random hyperparameter search draws
    (``sklearn_sb.experiments._search.hyperparameter_draws``): a dict of
    constructor parameter name to a ``scipy.stats`` frozen distribution or
    a list of values, as :class:`~sklearn.model_selection.ParameterSampler`
    takes them; the knobs the method's authors tuned, over the ranges they
    searched. Empty here: no method knob.
    """

    side_information = ("none",)
    #: Whether :meth:`adjust_loss` ignores the criterion's loss (then None).
    replaces_criterion = False
    #: Constructor parameter to the distribution a random search draws it from.
    hyperparameters = {}
    #: Constructor parameters that weight a penalty in the loss, to the estimator
    #: a user sets them on: a diverging training names them beside the learning rate.
    penalties = {}

    _parameter_constraints = {}

    def transform_batch(self, net, X, y):
        """The batch to train on instead of ``(X, y)``.

        Parameters
        ----------
        net : SBNetClassifier
            The network being trained (``net.module_`` is its module).
        X : torch.Tensor
            A training batch.
        y : torch.Tensor
            Its labels, as class indices.

        Returns
        -------
        X, y : torch.Tensor
        """
        return X, y

    def adjust_loss(self, net, X, y, y_pred, loss):
        """The training loss of a batch, given the base loss.

        Parameters
        ----------
        net : SBNetClassifier
        X : torch.Tensor
            The batch the network saw (after :meth:`transform_batch`).
        y : torch.Tensor
            Its labels, as class indices.
        y_pred : torch.Tensor
            The network's outputs (logits) on ``X``.
        loss : torch.Tensor or None
            The criterion's loss on the batch; None when the method
            ``replaces_criterion``.

        Returns
        -------
        loss : torch.Tensor, a scalar
        """
        return loss

    def train_step(self, net, batch, step):
        """Compute the gradients of one training batch; the optimizer then steps.

        ``step(X, y)`` is one plain step: the forward pass, the loss (with
        :meth:`adjust_loss`) and its backward pass, which adds the
        gradients to the parameters' ``.grad``. It returns ``{'loss': loss,
        'y_pred': y_pred}``, as this method does (what the network records
        as the batch's training loss). The gradients are zero when the hook
        is called, and whatever it leaves in ``.grad`` is what the optimizer
        applies.

        Parameters
        ----------
        net : SBNetClassifier
        batch : TrainingBatch
            ``X`` and ``y`` (after :meth:`transform_batch`), and ``rows``:
            each row's position in the training data given to ``fit`` (a
            tensor on the batch's device), for a method that looks up data
            per row.
        step : callable
            ``step(X, y) -> dict``, the plain training step.

        Returns
        -------
        step : dict
            ``{'loss': loss, 'y_pred': y_pred}`` of the batch.
        """
        return step(batch.X, batch.y)

    def apply_to(self, network):
        """An unfitted copy of ``network`` trained with this method.

        Parameters
        ----------
        network : SBNetClassifier

        Returns
        -------
        model : SBNetClassifier
        """
        return clone(network).set_params(method=clone(self))


class NetworkTemplateMixin:
    """For methods built on a network given as their ``estimator`` parameter."""

    def apply_to(self, network):
        """An unfitted copy of this method with ``network`` as its network template.

        Parameters
        ----------
        network : SBNetClassifier

        Returns
        -------
        model : estimator
        """
        return clone(self).set_params(estimator=clone(network))


class BaseNetworkEnsemble(NetworkTemplateMixin, LogitClassifierMixin, ClassifierMixin,
                          BaseEstimator, metaclass=ABCMeta):
    """Base class of the methods that fit several networks (or heads) and combine them.

    A subclass declares the side data its ``fit`` takes in ``side_data``
    (a dict of keyword to :class:`~sklearn_sb.mitigation.SideDatum`) and
    implements one kernel, ``_fit_members(X, y, **side_data)``, which
    returns the fitted members. :meth:`fit` does the rest, the same way for
    every method: it validates the parameters, ``X``, ``y`` and every side
    datum (shapes, finiteness, lengths, classes, which are required and
    which the parameters accept), runs the kernel so that a failure or an
    interrupt leaves the estimator as it was, applies the selection rule and
    records the side information. Metadata routing requests follow from
    ``side_data``: ``set_fit_request`` takes exactly the declared keywords.

    The fitted attributes mean the same for every ensemble:

    * ``estimators_``: the members, each a fitted network (an
      ``SBNetClassifier``, or a view of a jointly trained one computing one
      member or head). Sequential ensembles (D-BAT, OrthoP) list them in
      training order; joint ones (gradient diversity) and multi-head ones
      (DivDis) in the order of their outputs; DFR has one, its retrained
      network.
    * ``selected_``: the index in ``estimators_`` of the member the
      selection rule picked, or None when it picks none (the ensemble as a
      whole is the model).
    * ``selection_``: the rule. ``'validation accuracy'`` when a labeled
      decorrelated set ``(X_val, y_val)`` declared for selection was given
      (``validation_scores_`` holds each member's score on it; a member
      whose training accuracy is within 0.05 of the majority class's share
      is passed over while another member learned), else the
      method's ``default_selection``: ``'last member'`` or ``'ensemble'``.
    * ``selected_estimator_``: ``estimators_[selected_]``, or the ensemble
      itself when ``selected_`` is None.
    * ``predicting_estimators_``: the members whose mean logits are the
      predictions: all of them, or the selected one for a method whose
      selection delivers a single member (``predicts_with_selected``).
    * ``side_information_``: what the fit used besides the labels, from the
      declarations of the side data given.

    :meth:`torch_model` gives the predicting members' torch modules: the
    attacks, universal perturbations and the benchmark use it.

    ``hyperparameters`` declares what a random hyperparameter search draws
    (``sklearn_sb.experiments._search.hyperparameter_draws``): a dict of
    constructor parameter name to a ``scipy.stats`` frozen distribution or
    a list of values, as :class:`~sklearn.model_selection.ParameterSampler`
    takes them; the knobs the method's authors tuned, over the ranges they
    searched. Empty here; the member networks' own hyperparameters are
    searched apart from the method's.
    """

    #: Side data ``fit`` takes, keyword to SideDatum.
    side_data = {}
    #: Constructor parameter to the distribution a random search draws it from.
    hyperparameters = {}
    #: The selection rule without a labeled selection set.
    default_selection = "ensemble"
    #: Whether predictions are the selected member's alone once one is selected.
    predicts_with_selected = False
    #: Whether the method acts on minority groups only (group weights, up-weighted
    #: errors), so that it trains as ERM does where the training rows have none.
    needs_minority_groups = False

    def __init_subclass__(cls, **kwargs):
        # The routing requests of fit are the declared keywords (sklearn
        # reads attributes named like this besides fit's signature).
        setattr(cls, f"_{cls.__name__}__metadata_request__fit",
                dict.fromkeys(cls.side_data))
        super().__init_subclass__(**kwargs)

    def accepted_side_data(self):
        """The side data keywords ``fit`` takes under the current parameters.

        Returns
        -------
        names : list of str
        """
        return [name for name, datum in self.side_data.items()
                if resolve(datum.accepted, self)]

    def required_side_data(self):
        """The side data keywords ``fit`` needs under the current parameters.

        Returns
        -------
        names : list of str
        """
        return [name for name, datum in self.side_data.items()
                if resolve(datum.required, self) and resolve(datum.accepted, self)]

    def fit(self, X, y, **side_data):
        """Fit the members on ``(X, y)``, select, and record the side information.

        If fitting fails or is interrupted, the estimator is left as it was
        before the call and the exception propagates.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
        y : array-like of shape (n_samples,)
        **side_data : array-like or dataset Bunch
            The keywords of ``side_data`` (see the class's documentation).

        Returns
        -------
        self : estimator
        """
        with restored_on_failure(self):
            self._validate_params()
            X, y = validate_data(self, X, y, dtype=np.float32, allow_nd=True)
            check_two_classes(y, type(self).__name__)
            given = self._check_side_data(X, y, side_data)
            self.estimators_ = self._fit_members(
                X, y, **{name: given.get(name) for name in self.side_data})
            self.classes_ = self.estimators_[0].classes_
            self.side_information_ = self._side_information(given)
            self._select(given.get("X_val"), given.get("y_val"), X, y)
        return self

    @abstractmethod
    def _fit_members(self, X, y, **side_data):
        """Fit the members on the validated ``(X, y)``; return them as a list.

        Every keyword of ``side_data`` is passed, None where not given; a
        given datum is already checked against its declaration.
        """

    def _check_side_data(self, X, y, side_data):
        """The given side data, checked against X, y and the declarations."""
        owner = type(self).__name__
        unknown = sorted(set(side_data) - set(self.side_data))
        if unknown:
            raise TypeError(
                f"{owner}.fit got unexpected side data {unknown}; it takes "
                f"{list(self.side_data) or 'none'}."
            )
        given = {name: value for name, value in side_data.items() if value is not None}
        accepted, required = self.accepted_side_data(), self.required_side_data()
        for name in given:
            if name not in accepted:
                condition = self.side_data[name].accepted
                raise ValueError(f"{owner}{_setting(condition, self)} uses no {name}: drop it"
                                 + _instead(condition))
        for name, datum in self.side_data.items():
            if datum.kind == "labels" and (name in given) != (datum.rows_of in given):
                raise ValueError(f"Give both {datum.rows_of} and {name}, or neither.")
        for name in required:
            if name not in given:
                condition = self.side_data[name].required
                raise ValueError(
                    f"{owner}{_setting(condition, self)} needs {name} in fit: "
                    f"{self.side_data[name].description} Pass {name} to fit"
                    + _instead(condition)
                )
        checked = {}
        for name, value in given.items():
            checked[name] = self._check_datum(name, value, X, y, given)
        return checked

    def _check_datum(self, name, value, X, y, given):
        datum = self.side_data[name]
        if datum.kind == "inputs":
            return check_unlabeled(value, X, name)
        if datum.kind == "blocks":
            simple_and_complex(value, None, int(np.prod(X.shape[1:])))
            return value
        rows_of = datum.rows_of or "X"
        if datum.rows_of is not None and datum.rows_of not in given:
            raise ValueError(f"{name} describes the rows of {rows_of}: give {rows_of} too.")
        n_rows = len(X) if datum.rows_of is None else len(given[rows_of])
        value = as_row_values(value, name)
        if value.ndim != 1 or len(value) != n_rows:
            raise ValueError(
                f"{name} must give one value per row of {rows_of} ({n_rows}); got an "
                f"array of shape {value.shape}."
            )
        if datum.kind == "groups" and value.dtype.kind == "f" and not np.isfinite(value).all():
            raise ValueError(f"{name} holds NaN or infinite values: give every row a group.")
        if datum.kind == "labels":
            unknown = np.setdiff1d(value, np.unique(y))
            if len(unknown):
                raise ValueError(
                    f"{name} has labels that are not classes of y: {unknown.tolist()}; "
                    f"the classes are {np.unique(y).tolist()}."
                )
        return value

    def _side_information(self, given):
        used = []
        for name in given:
            information = resolve(self.side_data[name].information, self)
            if information is not None and information not in used:
                used.append(information)
        return tuple(used) or ("none",)

    def _select(self, X_val, y_val, X=None, y=None):
        """Apply the selection rule: the labeled selection set, else the default.

        With the training rows ``(X, y)``, a member whose training accuracy
        is near chance is not selected while another member learned them:
        a member that learned nothing scores 0.5 on a decorrelated set and
        could beat one that learned S.
        """
        datum = self.side_data.get("X_val")
        if X_val is not None and datum is not None \
                and resolve(datum.information, self) == "labeled_ood_selection":
            self.validation_scores_ = np.asarray(
                self._selection_scores(X_val, y_val), dtype=float)
            eligible = np.ones(len(self.estimators_), dtype=bool)
            if X is not None:
                eligible = np.array([not near_chance(member.score(X, y), y)
                                     for member in self.estimators_])
                eligible |= not eligible.any()
            self.selected_ = int(np.argmax(np.where(eligible, self.validation_scores_,
                                                    -np.inf)))
            self.selection_ = "validation accuracy"
            return
        self.validation_scores_ = None
        self.selection_ = self.default_selection
        self.selected_ = len(self.estimators_) - 1 if self.default_selection == "last member" \
            else None

    def _selection_scores(self, X_val, y_val):
        """Each member's score on the labeled selection set: its accuracy."""
        return [member.score(X_val, y_val) for member in self.estimators_]

    @property
    def selected_estimator_(self):
        """The member the selection rule picked, or the ensemble itself when none."""
        check_is_fitted(self)
        return self if self.selected_ is None else self.estimators_[self.selected_]

    @property
    def predicting_estimators_(self):
        """The members whose mean logits are the predictions."""
        check_is_fitted(self)
        if self.predicts_with_selected and self.selected_ is not None:
            return [self.estimators_[self.selected_]]
        return list(self.estimators_)

    def predict_logits(self, X):
        """The predicting members' logits, averaged.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)

        Returns
        -------
        logits : ndarray of shape (n_samples, n_classes)
        """
        return np.mean([member.predict_logits(X) for member in self.predicting_estimators_],
                       axis=0)

    def torch_model(self):
        """The torch modules the predictions average, and how inputs reach them.

        Returns
        -------
        model : TorchModel
            The predicting members' modules (their logits averaged), with
            the first member's device, classes, input shape and dtype.
        """
        members = [member.torch_model() for member in self.predicting_estimators_]
        first = members[0]
        return TorchModel(modules=[m for member in members for m in member.modules],
                          device=first.device, classes=first.classes,
                          input_shape=first.input_shape, dtype=first.dtype)


def _setting(condition, method):
    return condition.setting(method) if isinstance(condition, Depends) else ""


def _instead(condition):
    return f", or choose another {condition.param}." if isinstance(condition, Depends) else "."


def member_template(estimator, owner, *, allow_method=False):
    """The network template of a method that trains its own members.

    ``estimator``, or ``SBNetClassifier()`` for None. Unless
    ``allow_method``, a template with a training method is refused: the
    method ``owner`` trains the members its own way.
    """
    if estimator is None:
        from .._classifier import SBNetClassifier

        return SBNetClassifier()
    if not allow_method and not isinstance(estimator, FrozenEstimator) \
            and estimator.get_params(deep=False).get("method") is not None:
        raise ValueError(
            f"{owner} trains its members with its own loss: give an estimator without "
            f"a method (got method={estimator.method!r})."
        )
    return estimator
