"""DBATClassifier: members trained in sequence to disagree off the training data."""

import pickle

import numpy as np
import pytest
import sklearn
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.adversarial import UniversalPerturbation
from sklearn_sb.inspection import randomize_block, randomized_scores
from sklearn_sb.mitigation import DBATClassifier, SpectralDecoupling, make_method
from sklearn_sb.mitigation._dbat import agreement_loss
from sklearn_sb.utils._param_validation import InvalidParameterError
from sklearn_sb.utils._random import draw_seed

NET = dict(module__width=50, max_epochs=25, lr=0.1, device="cpu")


def net(**params):
    return SBNetClassifier(**{**NET, **params})


@pytest.fixture(scope="module")
def lms5():
    """LMS-5 in 10 dimensions: training rows, held-out rows with S permuted, test rows.

    30,000 training rows are enough for D-BAT's second member to learn the
    slabs within 25 epochs (4,000 are not: it then stays on S).
    """
    data = make_lms(30_000, 10, random_state=0, return_X_y=False)
    held_out = make_lms(2000, 10, rotation=data.rotation, random_state=1)[0]
    decorrelated = randomize_block(held_out, data.simple_features, data.rotation,
                                   np.random.RandomState(0).permutation(len(held_out)))
    test = make_lms(2000, 10, rotation=data.rotation, random_state=2, return_X_y=False)
    return data, decorrelated, test


@pytest.fixture(scope="module")
def oracle_dbat(lms5):
    data, decorrelated, _ = lms5
    return DBATClassifier(net(), ood="oracle", alpha=0.5,
                          random_state=0).fit(data.X, data.y, X_ood=decorrelated,
                                              simple_features=data)


def _disagreement(a, b, X):
    return np.mean(a.predict(X) != b.predict(X))


# -- the agreement loss ----------------------------------------------------------


def test_agreement_loss_is_low_where_members_disagree():
    sure = torch.tensor([[0.99, 0.01], [0.01, 0.99]])
    for variant in ("binary", "multiclass"):
        agreeing = agreement_loss(sure, sure, variant)
        disagreeing = agreement_loss(sure, sure.flip(1), variant)
        assert disagreeing < 0.05 < 3 < agreeing


def test_multiclass_agreement_loss_is_the_authors_formula():
    previous = torch.tensor([[0.7, 0.2, 0.1]])
    current = torch.tensor([[0.3, 0.5, 0.2]])
    # k = 0, the earlier member's class: -log(0.7 * (1 - 0.3) + 0.3 * (1 - 0.7)).
    expected = -np.log(0.7 * 0.7 + 0.3 * 0.3 + 1e-7)
    assert agreement_loss(previous, current, "multiclass").item() == pytest.approx(expected)


# -- the defining property -----------------------------------------------------------


def test_the_second_member_disagrees_on_d_ood_more_than_an_independent_erm_member(
    lms5, oracle_dbat
):
    data, decorrelated, _ = lms5
    first, second = oracle_dbat.estimators_
    independent = net(random_state=123).fit(data.X, data.y)
    assert _disagreement(first, second, decorrelated) > \
        _disagreement(first, independent, decorrelated) + 0.3


def test_both_members_fit_the_training_data(lms5, oracle_dbat):
    data, _, _ = lms5
    assert all(member.score(data.X, data.y) > 0.9 for member in oracle_dbat.estimators_)


def test_the_first_member_is_plain_erm(lms5, oracle_dbat):
    data, _, _ = lms5
    seed = int(draw_seed(0, size=2)[0])
    erm = net(random_state=seed).fit(data.X, data.y)
    np.testing.assert_array_equal(oracle_dbat.estimators_[0].predict_logits(data.X[:50]),
                                  erm.predict_logits(data.X[:50]))


def test_predictions_average_the_members_logits(lms5, oracle_dbat):
    _, _, test = lms5
    mean = np.mean([m.predict_logits(test.X) for m in oracle_dbat.estimators_], axis=0)
    np.testing.assert_allclose(oracle_dbat.predict_logits(test.X), mean, rtol=1e-6)
    assert oracle_dbat.predict_proba(test.X).shape == (len(test.X), 2)


# -- where D_ood comes from, and what is recorded ------------------------------------


