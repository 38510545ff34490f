"""GradientDiversityClassifier: members trained jointly with unaligned input gradients."""

import math
import pickle

import numpy as np
import pytest
import sklearn
import torch
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.adversarial import UniversalPerturbation
from sklearn_sb.inspection import randomize_block, randomized_scores
from sklearn_sb.mitigation import GradientDiversityClassifier, SpectralDecoupling, make_method
from sklearn_sb.mitigation._gradient_diversity import (
    _GradientDiversity,
    gradient_similarity,
    input_gradients,
    member_outputs,
)
from sklearn_sb.mitigation._joint import joint_network
from sklearn_sb.utils._param_validation import InvalidParameterError
from sklearn_sb.utils._chance import near_chance
from sklearn_sb.utils._random import draw_seed

NET = dict(module__width=50, max_epochs=10, lr=0.05, optimizer__momentum=0.9,
           device="cpu")


def net(**params):
    return SBNetClassifier(**{**NET, **params})


@pytest.fixture(scope="module")
def lms5():
    """LMS-5 in 10 dimensions: training rows, and test rows of the same rotation."""
    data = make_lms(3000, 10, random_state=0, return_X_y=False)
    test = make_lms(1000, 10, rotation=data.rotation, random_state=2, return_X_y=False)
    return data, test


@pytest.fixture(scope="module")
def diverse(lms5):
    data, _ = lms5
    return GradientDiversityClassifier(net(), random_state=0).fit(data.X, data.y)


def _margin_gradients(member, X):
    """The gradient of the logit difference z_predicted - z_other, per row (two classes)."""
    X = torch.as_tensor(X, dtype=torch.float32).requires_grad_(True)
    logits = member.module_(X)
    sign = torch.where(logits[:, 1] > logits[:, 0], 1.0, -1.0).detach()
    margin = (sign * (logits[:, 1] - logits[:, 0])).sum()
    return torch.autograd.grad(margin, X)[0].numpy()


def _mean_abs_cosine(a, b, X):
    ga, gb = _margin_gradients(a, X), _margin_gradients(b, X)
    cosine = (ga * gb).sum(1) / (np.linalg.norm(ga, axis=1) * np.linalg.norm(gb, axis=1))
    return np.mean(np.abs(cosine))


# -- the penalty ----------------------------------------------------------------------


def _two_linear_members():
    """Two bias-free linear members on 2-D rows, and the gradients of their top logits.

    Row (1, 1): member 0's top logit is class 0, gradient (2, 0); member 1's
    is class 1, gradient (1, 1). Row (-1, -1): both top logits have gradient
    (0, -1).
    """
    W = [torch.tensor([[2.0, 0.0], [0.0, -1.0]], requires_grad=True),
         torch.tensor([[0.0, -1.0], [1.0, 1.0]], requires_grad=True)]
    X = torch.tensor([[1.0, 1.0], [-1.0, -1.0]], requires_grad=True)
    logits = torch.stack([X @ w.T for w in W], dim=1)
    return W, X, logits


@pytest.mark.parametrize("similarity, expected", [
    ("dot", (2 + 1) / 2),
    ("cosine", (1 / math.sqrt(2) + 1) / 2),
    ("squared_cosine", (1 / 2 + 1) / 2),
])
def test_the_top_logit_penalty_on_a_hand_made_case(similarity, expected):
    W, X, logits = _two_linear_members()
    gradients = input_gradients(logits, X, "top_logit")
    torch.testing.assert_close(gradients, torch.tensor([[[2.0, 0.0], [1.0, 1.0]],
                                                        [[0.0, -1.0], [0.0, -1.0]]]))
    assert gradient_similarity(gradients, similarity).item() == pytest.approx(expected)
    loss = torch.tensor(0.25)
    adjusted = _GradientDiversity(strength=3.0, similarity=similarity,
                                  gradient_of="top_logit").adjust_loss(None, X, None, logits, loss)
    assert adjusted.item() == pytest.approx(0.25 + 3 * expected)


