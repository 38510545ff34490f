"""DivDisClassifier: heads on one backbone that disagree on target data, then one is chosen."""

import pickle

import numpy as np
import pytest
import sklearn
import torch
from sklearn.base import clone
from sklearn.exceptions import DataConversionWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.adversarial import UniversalPerturbation
from sklearn_sb.inspection import randomize_block, randomized_scores
from sklearn_sb.mitigation import DivDisClassifier, SpectralDecoupling, make_method
from sklearn_sb.mitigation._divdis import marginal_kl, mutual_information
from sklearn_sb.utils._param_validation import InvalidParameterError

# SGD with momentum: within 40 epochs on 10,000 rows the second head learns the
# slabs (plain SGD at lr 0.1 needs 30,000 rows and about 60 epochs).
NET = dict(module__width=50, max_epochs=40, lr=0.05, optimizer__momentum=0.9, device="cpu")


def net(**params):
    return SBNetClassifier(**{**NET, **params})


def _permute_s(X, data, seed=0):
    return randomize_block(X, data.simple_features, data.rotation,
                           np.random.RandomState(seed).permutation(len(X)))


@pytest.fixture(scope="module")
def lms5():
    """LMS-5 in 10 dimensions: training rows, held-out rows with S permuted, test rows."""
    data = make_lms(10_000, 10, random_state=0, return_X_y=False)
    held_out = make_lms(2000, 10, rotation=data.rotation, random_state=1)[0]
    test = make_lms(2000, 10, rotation=data.rotation, random_state=2, return_X_y=False)
    return data, _permute_s(held_out, data), test


@pytest.fixture(scope="module")
def divdis(lms5):
    data, target, _ = lms5
    return DivDisClassifier(net(), random_state=0).fit(data.X, data.y, X_ood=target)


def _disagreement(model, X):
    first, second = model.estimators_
    return np.mean(first.predict(X) != second.predict(X))


# -- the two terms of the loss -----------------------------------------------------------

SURE_0, SURE_1 = [1.0, 0.0], [0.0, 1.0]
HALVES = torch.tensor([0.5, 0.5], dtype=torch.float64)


def _heads(*columns):
    """Probabilities (n, n_heads, n_classes) from one list of rows per head."""
    return torch.tensor(np.stack(columns, axis=1), dtype=torch.float64)


def test_mutual_information_of_independent_heads_is_zero():
    probs = _heads([SURE_0, SURE_0, SURE_1, SURE_1], [SURE_0, SURE_1, SURE_0, SURE_1])
    assert mutual_information(probs).item() == pytest.approx(0, abs=1e-12)


def test_mutual_information_of_identical_confident_balanced_heads_is_log_n_classes():
    two = [SURE_0, SURE_1, SURE_0, SURE_1]
    assert mutual_information(_heads(two, two)).item() == pytest.approx(np.log(2))
    three = np.eye(3).tolist() * 2
    assert mutual_information(_heads(three, three)).item() == pytest.approx(np.log(3))


def test_mutual_information_of_a_head_that_predicts_one_class_is_zero():
    # The blind spot the marginal regularizer covers.
    probs = _heads([SURE_0, SURE_1, SURE_0, SURE_1], [SURE_0] * 4)
    assert mutual_information(probs).item() == pytest.approx(0, abs=1e-12)


def test_mutual_information_averages_the_pairs_of_heads():
    a, b = [SURE_0, SURE_0, SURE_1, SURE_1], [SURE_0, SURE_1, SURE_0, SURE_1]
    # Pairs (a, a'), (a, b), (a', b): log 2, 0, 0.
    assert mutual_information(_heads(a, a, b)).item() == pytest.approx(np.log(2) / 3)


def test_mutual_information_of_soft_predictions_is_the_kl_to_the_product_of_marginals():
    p = torch.tensor([[[0.9, 0.1], [0.8, 0.2]], [[0.3, 0.7], [0.4, 0.6]]], dtype=torch.float64)
    joint = (p[:, 0, :, None] * p[:, 1, None, :]).mean(dim=0).numpy()
    product = np.outer(p[:, 0].mean(dim=0), p[:, 1].mean(dim=0))
    expected = np.sum(joint * np.log(joint / product))
    assert mutual_information(p).item() == pytest.approx(expected)


def test_the_terms_have_finite_gradients_at_confident_predictions():
    logits = torch.tensor([[[200.0, 0.0], [200.0, 0.0]], [[0.0, 200.0], [0.0, 200.0]]],
                          requires_grad=True)
    probs = torch.softmax(logits, dim=2)
    (mutual_information(probs) + marginal_kl(probs, HALVES)).backward()
    assert torch.isfinite(logits.grad).all()