def test_side_information_and_selection_are_recorded(lms5, oracle_dbat):
    data, decorrelated, test = lms5
    assert oracle_dbat.side_information_ == ("oracle_simple_block",)
    assert (oracle_dbat.selected_, oracle_dbat.selection_) == (1, "last member")
    assert oracle_dbat.selected_estimator_ is oracle_dbat.estimators_[1]
    X_val = randomize_block(test.X, test.simple_features, test.rotation,
                            np.random.RandomState(1).permutation(len(test.X)))
    given = DBATClassifier(net(max_epochs=2), random_state=0).fit(
        data.X, data.y, X_ood=decorrelated, X_val=X_val, y_val=test.y)
    assert given.side_information_ == ("unlabeled_ood", "labeled_ood_selection")
    assert given.selection_ == "validation accuracy"
    assert given.selected_ == int(np.argmax(given.validation_scores_))
    np.testing.assert_allclose(given.validation_scores_,
                               [m.score(X_val, test.y) for m in given.estimators_])


def test_the_oracle_permutes_s_of_the_training_rows_without_x_ood(lms5):
    data, decorrelated, _ = lms5
    dbat = DBATClassifier(net(max_epochs=2), ood="oracle",
                          random_state=0).fit(data.X, data.y, simple_features=data)
    assert dbat.side_information_ == ("oracle_simple_block",)


def test_the_adversarial_variant_needs_no_side_data(lms5):
    data, _, _ = lms5
    dbat = DBATClassifier(net(max_epochs=2), ood="adversarial",
                          n_iter=3, random_state=0).fit(data.X, data.y)
    assert dbat.side_information_ == ("none",)
    assert len(dbat.estimators_) == 2


def test_three_members_each_disagree_with_the_earlier_ones(lms5):
    data, decorrelated, _ = lms5
    dbat = DBATClassifier(net(max_epochs=4), n_estimators=3, alpha=0.5,
                          random_state=0).fit(data.X, data.y, X_ood=decorrelated)
    assert len(dbat.estimators_) == 3
    assert all(member.method is None for member in dbat.estimators_)


# -- scikit-learn behaviour -------------------------------------------------------------


def test_same_random_state_same_members(lms5):
    data, decorrelated, test = lms5
    fit = [DBATClassifier(net(max_epochs=2), random_state=3).fit(
        data.X, data.y, X_ood=decorrelated).predict_logits(test.X) for _ in range(2)]
    np.testing.assert_array_equal(*fit)


def test_clone_pickle_and_the_inspection_tools(lms5, oracle_dbat):
    _, _, test = lms5
    assert clone(oracle_dbat).get_params()["alpha"] == 0.5
    restored = pickle.loads(pickle.dumps(oracle_dbat))
    np.testing.assert_array_equal(restored.predict_logits(test.X),
                                  oracle_dbat.predict_logits(test.X))
    table = randomized_scores(oracle_dbat, test.X, test.y, simple_features=test,
                              random_state=0)
    assert set(table.index) == {"standard", "S-randomized", "S^c-randomized"}
    uap = UniversalPerturbation(oracle_dbat, eps=0.5, n_epochs=1, random_state=0)
    assert uap.fit(test.X, test.y).transform(test.X).shape == test.X.shape


@pytest.mark.parametrize("n_ood", [1000, 30_000])
def test_grid_search_routes_x_ood_also_when_it_has_as_many_rows_as_x(lms5, n_ood):
    # Cross-validation cuts every fit parameter as long as X into folds: an
    # unlabeled set of exactly that length is cut too, and still works.
    data, decorrelated, _ = lms5
    X_ood = np.resize(decorrelated, (n_ood, decorrelated.shape[1]))
    with sklearn.config_context(enable_metadata_routing=True):
        dbat = DBATClassifier(net(max_epochs=2),
                              random_state=0).set_fit_request(X_ood=True)
        search = GridSearchCV(dbat, {"alpha": [0.1, 1.0]}, cv=2).fit(
            data.X, data.y, X_ood=X_ood)
        assert search.best_estimator_.side_information_ == ("unlabeled_ood",)
        pipeline = Pipeline([("scale", StandardScaler()), ("dbat", clone(dbat))])
        assert pipeline.fit(data.X, data.y, X_ood=X_ood).score(data.X, data.y) > 0.8