@pytest.mark.parametrize("similarity, expected", [
    ("dot", 4.0),
    ("cosine", 0.8),
    ("squared_cosine", 0.64),
])
def test_the_margin_penalty_on_a_hand_made_case(similarity, expected):
    # Row (1, 1): member 0's logits (2, -1) predict class 0, margin z_0 - z_1 = 3,
    # gradient (2, 0) - (0, -1) = (2, 1); member 1's (-1, 2) predict class 1,
    # margin 3, gradient (1, 1) - (0, -1) = (1, 2). Row (-1, -1): the opposite
    # classes, margins 3, gradients (-2, -1) and (-1, -2). At both rows the
    # dot product is 4 and the cosine 4 / 5.
    W, X, logits = _two_linear_members()
    torch.testing.assert_close(member_outputs(logits, "margin"), torch.full((2, 2), 3.0))
    gradients = input_gradients(logits, X, "margin")
    torch.testing.assert_close(gradients, torch.tensor([[[2.0, 1.0], [1.0, 2.0]],
                                                        [[-2.0, -1.0], [-1.0, -2.0]]]))
    assert gradient_similarity(gradients, similarity).item() == pytest.approx(expected)
    adjusted = _GradientDiversity(strength=3.0, similarity=similarity).adjust_loss(
        None, X, None, logits, torch.tensor(0.25))
    assert adjusted.item() == pytest.approx(0.25 + 3 * expected)


def test_the_margin_gradient_is_the_gradient_of_the_predicted_logit_minus_the_largest_other():
    # A small nonlinear network, three classes, float64: the gradient is checked
    # against the margin computed by explicit indexing and by central differences.
    torch.manual_seed(0)
    members = [torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(),
                                   torch.nn.Linear(6, 3)).double() for _ in range(2)]
    X = torch.randn(5, 4, dtype=torch.float64, requires_grad=True)

    def margins(X, k):
        z = members[k](X)
        predicted = z.argmax(dim=1)
        others = z.masked_fill(torch.nn.functional.one_hot(predicted, 3).bool(), -math.inf)
        return z.gather(1, predicted[:, None])[:, 0] - others.max(dim=1).values

    logits = torch.stack([m(X) for m in members], dim=1)
    gradients = input_gradients(logits, X, "margin")
    for k in range(2):
        torch.testing.assert_close(member_outputs(logits, "margin")[:, k], margins(X, k))
        expected = torch.autograd.grad(margins(X, k).sum(), X)[0]
        torch.testing.assert_close(gradients[:, k], expected)
        h = 1e-6
        for j in range(4):
            step = torch.zeros_like(X)
            step[:, j] = h
            with torch.no_grad():
                numeric = (margins(X + step, k) - margins(X - step, k)) / (2 * h)
            torch.testing.assert_close(gradients[:, k, j].detach(), numeric,
                                       rtol=1e-5, atol=1e-7)


def test_with_two_classes_the_margin_gradient_is_the_logit_difference_s_gradient():
    # |z_1 - z_0|: the gradient of z_1 - z_0, signed toward the predicted class.
    W, X, logits = _two_linear_members()
    gradients = input_gradients(logits, X, "margin")
    sign = torch.sign(logits[:, :, 1] - logits[:, :, 0]).detach()
    for k in range(2):
        difference = torch.autograd.grad((logits[:, k, 1] - logits[:, k, 0]).sum(), X,
                                         retain_graph=True)[0]
        torch.testing.assert_close(gradients[:, k], sign[:, k, None] * difference)


def test_one_logit_has_no_margin():
    with pytest.raises(ValueError, match="gradient_of='margin' needs at least two logits"):
        member_outputs(torch.zeros(3, 2, 1), "margin")


def test_the_penalty_reaches_the_members_weights_by_double_backpropagation():
    W, X, logits = _two_linear_members()
    gradient_similarity(input_gradients(logits, X, "margin"), "dot").backward()
    # d/dW of mean_x g_0 . g_1: the penalty trains the weights, not only the input.
    assert all(w.grad is not None and w.grad.abs().sum() > 0 for w in W)


