"""The ensemble contract: what BaseNetworkEnsemble does for every method that derives from it.

A small ensemble of our own, written as a researcher would (declared side
data and one kernel), gets validation, routing, selection, side
information and torch modules from the base class; every registered
ensemble's routing requests and documentation rows follow its declaration.
"""

import numpy as np
import pytest
import sklearn
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.adversarial._torch import torch_model
from sklearn_sb.mitigation import (
    BaseNetworkEnsemble,
    Depends,
    SideDatum,
    available_methods,
    side_data_table,
)
from sklearn_sb.mitigation._registry import method_entry
from sklearn_sb.utils._param_validation import StrOptions


class TwoNetworks(BaseNetworkEnsemble):
    """Two networks, the second fitted on the training rows plus X_extra when mode='extra'."""

    _parameter_constraints = {"estimator": [None, object], "mode": [StrOptions({"plain",
                                                                               "extra"})]}
    side_data = {
        "X_extra": SideDatum("inputs", "more inputs.", information="unlabeled_ood",
                             required=Depends("mode", {"extra": True}, False),
                             accepted=Depends("mode", {"extra": True}, False)),
        "X_val": SideDatum("inputs", "a selection set.", information="labeled_ood_selection"),
        "y_val": SideDatum("labels", "its labels.", information="labeled_ood_selection",
                           rows_of="X_val"),
    }
    default_selection = "last member"

    def __init__(self, estimator=None, *, mode="plain"):
        self.estimator = estimator
        self.mode = mode

    def _fit_members(self, X, y, X_extra, X_val, y_val):
        self.seen_ = {"X_extra": X_extra, "X_val": X_val}
        return [clone(self.estimator).set_params(random_state=seed).fit(X, y)
                for seed in (0, 1)]


@pytest.fixture(scope="module")
def data():
    return make_lms(600, 6, random_state=0)


def model(**params):
    return TwoNetworks(SBNetClassifier(module__width=8, max_epochs=2, device="cpu"), **params)


def test_fit_records_the_members_the_selection_and_the_side_information(data):
    X, y = data
    fitted = model().fit(X, y)
    assert len(fitted.estimators_) == 2 and fitted.n_features_in_ == 6
    assert (fitted.selected_, fitted.selection_) == (1, "last member")
    assert fitted.selected_estimator_ is fitted.estimators_[1]
    assert fitted.predicting_estimators_ == fitted.estimators_
    assert fitted.side_information_ == ("none",)
    np.testing.assert_allclose(
        fitted.predict_logits(X[:5]),
        np.mean([m.predict_logits(X[:5]) for m in fitted.estimators_], axis=0))


class ChanceSecond(TwoNetworks):
    """The second member predicts one class: at chance on the training rows."""

    def _fit_members(self, X, y, X_extra, X_val, y_val):
        first, second = super()._fit_members(X, y, X_extra, X_val, y_val)
        second.predict_logits = lambda X: np.tile([10.0, -10.0], (len(X), 1))
        return [first, second]


def test_a_member_at_chance_in_training_is_never_selected_while_another_learned(data):
    X, y = data
    # On rows of one class only, the constant member is right everywhere.
    val = y == 0
    fitted = ChanceSecond(SBNetClassifier(module__width=8, max_epochs=2, device="cpu"),
                          mode="extra").fit(X, y, X_extra=X[:50], X_val=X[val], y_val=y[val])
    assert fitted.validation_scores_[1] == 1.0 > fitted.validation_scores_[0]
    assert fitted.selected_ == 0


def test_a_selection_set_picks_the_most_accurate_member(data):
    X, y = data
    fitted = model(mode="extra").fit(X, y, X_extra=X[:50], X_val=X[:100], y_val=y[:100])
    scores = [m.score(X[:100], y[:100]) for m in fitted.estimators_]
    assert fitted.selection_ == "validation accuracy"
    assert fitted.selected_ == int(np.argmax(scores))
    np.testing.assert_allclose(fitted.validation_scores_, scores)
    assert fitted.side_information_ == ("unlabeled_ood", "labeled_ood_selection")
    assert fitted.seen_["X_extra"].dtype == np.float32


