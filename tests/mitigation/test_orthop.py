"""OrthoPClassifier: each member trained without the input directions the earlier ones used."""

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
from sklearn_sb.mitigation import OrthoPClassifier, SpectralDecoupling, make_method
from sklearn_sb.mitigation._orthop import ProjectedNetwork
from sklearn_sb.utils._param_validation import InvalidParameterError
from sklearn_sb.utils._random import draw_seed

# The benchmark's optimizer (SGD, momentum 0.9, lr 0.05): with it the second
# member learns the slabs of 10,000 rows within 15 epochs (with plain SGD at
# lr 0.1 it needs 30,000 rows and 25 epochs).
NET = dict(module__width=50, max_epochs=15, lr=0.05, optimizer__momentum=0.9, device="cpu")


def net(**params):
    return SBNetClassifier(**{**NET, **params})


@pytest.fixture(scope="module")
def lms5():
    """Rotated LMS-5 in 10 dimensions: training rows and test rows."""
    data = make_lms(10_000, 10, random_state=0, return_X_y=False)
    test = make_lms(2000, 10, rotation=data.rotation, random_state=2, return_X_y=False)
    return data, test


@pytest.fixture(scope="module")
def orthop(lms5):
    data, _ = lms5
    return OrthoPClassifier(net(), random_state=0).fit(data.X, data.y)


def _along(X, directions, scale):
    """X moved along every row of ``directions`` by a random amount per row."""
    rng = np.random.RandomState(0)
    return (X + scale * rng.randn(len(X), len(directions)) @ directions).astype(np.float32)


# -- the defining properties ----------------------------------------------------------


def test_the_first_direction_is_the_linear_coordinate_in_the_unrotated_basis(lms5, orthop):
    data, _ = lms5
    direction = orthop.directions_[0][0] @ data.rotation.T
    assert abs(direction[0]) > 0.99
    assert np.all(np.abs(direction[1:]) < 0.1)


def test_on_unrotated_data_the_first_direction_is_coordinate_0():
    data = make_lms(2000, 10, rotate=False, random_state=0, return_X_y=False)
    model = OrthoPClassifier(net(max_epochs=10), random_state=0).fit(data.X, data.y)
    direction = np.abs(model.directions_[0][0])
    assert list(data.simple_features) == [0]
    assert direction[0] > 0.99 and direction[1:].max() < 0.1


def test_the_later_member_is_invariant_to_the_removed_directions(lms5, orthop):
    _, test = lms5
    first, second = orthop.estimators_
    moved = _along(test.X, orthop.directions_[0], scale=3.0)
    np.testing.assert_allclose(second.predict_logits(moved), second.predict_logits(test.X),
                               atol=1e-4)
    assert np.mean(first.predict(moved) != first.predict(test.X)) > 0.3


def test_the_second_member_uses_the_slabs_only(lms5, orthop):
    _, test = lms5
    first, second = [randomized_scores(m, test.X, test.y, simple_features=test,
                                       random_state=0)["accuracy_mean"]
                     for m in orthop.estimators_]
    assert first["standard"] > 0.99 and first["S-randomized"] < 0.6
    assert second["standard"] > 0.97
    assert second["S-randomized"] == pytest.approx(second["standard"], abs=0.02)
    assert second["S^c-randomized"] < 0.6


def test_the_first_member_is_plain_erm(lms5, orthop):
    data, _ = lms5
    erm = net(random_state=int(draw_seed(0, size=2)[0])).fit(data.X, data.y)
    np.testing.assert_array_equal(orthop.estimators_[0].predict_logits(data.X[:50]),
                                  erm.predict_logits(data.X[:50]))
    assert not isinstance(orthop.estimators_[0].module_, ProjectedNetwork)


def test_later_members_carry_their_projection(lms5, orthop):
    data, test = lms5
    second = orthop.estimators_[1]
    assert isinstance(second.module_, ProjectedNetwork)
    np.testing.assert_allclose(second.module_.directions.numpy(), orthop.directions_[0],
                               atol=1e-6)
    assert len(orthop.directions_) == 1 and orthop.directions_[0].shape == (1, 10)
    # A member is a model of the raw inputs: refitting it alone redoes its training.
    refit = clone(second).fit(data.X, data.y)
    np.testing.assert_array_equal(refit.predict_logits(test.X), second.predict_logits(test.X))