def test_the_penalty_sums_over_pairs():
    gradients = torch.tensor([[[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]])
    assert gradient_similarity(gradients, "dot").item() == pytest.approx(0 + 1 + 1)
    assert gradient_similarity(gradients, "squared_cosine").item() == pytest.approx(1.0)


def test_image_gradients_are_flattened_per_row():
    members = [torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(4, 2, bias=False))
               for _ in range(2)]
    with torch.no_grad():
        members[0][1].weight.copy_(torch.tensor([[1.0, 2.0, 3.0, 4.0], [0.0, 0.0, 0.0, 0.0]]))
        members[1][1].weight.copy_(torch.tensor([[0.0, 0.0, 0.0, 0.0], [4.0, 3.0, 2.0, 1.0]]))
    X = torch.ones(3, 1, 2, 2, requires_grad=True)
    gradients = input_gradients(torch.stack([m(X) for m in members], dim=1), X, "top_logit")
    assert gradients.shape == (3, 2, 4)
    torch.testing.assert_close(gradients[2, 1], torch.tensor([4.0, 3.0, 2.0, 1.0]))
    assert gradient_similarity(gradients, "cosine").item() == pytest.approx(20 / 30)


def test_the_training_batch_requires_grad_and_strength_zero_keeps_the_loss():
    method = _GradientDiversity(strength=0.0)
    X, y = method.transform_batch(None, torch.ones(4, 3), torch.zeros(4))
    assert X.requires_grad and X.is_leaf
    loss = torch.tensor(1.5)
    assert method.adjust_loss(None, X, y, torch.zeros(4, 2, 2), loss) is loss


# -- the defining property -----------------------------------------------------------


def test_the_members_decision_gradients_are_less_aligned_than_independent_erm_members(
    lms5, diverse
):
    data, test = lms5
    erm = [net(random_state=seed).fit(data.X, data.y) for seed in (1, 2)]
    independent = _mean_abs_cosine(*erm, test.X)
    penalized = _mean_abs_cosine(*diverse.estimators_, test.X)
    assert independent > 0.9
    assert penalized < 0.1


def test_on_lms5_one_member_reads_s_and_the_other_the_slabs():
    # The margin's gradient is the decision's: a member can lower its
    # similarity with a member that uses S only by using other coordinates.
    # The slabs need more rows than the other tests' 3,000 (there the second
    # member is still at 0.54 after 10 epochs).
    data = make_lms(10_000, 10, random_state=0, return_X_y=False)
    test = make_lms(1000, 10, rotation=data.rotation, random_state=2, return_X_y=False)
    X_val = randomize_block(test.X, test.simple_features, test.rotation,
                            np.random.RandomState(1).permutation(len(test.X)))
    model = GradientDiversityClassifier(net(), random_state=0).fit(
        data.X, data.y, X_val=X_val, y_val=test.y)
    scores = [randomized_scores(member, test.X, test.y, simple_features=test,
                                random_state=0)["accuracy_mean"]
              for member in model.estimators_]
    on_s, on_slabs = sorted(scores, key=lambda table: table["S-randomized"])
    assert on_s["standard"] > 0.95 and on_s["S-randomized"] < 0.55
    assert on_slabs["standard"] > 0.95 and on_slabs["S-randomized"] > 0.95
    assert on_slabs["S^c-randomized"] < 0.55
    assert model.selected_estimator_.score(X_val, test.y) > 0.95


def test_the_members_train_in_one_loop(diverse):
    first, second = diverse.estimators_
    assert first.history_ is second.history_ and len(first.history_) == NET["max_epochs"]
    assert first.module_ is not second.module_
    assert all(member.method is None for member in diverse.estimators_)