def test_the_kernel_gets_every_declared_keyword_none_where_not_given(data):
    X, y = data
    assert model().fit(X, y).seen_ == {"X_extra": None, "X_val": None}


@pytest.mark.parametrize("params, side_data, error, match", [
    ({}, {"X_odd": np.zeros((3, 6))}, TypeError, r"unexpected side data \['X_odd'\]"),
    ({}, {"X_extra": np.zeros((3, 6))}, ValueError, r"\(mode='plain'\) uses no X_extra"),
    ({"mode": "extra"}, {}, ValueError,
     r"\(mode='extra'\) needs X_extra in fit: more inputs. Pass X_extra to fit, or choose "
     "another mode"),
    ({"mode": "extra"}, {"X_extra": np.zeros((3, 5))}, ValueError,
     r"X_extra has samples of shape \(5,\)"),
    ({}, {"X_val": np.zeros((3, 6))}, ValueError, "Give both X_val and y_val"),
    ({}, {"X_val": np.zeros((3, 6)), "y_val": [0, 1]}, ValueError,
     r"y_val must give one value per row of X_val \(3\)"),
    ({}, {"X_val": np.zeros((2, 6)), "y_val": [0, 7]}, ValueError,
     r"y_val has labels that are not classes of y: \[7\]"),
    ({}, {"X_val": np.full((2, 6), np.nan), "y_val": [0, 1]}, ValueError, "NaN"),
])
def test_bad_side_data_is_refused_before_any_member_trains(data, params, side_data, error,
                                                           match):
    X, y = data
    ensemble = model(**params)
    with pytest.raises(error, match=match):
        ensemble.fit(X, y, **side_data)
    with pytest.raises(NotFittedError):
        check_is_fitted(ensemble)


def test_a_failed_refit_leaves_the_previous_fit(data):
    X, y = data
    fitted = model().fit(X, y)
    logits = fitted.predict_logits(X)
    with pytest.raises(ValueError):
        fitted.fit(X[:100], y[:100], X_val=X[:3])
    np.testing.assert_array_equal(fitted.predict_logits(X), logits)
    assert fitted.selection_ == "last member"


def test_routing_requests_are_the_declared_keywords(data):
    X, y = data
    with sklearn.config_context(enable_metadata_routing=True):
        ensemble = model().set_fit_request(X_val=True, y_val=True)
        assert set(ensemble.get_metadata_routing().fit.requests) == set(TwoNetworks.side_data)


@pytest.mark.parametrize("name", available_methods())
def test_every_registered_ensembles_routing_follows_its_declaration(name):
    cls = method_entry(name).cls
    if not issubclass(cls, BaseNetworkEnsemble):
        pytest.skip("a training method takes no side data in fit")
    with sklearn.config_context(enable_metadata_routing=True):
        requests = cls().get_metadata_routing().fit.requests
    assert set(requests) == set(cls.side_data)


def test_the_side_data_table_follows_the_declarations():
    table = side_data_table().set_index(["method", "keyword"])
    # D-BAT as registered (ood='given') needs X_ood; its adversarial variant takes none.
    assert bool(table.loc[("d-bat", "X_ood"), "required"])
    assert table.loc[("d-bat", "X_ood"), "side information"] == "unlabeled_ood"
    assert "X_ood" not in table.loc["d-bat-adversarial"].index
    assert table.loc[("divdis", "X_val"), "side information"] == "labeled_ood_selection"
    assert table.loc[("spectral-decoupling", ""), "side information"] == "none"


def test_the_torch_modules_are_the_predicting_members(data):
    X, y = data
    fitted = model().fit(X, y)
    declared = torch_model(fitted, "test")
    assert declared.modules == [m.module_ for m in fitted.estimators_]
    assert declared.input_shape == (6,)
    with pytest.raises(TypeError, match="declares them with a torch_model"):
        torch_model(object(), "test")