def test_predictions_average_the_members_logits(lms5, orthop):
    _, test = lms5
    mean = np.mean([m.predict_logits(test.X) for m in orthop.estimators_], axis=0)
    np.testing.assert_allclose(orthop.predict_logits(test.X), mean, rtol=1e-6)
    assert orthop.predict_proba(test.X).shape == (len(test.X), 2)


def test_three_members_remove_orthonormal_directions(lms5):
    data, test = lms5
    model = OrthoPClassifier(net(max_epochs=2), n_estimators=3, n_directions=2,
                             random_state=0).fit(data.X[:2000], data.y[:2000])
    assert [d.shape for d in model.directions_] == [(2, 10), (2, 10)]
    removed = np.vstack(model.directions_)
    np.testing.assert_allclose(removed @ removed.T, np.eye(4), atol=1e-10)
    third = model.estimators_[2]
    np.testing.assert_allclose(third.module_.directions.numpy(), removed, atol=1e-6)
    np.testing.assert_allclose(third.predict_logits(_along(test.X, removed, 3.0)),
                               third.predict_logits(test.X), atol=1e-4)


def test_image_shaped_inputs_are_projected_flattened(lms5):
    data, test = lms5
    images = data.X[:2000].reshape(-1, 2, 5)
    model = OrthoPClassifier(net(max_epochs=2), random_state=0).fit(images, data.y[:2000])
    moved = _along(test.X, model.directions_[0], 3.0).reshape(-1, 2, 5)
    second = model.estimators_[1]
    np.testing.assert_allclose(second.predict_logits(moved),
                               second.predict_logits(test.X.reshape(-1, 2, 5)), atol=1e-4)


# -- selection and what is recorded ----------------------------------------------------


def test_side_information_and_selection_are_recorded(lms5, orthop):
    data, test = lms5
    assert orthop.side_information_ == ("none",)
    assert (orthop.selected_, orthop.selection_) == (1, "last member")
    assert orthop.selected_estimator_ is orthop.estimators_[1]
    assert orthop.validation_scores_ is None
    X_val = randomize_block(test.X, test.simple_features, test.rotation,
                            np.random.RandomState(1).permutation(len(test.X)))
    chosen = OrthoPClassifier(net(max_epochs=2), random_state=0).fit(
        data.X[:2000], data.y[:2000], X_val=X_val, y_val=test.y)
    assert chosen.side_information_ == ("labeled_ood_selection",)
    assert chosen.selection_ == "validation accuracy"
    assert chosen.selected_ == int(np.argmax(chosen.validation_scores_))
    np.testing.assert_allclose(chosen.validation_scores_,
                               [m.score(X_val, test.y) for m in chosen.estimators_])


# -- scikit-learn behaviour -------------------------------------------------------------


def test_same_random_state_same_members(lms5):
    data, test = lms5
    fits = [OrthoPClassifier(net(max_epochs=2), random_state=3).fit(
        data.X[:2000], data.y[:2000]) for _ in range(2)]
    np.testing.assert_array_equal(*[f.predict_logits(test.X) for f in fits])
    np.testing.assert_array_equal(*[f.directions_[0] for f in fits])


def test_clone_pickle_and_the_inspection_tools(lms5, orthop):
    _, test = lms5
    assert clone(orthop).get_params()["n_directions"] == 1
    restored = pickle.loads(pickle.dumps(orthop))
    np.testing.assert_array_equal(restored.predict_logits(test.X),
                                  orthop.predict_logits(test.X))
    table = randomized_scores(orthop, test.X, test.y, simple_features=test, random_state=0)
    assert set(table.index) == {"standard", "S-randomized", "S^c-randomized"}
    uap = UniversalPerturbation(orthop, eps=0.5, n_epochs=1, random_state=0)
    assert uap.fit(test.X, test.y).transform(test.X).shape == test.X.shape


def test_a_perturbation_of_the_later_member_is_differentiated_through_its_projection(
    lms5, orthop
):
    _, test = lms5
    second = orthop.estimators_[1]
    uap = UniversalPerturbation(second, eps=0.5, n_epochs=1, random_state=0)
    delta = uap.fit(test.X, test.y).transform(test.X[:1]) - test.X[:1]
    # Its gradient has no component along the removed direction.
    assert abs(delta @ orthop.directions_[0][0]).item() < 1e-4 * np.linalg.norm(delta)
    assert np.linalg.norm(delta) > 0.1