def test_strength_zero_trains_the_members_as_independent_networks_in_one_loop(lms5):
    # The loss is then the sum of the members' cross-entropies: each member
    # gets its own CE's gradient, exactly as in the joint network alone.
    data, test = lms5
    model = GradientDiversityClassifier(net(max_epochs=3), strength=0.0,
                                        random_state=0).fit(data.X, data.y)
    plain = joint_network(net(max_epochs=3, random_state=draw_seed(0)), 2, owner="test").fit(data.X, data.y)
    np.testing.assert_array_equal(
        np.stack([m.predict_logits(test.X) for m in model.estimators_], axis=1),
        plain.predict_logits(test.X))


def test_predictions_average_the_members_logits(lms5, diverse):
    _, test = lms5
    mean = np.mean([m.predict_logits(test.X) for m in diverse.estimators_], axis=0)
    np.testing.assert_allclose(diverse.predict_logits(test.X), mean, rtol=1e-6)
    assert diverse.predict_proba(test.X).shape == (len(test.X), 2)


# -- selection and what is recorded -------------------------------------------------


def test_without_x_val_the_ensemble_is_the_selected_model(diverse):
    assert diverse.side_information_ == ("none",)
    assert (diverse.selected_, diverse.selection_) == (None, "ensemble")
    assert diverse.validation_scores_ is None
    assert diverse.selected_estimator_ is diverse


def test_x_val_selects_the_best_member_that_learned_the_training_rows(lms5):
    # After 2 epochs, member 0 is still near chance on the training rows
    # (0.5 + NEAR_CHANCE) and scores 0.517 on X_val against member 1's 0.506
    # (which classifies with S): it must not be chosen.
    data, test = lms5
    X_val = randomize_block(test.X, test.simple_features, test.rotation,
                            np.random.RandomState(1).permutation(len(test.X)))
    model = GradientDiversityClassifier(net(max_epochs=2), random_state=0).fit(
        data.X, data.y, X_val=X_val, y_val=test.y)
    assert model.side_information_ == ("labeled_ood_selection",)
    assert model.selection_ == "validation accuracy"
    learned = [not near_chance(m.score(data.X, data.y), data.y) for m in model.estimators_]
    assert learned == [False, True]
    assert model.validation_scores_[0] > model.validation_scores_[1]
    assert model.selected_ == 1
    assert model.selected_estimator_ is model.estimators_[model.selected_]
    np.testing.assert_allclose(model.validation_scores_,
                               [m.score(X_val, test.y) for m in model.estimators_])


def test_three_members(lms5):
    data, test = lms5
    model = GradientDiversityClassifier(net(max_epochs=2), n_estimators=3,
                                        random_state=0).fit(data.X, data.y)
    assert len(model.estimators_) == 3
    assert model.predict_logits(test.X[:5]).shape == (5, 2)


# -- scikit-learn behaviour ---------------------------------------------------------


@pytest.mark.parametrize("gradient_of", ["margin", "top_logit"])
def test_same_random_state_same_members(lms5, gradient_of):
    data, test = lms5
    fits = [GradientDiversityClassifier(net(max_epochs=2), gradient_of=gradient_of,
                                        random_state=3).fit(data.X, data.y).predict_logits(test.X)
            for _ in range(2)]
    np.testing.assert_array_equal(*fits)


def test_the_default_differentiates_the_margin(lms5):
    assert GradientDiversityClassifier().gradient_of == "margin"
    assert _GradientDiversity().gradient_of == "margin"
    data, test = lms5
    fits = {gradient_of: GradientDiversityClassifier(
        net(max_epochs=2), random_state=3, **params).fit(data.X, data.y).predict_logits(test.X)
        for gradient_of, params in [("default", {}), ("margin", {"gradient_of": "margin"}),
                                    ("top_logit", {"gradient_of": "top_logit"})]}
    np.testing.assert_array_equal(fits["default"], fits["margin"])
    assert not np.array_equal(fits["default"], fits["top_logit"])