def test_marginal_kl_is_the_mean_over_heads_of_the_kl_to_the_label_marginal():
    balanced = [SURE_0, SURE_1, SURE_0, SURE_1]
    assert marginal_kl(_heads(balanced, balanced), HALVES).item() == \
        pytest.approx(0, abs=1e-12)
    # One head predicts class 0 everywhere: KL((1, 0) || (1/2, 1/2)) = log 2.
    collapsed = _heads(balanced, [SURE_0] * 4)
    assert marginal_kl(collapsed, HALVES).item() == \
        pytest.approx(np.log(2) / 2)
    # Mean prediction (3/4, 1/4) against the marginal (1/2, 1/2).
    skewed = _heads([SURE_0, SURE_0, SURE_0, SURE_1], balanced)
    assert marginal_kl(skewed, HALVES).item() == \
        pytest.approx((0.75 * np.log(1.5) + 0.25 * np.log(0.5)) / 2)


# -- the defining property -------------------------------------------------------------


def test_the_heads_disagree_on_target_data_more_than_undiversified_heads(lms5, divdis):
    data, target, _ = lms5
    undiversified = DivDisClassifier(net(), diversity=0, regularization=0,
                                     random_state=0).fit(data.X, data.y, X_ood=target)
    assert _disagreement(divdis, target) > _disagreement(undiversified, target) + 0.3


def test_both_heads_fit_the_training_data_and_one_learns_the_slabs(lms5, divdis):
    data, _, test = lms5
    assert all(head.score(data.X, data.y) > 0.97 for head in divdis.estimators_)
    decorrelated = _permute_s(test.X, test, seed=1)
    assert max(head.score(decorrelated, test.y) for head in divdis.estimators_) > 0.9


def test_the_heads_share_the_body_of_one_network(divdis):
    first, second = (head.module_ for head in divdis.estimators_)
    assert first.body is second.body and first.head is not second.head
    assert len(divdis.estimators_) == 2
    assert all(head.method is None for head in divdis.estimators_)


def test_before_disambiguation_predictions_average_the_heads_logits(lms5, divdis):
    _, _, test = lms5
    assert divdis.selected_ is None and divdis.selected_estimator_ is divdis
    mean = np.mean([h.predict_logits(test.X) for h in divdis.estimators_], axis=0)
    np.testing.assert_allclose(divdis.predict_logits(test.X), mean, rtol=1e-6)
    assert divdis.side_information_ == ("unlabeled_ood",)


def test_three_heads(lms5):
    data, target, test = lms5
    model = DivDisClassifier(net(max_epochs=2), n_heads=3, random_state=0).fit(
        data.X, data.y, X_ood=target)
    assert len(model.estimators_) == 3
    assert model.predict_proba(test.X[:5]).shape == (5, 2)


def test_a_one_logit_network_gets_one_logit_heads(lms5):
    data, target, _ = lms5
    model = DivDisClassifier(net(module="irm_mlp", max_epochs=2),
                             random_state=0).fit(data.X, data.y, X_ood=target)
    logits = np.stack([h.predict_logits(data.X[:5]) for h in model.estimators_])
    np.testing.assert_array_equal(logits[..., 0], 0)
    assert model.estimators_[0].score(data.X, data.y) > 0.9


# -- disambiguation ----------------------------------------------------------------------


@pytest.fixture
def disambiguated(lms5, divdis):
    _, _, test = lms5
    X_query = _permute_s(test.X, test, seed=1)
    return pickle.loads(pickle.dumps(divdis)).disambiguate(X_query, test.y), X_query, test.y


def test_disambiguation_picks_the_head_most_accurate_on_the_most_disagreed_rows(
    disambiguated
):
    model, X_query, y_query = disambiguated
    probs = np.stack([h.predict_proba(X_query) for h in model.estimators_], axis=1)
    disagreement = np.abs(probs[:, 0] - probs[:, 1]).sum(axis=1)
    assert len(model.query_indices_) == 16
    assert disagreement[model.query_indices_].min() >= \
        np.delete(disagreement, model.query_indices_).max() - 1e-6
    scores = [h.score(X_query[model.query_indices_], y_query[model.query_indices_])
              for h in model.estimators_]
    np.testing.assert_allclose(model.validation_scores_, scores)
    assert model.selected_ == int(np.argmax(scores))
    # The head that learned the slabs is the one that is right where they disagree.
    accuracies = [h.score(X_query, y_query) for h in model.estimators_]
    assert model.selected_ == int(np.argmax(accuracies))


@pytest.mark.parametrize("head", [0, 1])
def test_disambiguation_follows_the_labels(disambiguated, head):
    model, X_query, _ = disambiguated
    labels = model.estimators_[head].predict(X_query)
    assert model.disambiguate(X_query, labels).selected_ == head
    assert model.validation_scores_[head] == 1 and model.validation_scores_[1 - head] < 0.5