def test_the_binary_agreement_is_refused_for_three_classes(lms5):
    data, _, _ = lms5
    y3 = np.arange(len(data.y)) % 3
    dbat = DBATClassifier(net(max_epochs=1), agreement="binary")
    with pytest.raises(ValueError, match="agreement='binary'.*two classes.*y has 3.*"
                                         "agreement='multiclass'"):
        dbat.fit(data.X, y3, X_ood=data.X[:20])
    with pytest.raises(sklearn.exceptions.NotFittedError):
        check_is_fitted(dbat)


def test_apply_to_and_the_registry():
    net = SBNetClassifier(module__width=7)
    dbat = make_method("d-bat", alpha=0.3).apply_to(net)
    assert isinstance(dbat, DBATClassifier) and dbat.alpha == 0.3
    assert dbat.estimator.module__width == 7 and dbat.estimator is not net


# -- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, fit_params, error, match",
    [
        ({}, {"X_ood": np.zeros((5, 3))}, ValueError, r"X_ood has samples of shape \(3,\)"),
        ({}, {"X_ood": np.zeros((0, 10))}, ValueError, "X_ood is empty"),
        ({}, {}, ValueError, r"\(ood='given'\) needs X_ood in fit: unlabeled inputs.*Pass X_ood"),
        ({"ood": "oracle"}, {}, ValueError, "Pass simple_features to fit, or choose another ood"),
        ({"ood": "adversarial"}, {"X_ood": np.zeros((5, 10))}, ValueError,
         r"\(ood='adversarial'\) uses no X_ood: drop it"),
        ({"alpha": -0.1}, {}, InvalidParameterError, "'alpha'"),
        ({"n_estimators": 1}, {}, InvalidParameterError, "'n_estimators'"),
        ({"ood": "test"}, {}, InvalidParameterError, "'ood'"),
        ({"estimator": StandardScaler()}, {}, InvalidParameterError, "'estimator'"),
        ({"estimator": SBNetClassifier(method=SpectralDecoupling())},
         {"X_ood": np.zeros((5, 10))}, ValueError, "without a method"),
        ({}, {"X_val": np.zeros((5, 10))}, ValueError, "Give both X_val and y_val"),
        ({"ood": "oracle"}, {"X_ood": np.zeros((1, 10)), "simple_features": [0]}, ValueError,
         r"permutes the simple block across the rows of X_ood.*at least 2 rows; got 1"),
    ],
)
def test_bad_input_is_a_clear_error_and_leaves_nothing_fitted(lms5, params, fit_params,
                                                              error, match):
    data, _, _ = lms5
    dbat = DBATClassifier(**{"estimator": net(max_epochs=1), **params})
    if "X_ood" not in fit_params and params.get("ood", "given") == "given" and \
            "X_val" in fit_params:
        fit_params = {**fit_params, "X_ood": data.X[:10]}
    with pytest.raises(error, match=match):
        dbat.fit(data.X, data.y, **fit_params)
    with pytest.raises(sklearn.exceptions.NotFittedError):
        check_is_fitted(dbat)


def test_one_class_in_y_is_a_clear_error(lms5):
    data, decorrelated, _ = lms5
    with pytest.raises(ValueError, match="at least two classes in y; got one class"):
        DBATClassifier(net()).fit(data.X, np.zeros(len(data.X)),
                                                   X_ood=decorrelated)


def test_an_interrupt_propagates_and_keeps_the_previous_fit(lms5, oracle_dbat, monkeypatch):
    data, decorrelated, test = lms5
    dbat = pickle.loads(pickle.dumps(oracle_dbat))
    before = dbat.predict_logits(test.X)

    def interrupted(self, net, X, y, y_pred, loss):
        raise KeyboardInterrupt

    from sklearn_sb.mitigation import _dbat

    monkeypatch.setattr(_dbat._Disagreement, "adjust_loss", interrupted)
    with pytest.raises(KeyboardInterrupt):
        dbat.fit(data.X, data.y, X_ood=decorrelated, simple_features=data)
    np.testing.assert_array_equal(dbat.predict_logits(test.X), before)
    assert len(dbat.estimators_) == 2