def test_clone_pickle_and_the_inspection_tools(lms5, diverse):
    _, test = lms5
    assert clone(diverse).get_params()["strength"] == diverse.strength
    restored = pickle.loads(pickle.dumps(diverse))
    np.testing.assert_array_equal(restored.predict_logits(test.X),
                                  diverse.predict_logits(test.X))
    table = randomized_scores(diverse, test.X, test.y, simple_features=test, random_state=0)
    assert set(table.index) == {"standard", "S-randomized", "S^c-randomized"}
    assert table.loc["standard", "accuracy_mean"] == pytest.approx(diverse.score(test.X, test.y))
    uap = UniversalPerturbation(diverse, eps=0.5, n_epochs=1, random_state=0)
    assert uap.fit(test.X, test.y).transform(test.X).shape == test.X.shape


def test_grid_search_over_strength_routes_x_val(lms5):
    data, test = lms5
    with sklearn.config_context(enable_metadata_routing=True):
        model = GradientDiversityClassifier(net(max_epochs=2), random_state=0)
        model.set_fit_request(X_val=True, y_val=True)
        search = GridSearchCV(model, {"strength": [0.0, 10.0]}, cv=2).fit(
            data.X, data.y, X_val=test.X, y_val=test.y)
    assert search.best_estimator_.side_information_ == ("labeled_ood_selection",)
    assert search.best_params_["strength"] in (0.0, 10.0)


def test_apply_to_and_the_registry():
    template = SBNetClassifier(module__width=7)
    model = make_method("gradient-diversity", strength=3.0).apply_to(template)
    assert isinstance(model, GradientDiversityClassifier) and model.strength == 3.0
    assert model.estimator.module__width == 7 and model.estimator is not template


# -- bad input ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, fit_params, error, match",
    [
        ({"n_estimators": 1}, {}, InvalidParameterError, "'n_estimators'"),
        ({"strength": -1.0}, {}, InvalidParameterError, "'strength'"),
        ({"similarity": "l2"}, {}, InvalidParameterError, "'similarity'"),
        ({"gradient_of": "log_probability"}, {}, InvalidParameterError, "'gradient_of'"),
        ({"estimator": StandardScaler()}, {}, InvalidParameterError, "'estimator'"),
        ({"estimator": SBNetClassifier(method=SpectralDecoupling())}, {}, ValueError,
         "without a method"),
        ({}, {"X_val": np.zeros((5, 3)), "y_val": np.zeros(5)}, ValueError,
         r"X_val has samples of shape \(3,\)"),
        ({}, {"X_val": np.zeros((5, 10))}, ValueError, "Give both X_val and y_val"),
    ],
)
def test_bad_input_is_a_clear_error_and_leaves_nothing_fitted(lms5, params, fit_params,
                                                              error, match):
    data, _ = lms5
    model = GradientDiversityClassifier(**{"estimator": net(max_epochs=1), **params})
    with pytest.raises(error, match=match):
        model.fit(data.X, data.y, **fit_params)
    with pytest.raises(sklearn.exceptions.NotFittedError):
        check_is_fitted(model)


def test_one_class_in_y_is_a_clear_error(lms5):
    data, _ = lms5
    model = GradientDiversityClassifier(net(max_epochs=1))
    with pytest.raises(ValueError, match="at least two classes in y; got one class"):
        model.fit(data.X, np.zeros(len(data.X)))
    with pytest.raises(sklearn.exceptions.NotFittedError):
        check_is_fitted(model)


def test_an_interrupt_propagates_and_keeps_the_previous_fit(lms5, diverse, monkeypatch):
    data, test = lms5
    model = pickle.loads(pickle.dumps(diverse))
    before = model.predict_logits(test.X)

    def interrupted(self, net, X, y, y_pred, loss):
        raise KeyboardInterrupt

    monkeypatch.setattr(_GradientDiversity, "adjust_loss", interrupted)
    with pytest.raises(KeyboardInterrupt):
        model.fit(data.X, data.y)
    np.testing.assert_array_equal(model.predict_logits(test.X), before)
    assert len(model.estimators_) == 2