@pytest.mark.parametrize("head", [0, 1])
def test_column_labels_are_raveled_with_a_warning(disambiguated, head):
    model, X_query, _ = disambiguated
    labels = model.estimators_[head].predict(X_query)
    with pytest.warns(DataConversionWarning, match="column-vector y_query"):
        assert model.disambiguate(X_query, labels[:, None]).selected_ == head
    with pytest.raises(ValueError, match=r"one label per row of X_query.*\(.*, 2\)"):
        model.disambiguate(X_query, np.stack([labels, labels], axis=1))


def test_after_disambiguation_predictions_are_the_selected_heads(lms5, disambiguated):
    _, _, test = lms5
    model, _, _ = disambiguated
    assert model.side_information_ == ("unlabeled_ood", "labeled_ood_selection")
    assert model.selected_estimator_ is model.estimators_[model.selected_]
    np.testing.assert_array_equal(model.predict_logits(test.X),
                                  model.selected_estimator_.predict_logits(test.X))


def test_n_queries_and_a_small_pool(disambiguated):
    model, X_query, y_query = disambiguated
    model.set_params(n_queries=4).disambiguate(X_query, y_query)
    assert len(model.query_indices_) == 4
    model.disambiguate(X_query[:3], y_query[:3])
    assert sorted(model.query_indices_) == [0, 1, 2]
    assert model.side_information_ == ("unlabeled_ood", "labeled_ood_selection")


def test_refitting_forgets_the_selection(lms5, disambiguated):
    data, target, _ = lms5
    model, _, _ = disambiguated
    model.set_params(estimator=net(max_epochs=1)).fit(data.X, data.y, X_ood=target)
    assert model.selected_ is None and model.query_indices_ is None
    assert model.side_information_ == ("unlabeled_ood",)


# -- scikit-learn behaviour ----------------------------------------------------------------


def test_same_random_state_same_heads(lms5):
    data, target, test = lms5
    fits = [DivDisClassifier(net(max_epochs=2), random_state=3).fit(
        data.X, data.y, X_ood=target).predict_logits(test.X) for _ in range(2)]
    np.testing.assert_array_equal(*fits)


def test_clone_pickle_and_the_inspection_tools(lms5, divdis):
    _, _, test = lms5
    assert clone(divdis).get_params()["diversity"] == 10.0
    restored = pickle.loads(pickle.dumps(divdis))
    np.testing.assert_array_equal(restored.predict_logits(test.X),
                                  divdis.predict_logits(test.X))
    table = randomized_scores(divdis, test.X, test.y, simple_features=test, random_state=0)
    assert set(table.index) == {"standard", "S-randomized", "S^c-randomized"}
    uap = UniversalPerturbation(divdis, eps=0.5, n_epochs=1, random_state=0)
    assert uap.fit(test.X, test.y).transform(test.X).shape == test.X.shape


@pytest.mark.parametrize("n_ood", [1000, 10_000])
def test_grid_search_routes_x_ood_also_when_it_has_as_many_rows_as_x(lms5, n_ood):
    # Cross-validation cuts every fit parameter as long as X into folds: an
    # unlabeled set of exactly that length is cut too, and still works.
    data, target, _ = lms5
    X_ood = np.resize(target, (n_ood, target.shape[1]))
    with sklearn.config_context(enable_metadata_routing=True):
        model = DivDisClassifier(net(max_epochs=2),
                                 random_state=0).set_fit_request(X_ood=True)
        search = GridSearchCV(model, {"diversity": [1.0, 10.0]}, cv=2).fit(
            data.X, data.y, X_ood=X_ood)
        assert search.best_estimator_.side_information_ == ("unlabeled_ood",)
        pipeline = Pipeline([("scale", StandardScaler()), ("divdis", clone(model))])
        assert pipeline.fit(data.X, data.y, X_ood=X_ood).score(data.X, data.y) > 0.8


def test_apply_to_and_the_registry():
    template = SBNetClassifier(module__width=7)
    model = make_method("divdis", diversity=3.0).apply_to(template)
    assert isinstance(model, DivDisClassifier) and model.diversity == 3.0
    assert model.estimator.module__width == 7 and model.estimator is not template


# -- bad input -------------------------------------------------------------------------------


class _LinearThenSigmoid(torch.nn.Module):
    def __init__(self, n_features, n_classes=2):
        super().__init__()
        self.hidden = torch.nn.Linear(n_features, 8)
        self.out = torch.nn.Linear(8, n_classes)

    def forward(self, x):
        return torch.sigmoid(self.out(torch.relu(self.hidden(x))))


class _NoLinear(torch.nn.Module):
    def __init__(self, n_features, n_classes=2):
        super().__init__()
        self.conv = torch.nn.Conv1d(1, n_classes, n_features)

    def forward(self, x):
        return self.conv(x[:, None]).flatten(1)