def test_grid_search_and_pipeline_route_x_val(lms5):
    data, test = lms5
    with sklearn.config_context(enable_metadata_routing=True):
        model = OrthoPClassifier(net(max_epochs=2), random_state=0)
        model.set_fit_request(X_val=True, y_val=True)
        # X_val shorter than X, so that cross-validation does not cut it into folds.
        X_val, y_val = test.X[:1000], test.y[:1000]
        search = GridSearchCV(model, {"n_directions": [1, 2]}, cv=2).fit(
            data.X[:2000], data.y[:2000], X_val=X_val, y_val=y_val)
        assert search.best_estimator_.side_information_ == ("labeled_ood_selection",)
        assert search.best_params_["n_directions"] in (1, 2)
        pipeline = Pipeline([("scale", StandardScaler()), ("orthop", clone(model))])
        pipeline.fit(data.X[:2000], data.y[:2000], X_val=X_val, y_val=y_val)
        assert pipeline.score(test.X, test.y) > 0.8


def test_apply_to_and_the_registry():
    template = SBNetClassifier(module__width=7)
    model = make_method("orthop", n_directions=2).apply_to(template)
    assert isinstance(model, OrthoPClassifier) and model.n_directions == 2
    assert model.estimator.module__width == 7 and model.estimator is not template


# -- bad input ----------------------------------------------------------------------


CNN = SBNetClassifier("small_cnn", module__input_shape=(1, 2, 5), module__channels=(2, 2, 2),
                      max_epochs=1, device="cpu")


@pytest.mark.parametrize(
    "params, fit_params, error, match",
    [
        ({"n_estimators": 1}, {}, InvalidParameterError, "'n_estimators'"),
        ({"n_directions": 0}, {}, InvalidParameterError, "'n_directions'"),
        ({"n_directions": 10}, {}, ValueError,
         "n_directions=10 .* 10 in all, from inputs of 10 feature\\(s\\)"),
        ({"n_estimators": 4, "n_directions": 4}, {}, ValueError,
         "n_estimators - 1 = 3 members, 12 in all.*Lower n_directions or n_estimators"),
        ({"estimator": net(module__width=2, max_epochs=1), "n_directions": 3}, {},
         ValueError, "only 2 units: lower n_directions or widen"),
        ({"estimator": CNN}, {}, ValueError, "must be a torch.nn.Linear .* first Conv2d"),
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
    model = OrthoPClassifier(**{"estimator": net(max_epochs=1), **params})
    X = data.X[:200]
    if params.get("estimator") is CNN:
        X = X.reshape(-1, 1, 2, 5)
    with pytest.raises(error, match=match):
        model.fit(X, data.y[:200], **fit_params)
    with pytest.raises(sklearn.exceptions.NotFittedError):
        check_is_fitted(model)


def test_one_class_in_y_is_a_clear_error(lms5):
    data, _ = lms5
    with pytest.raises(ValueError, match="at least two classes in y; got one class"):
        OrthoPClassifier(net()).fit(data.X, np.zeros(len(data.X)))


def test_the_network_check_leaves_the_torch_generator_alone(lms5):
    data, _ = lms5
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    OrthoPClassifier(net(max_epochs=1), random_state=0).fit(data.X[:200], data.y[:200])
    np.testing.assert_array_equal(torch.rand(3), expected)


def test_an_interrupt_propagates_and_keeps_the_previous_fit(lms5, orthop, monkeypatch):
    data, test = lms5
    model = pickle.loads(pickle.dumps(orthop))
    before = model.predict_logits(test.X)

    def interrupted(self, x):
        raise KeyboardInterrupt

    monkeypatch.setattr(ProjectedNetwork, "forward", interrupted)
    with pytest.raises(KeyboardInterrupt):
        model.fit(data.X[:2000], data.y[:2000])
    monkeypatch.undo()
    np.testing.assert_array_equal(model.predict_logits(test.X), before)
    assert len(model.estimators_) == 2 and model.directions_[0].shape == (1, 10)