@pytest.mark.parametrize(
    "params, fit_params, error, match",
    [
        ({}, {"X_ood": np.zeros((5, 3))}, ValueError, r"X_ood has samples of shape \(3,\)"),
        ({}, {"X_ood": np.zeros((0, 10))}, ValueError, "X_ood is empty"),
        ({"n_heads": 1}, {}, InvalidParameterError, "'n_heads'"),
        ({"diversity": -1.0}, {}, InvalidParameterError, "'diversity'"),
        ({"regularization": -1.0}, {}, InvalidParameterError, "'regularization'"),
        ({"n_queries": 0}, {}, InvalidParameterError, "'n_queries'"),
        ({"estimator": StandardScaler()}, {}, InvalidParameterError, "'estimator'"),
        ({"estimator": SBNetClassifier(method=SpectralDecoupling())}, {}, ValueError,
         "without a method"),
        ({"estimator": SBNetClassifier(_LinearThenSigmoid, max_epochs=1, device="cpu")}, {},
         ValueError, "must be the network's last step; _LinearThenSigmoid computes something"),
        ({"estimator": SBNetClassifier(_NoLinear, max_epochs=1, device="cpu")}, {}, ValueError,
         "_NoLinear has none"),
        ({"estimator": SBNetClassifier("theorem1", max_epochs=1, device="cpu")}, {},
         ValueError, "Theorem1Net computes something after"),
    ],
)
def test_bad_input_is_a_clear_error_and_leaves_nothing_fitted(lms5, params, fit_params,
                                                              error, match):
    data, target, _ = lms5
    model = DivDisClassifier(**{"estimator": net(max_epochs=1), **params})
    with pytest.raises(error, match=match):
        model.fit(data.X, data.y, **{"X_ood": target, **fit_params})
    with pytest.raises(sklearn.exceptions.NotFittedError):
        check_is_fitted(model)


def test_one_class_in_y_is_a_clear_error(lms5):
    data, target, _ = lms5
    with pytest.raises(ValueError, match="at least two classes in y; got one class"):
        DivDisClassifier(net()).fit(data.X, np.zeros(len(data.X)), X_ood=target)


def test_disambiguating_an_unfitted_model_is_a_clear_error(lms5):
    _, target, _ = lms5
    with pytest.raises(sklearn.exceptions.NotFittedError):
        DivDisClassifier(net()).disambiguate(target, np.zeros(len(target)))


@pytest.mark.parametrize(
    "X_query, y_query, match",
    [
        (np.zeros((20, 3)), np.zeros(20), r"X_query has samples of shape \(3,\)"),
        (np.zeros((1, 10)), np.zeros(1), "pool has 1 row.*give at least 2"),
        (np.zeros((20, 10)), np.zeros(19), "inconsistent numbers of samples"),
        (np.zeros((20, 10)), np.full(20, 7), "y_query has labels the model was not fitted on"),
    ],
)
def test_a_bad_query_is_a_clear_error_and_keeps_the_selection(disambiguated, X_query,
                                                                y_query, match):
    model, _, _ = disambiguated
    selected, rows = model.selected_, model.query_indices_.copy()
    with pytest.raises(ValueError, match=match):
        model.disambiguate(X_query, y_query)
    assert model.selected_ == selected
    np.testing.assert_array_equal(model.query_indices_, rows)


def test_an_interrupt_propagates_and_keeps_the_previous_fit(lms5, divdis, monkeypatch):
    data, target, test = lms5
    model = pickle.loads(pickle.dumps(divdis))
    before = model.predict_logits(test.X)

    def interrupted(self, net, X, y, y_pred, loss):
        raise KeyboardInterrupt

    from sklearn_sb.mitigation import _divdis

    monkeypatch.setattr(_divdis._DiversifyLoss, "adjust_loss", interrupted)
    with pytest.raises(KeyboardInterrupt):
        model.fit(data.X, data.y, X_ood=target)
    np.testing.assert_array_equal(model.predict_logits(test.X), before)
    assert len(model.estimators_) == 2


def test_after_disambiguation_attacks_target_the_selected_head(lms5, disambiguated):
    from sklearn_sb.adversarial._torch import torch_model

    _, _, test = lms5
    model, _, _ = disambiguated
    head = model.estimators_[model.selected_]
    attacked = torch_model(model, "test")
    assert model.predicting_estimators_ == [head]
    assert len(attacked.modules) == 1 and attacked.modules[0] is head.module_


def test_without_target_data_the_training_rows_are_the_target(lms5):
    data, _, _ = lms5
    model = DivDisClassifier(net(max_epochs=2), random_state=0).fit(data.X, data.y)
    assert model.side_information_ == ("none",)
    assert model.score(data.X, data.y) > 0.9
