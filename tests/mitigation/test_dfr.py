"""DFRClassifier: the last layer of a network retrained on a labeled decorrelated set."""

import pickle
import warnings

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import GridSearchCV
from sklearn.utils.validation import check_is_fitted

from sklearn_sb import SBNetClassifier, UniversalPerturbation, make_lms, randomized_scores
from sklearn_sb.inspection import randomize_block
from sklearn_sb.mitigation import DFRClassifier
from sklearn_sb.mitigation import _dfr

# -- data and networks ------------------------------------------------------------


def _decorrelated(data, n, random_state):
    """``n`` fresh rows of ``data``'s distribution with the simple block S permuted."""
    X, y = make_lms(n, data.X.shape[1], rotation=data.rotation, random_state=random_state)
    permutation = np.random.RandomState(random_state).permutation(n)
    return randomize_block(X, data.simple_features, data.rotation, permutation), y


def _s_randomized_accuracy(model, X, y, data):
    table = randomized_scores(model, X, y, simple_features=data, metrics="accuracy",
                              random_state=0)
    return table["accuracy_mean"]


# The probe's recipe: an FCN of width 100 trained 60 epochs at lr 0.5 on 2,000
# rows of LMS-5 in 10 dimensions (under a second on one CPU core).
PROBE_NET = dict(module__width=100, max_epochs=60, lr=0.5, batch_size=100, device="cpu")


def _probe(noise, seed):
    """The network, its plain and DFR S-randomized accuracies on clean test rows."""
    data = make_lms(2000, 10, noise=noise, random_state=seed, return_X_y=False)
    X_test, y_test = make_lms(1000, 10, rotation=data.rotation, random_state=seed + 100)
    X_val, y_val = _decorrelated(data, 1000, seed + 200)
    net = SBNetClassifier(**PROBE_NET, random_state=seed).fit(data.X, data.y)
    dfr = DFRClassifier(FrozenEstimator(net), n_refits=5, random_state=0).fit(
        data.X, data.y, X_val=X_val, y_val=y_val
    )
    return (net, _s_randomized_accuracy(net, X_test, y_test, data),
            _s_randomized_accuracy(dfr, X_test, y_test, data))


# The recipe's tests: LMS-5 in 6 dimensions, a small network frozen once.
SMALL_NET = dict(module__width=16, max_epochs=5, lr=0.5, batch_size=64, device="cpu",
                 random_state=0)


@pytest.fixture(scope="module")
def small():
    data = make_lms(600, 6, random_state=0, return_X_y=False)
    X_val, y_val = _decorrelated(data, 400, 1)
    net = SBNetClassifier(**SMALL_NET).fit(data.X, data.y)
    return data, X_val, y_val, net


def _fitted(small, **params):
    data, X_val, y_val, net = small
    params = {"n_refits": 3, "random_state": 0, **params}
    return DFRClassifier(FrozenEstimator(net), **params).fit(
        data.X, data.y, X_val=X_val, y_val=y_val
    )


def _weights(net):
    return [p.detach().numpy().copy() for p in net.module_.parameters()]


# -- the defining property: a probe of the penultimate layer --------------------------


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dfr_recovers_s_complement_that_the_penultimate_layer_carries(seed):
    # Noisy LMS: on 30 % of the training rows the linear coordinate S is
    # label-independent noise inside the margin, so the network can only fit
    # those rows with the slabs and its hidden units learn them. On the other
    # 70 % S has a wide margin and dominates the logit: with S permuted the
    # network mostly follows the random S (S-randomized accuracy ~0.6). The
    # slabs are nonetheless linearly readable from the penultimate layer, so
    # a last layer refitted on rows where S carries no label (S permuted)
    # weighs the slab units and S-randomized accuracy goes to ~0.97.
    # Measured, seeds 0-5: network 0.59-0.62, DFR 0.96-0.99.
    _, net_accuracy, dfr_accuracy = _probe(noise=0.3, seed=seed)
    assert net_accuracy["standard"] >= 0.99
    assert net_accuracy["S-randomized"] <= 0.7
    assert dfr_accuracy["S-randomized"] >= 0.9
    assert dfr_accuracy["S-randomized"] - net_accuracy["S-randomized"] >= 0.25
    # Refitted where S is uninformative, the new last layer drops S.
    assert dfr_accuracy["S^c-randomized"] <= 0.6


@pytest.mark.parametrize("seed", [0, 1])
def test_dfr_cannot_recover_slabs_that_plain_erm_never_learned(seed):
    # On clean LMS-5 the linear coordinate alone fits every training row: the
    # network has no reason to learn the slabs, and no linear last layer reads
    # them from its penultimate layer (a probe, not a fix).
    # Measured, seeds 0-5: network 0.49-0.52, DFR 0.50-0.56 (and its standard
    # accuracy 0.46-0.65: fitted where S is uninformative, it has nothing left).
    _, net_accuracy, dfr_accuracy = _probe(noise=0.0, seed=seed)
    assert net_accuracy["S-randomized"] <= 0.55
    assert dfr_accuracy["S-randomized"] <= 0.65


# -- the recipe -------------------------------------------------------------------


def test_chosen_C_is_the_grid_value_with_the_best_tuning_score(small):
    grid = (1.0, 0.3, 0.1, 0.01)
    dfr = _fitted(small, C=grid)
    assert sorted(dfr.tuning_scores_) == sorted(grid)
    assert all(0.0 <= score <= 1.0 for score in dfr.tuning_scores_.values())
    assert dfr.C_ in grid
    assert dfr.tuning_scores_[dfr.C_] == max(dfr.tuning_scores_.values())
    assert DFRClassifier().C == (1.0, 0.7, 0.3, 0.1, 0.07, 0.03, 0.01)
    assert DFRClassifier().n_refits == 20


class _FitSpy:
    """Wraps ``_dfr._l1_logistic``: records every fit's C, labels and result."""

    def __init__(self, monkeypatch):
        self.calls = []
        original = _dfr._l1_logistic

        def spy(C, X, labels, n_classes, start=None):
            result = original(C, X, labels, n_classes, start)
            self.calls.append((C, labels.copy(), result))
            return result

        monkeypatch.setattr(_dfr, "_l1_logistic", spy)


def test_coefficients_are_the_mean_of_n_refits_balanced_fits_at_the_chosen_C(small,
                                                                           monkeypatch):
    data, X_val, y_val, net = small
    # Two thirds of class 1 only: the balanced subsets differ.
    keep = (y_val == 0) | (np.arange(len(y_val)) % 3 > 0)
    X_val, y_val = X_val[keep], y_val[keep]
    spy = _FitSpy(monkeypatch)
    dfr = DFRClassifier(FrozenEstimator(net), C=(1.0, 0.1), n_refits=3, random_state=0).fit(
        data.X, data.y, X_val=X_val, y_val=y_val)
    tuning, refits = spy.calls[:2], spy.calls[2:]
    assert [C for C, _, _ in tuning] == [1.0, 0.1]
    assert len(refits) == 3 and all(C == dfr.C_ for C, _, _ in refits)
    # Balanced by class (the default groups): equal counts, the smaller class's size.
    for _, labels, _ in refits:
        assert np.bincount(labels).tolist() == [np.bincount(y_val).min()] * 2
    np.testing.assert_allclose(dfr.coef_, np.mean([r[0] for _, _, r in refits], axis=0))
    np.testing.assert_allclose(dfr.intercept_, np.mean([r[1] for _, _, r in refits], axis=0))
    # The refits differ (other balanced subsets), so their number matters.
    assert not np.allclose(refits[0][2][0], refits[1][2][0])


def test_l1_penalty_zeroes_most_coefficients_for_a_tiny_C(small):
    sparse = _fitted(small, C=(1e-3,))
    dense = _fitted(small, C=(1.0,))
    assert sparse.C_ == 1e-3
    assert sparse.coef_.shape == dense.coef_.shape == (1, 16)
    assert np.mean(sparse.coef_ == 0) >= 0.8
    # An l2 penalty would leave no exact zero; l1 at C=1 keeps more weights.
    assert np.count_nonzero(dense.coef_) > np.count_nonzero(sparse.coef_)


def test_unconverged_fits_are_reported_once_per_fit(small, monkeypatch):
    solve = _dfr.l1_logistic

    def out_of_iterations(*args, **kwargs):
        coef, intercept, _ = solve(*args, **kwargs)
        return coef, intercept, False

    monkeypatch.setattr(_dfr, "l1_logistic", out_of_iterations)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _fitted(small, C=(1.0, 0.1), n_refits=3)
    messages = [str(w.message) for w in caught if w.category is ConvergenceWarning]
    assert messages == ["5 l1 logistic regression fit(s) of DFR ran out of iterations before "
                        "converging."]


def test_given_groups_balance_the_subsets(small, monkeypatch):
    data, X_val, y_val, net = small
    # Four groups of uneven sizes: the class crossed with a first/last split.
    groups = 2 * y_val + (np.arange(len(y_val)) < 100)
    smallest = np.bincount(groups).min()
    assert smallest < np.bincount(y_val).min()
    spy = _FitSpy(monkeypatch)
    dfr = DFRClassifier(FrozenEstimator(net), C=(1.0,), n_refits=2, random_state=0).fit(
        data.X, data.y, X_val=X_val, y_val=y_val, groups=groups
    )
    check_is_fitted(dfr)
    # Every refit sees `smallest` rows of each of the four groups.
    assert [len(labels) for _, labels, _ in spy.calls[1:]] == [4 * smallest] * 2


def test_groups_of_the_wrong_length_are_a_clear_error(small):
    data, X_val, y_val, net = small
    dfr = DFRClassifier(FrozenEstimator(net), n_refits=2, random_state=0)
    with pytest.raises(ValueError, match="groups must give one value per row of X_val"):
        dfr.fit(data.X, data.y, X_val=X_val, y_val=y_val, groups=y_val[:-1])
    with pytest.raises(NotFittedError):
        check_is_fitted(dfr)


# -- the retrained network ----------------------------------------------------------


def test_logits_are_the_retrained_modules_outputs_and_decide_the_prediction(small):
    data, X_val, _, _ = small
    dfr = _fitted(small)
    with torch.no_grad():
        module_logits = dfr.estimators_[0].module_(torch.as_tensor(X_val, dtype=torch.float32)).numpy()
    logits = dfr.predict_logits(X_val)
    np.testing.assert_allclose(logits, module_logits, rtol=1e-6, atol=1e-6)
    assert logits.shape == (len(X_val), 2) and logits.dtype == np.float32
    np.testing.assert_array_equal(dfr.predict(X_val), dfr.classes_[logits.argmax(axis=1)])
    decision = dfr.decision_function(X_val)
    np.testing.assert_allclose(decision, logits[:, 1] - logits[:, 0], rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(dfr.predict(X_val), dfr.classes_[(decision > 0).astype(int)])
    # The binary head is (0, regression): its second logit is the decision.
    np.testing.assert_array_equal(logits[:, 0], 0.0)


def test_retrained_network_works_with_universal_perturbations_and_randomized_scores(small):
    data, X_val, y_val, _ = small
    dfr = _fitted(small)
    uap = UniversalPerturbation(FrozenEstimator(dfr), eps=1.0, n_epochs=2,
                                random_state=0).fit(X_val, y_val)
    assert uap.perturbation_.shape == (data.X.shape[1],)
    assert np.linalg.norm(uap.perturbation_) > 0
    assert not np.allclose(uap.transform(X_val), X_val)
    table = randomized_scores(dfr, data.X, data.y, simple_features=data, random_state=0)
    assert list(table.index) == ["standard", "S-randomized", "S^c-randomized"]
    assert np.isfinite(table.to_numpy()).all()


# -- side information -------------------------------------------------------------------


def test_without_X_val_the_last_layer_is_refitted_on_the_training_rows(small):
    data, _, _, net = small
    plain = DFRClassifier(FrozenEstimator(net), n_refits=3, random_state=0).fit(data.X, data.y)
    assert plain.side_information_ == ("none",)
    decorrelated = _fitted(small, n_refits=3)
    assert decorrelated.side_information_ == ("labeled_decorrelated_fit",)
    same = DFRClassifier(FrozenEstimator(net), n_refits=3, random_state=0).fit(
        data.X, data.y, X_val=data.X, y_val=data.y
    )
    np.testing.assert_array_equal(plain.coef_, same.coef_)
    np.testing.assert_array_equal(plain.intercept_, same.intercept_)
    assert not np.array_equal(plain.coef_, decorrelated.coef_)


# -- the network --------------------------------------------------------------------


def test_a_frozen_network_is_kept_as_it_is(small):
    data, X_val, y_val, net = small
    before = _weights(net)
    dfr = DFRClassifier(FrozenEstimator(net), n_refits=2, random_state=0).fit(
        data.X, data.y, X_val=X_val, y_val=y_val
    )
    assert dfr.estimator_ is net
    for a, b in zip(before, _weights(net), strict=True):
        np.testing.assert_array_equal(a, b)
    assert dfr.estimators_[0].module_[0] is not net.module_  # the retrained module is a copy


def test_an_unfitted_template_is_fitted_on_X(small):
    data, X_val, y_val, _ = small
    template = SBNetClassifier(**SMALL_NET)
    dfr = DFRClassifier(template, n_refits=2, random_state=0).fit(
        data.X, data.y, X_val=X_val, y_val=y_val
    )
    assert dfr.estimator_ is not template
    with pytest.raises(NotFittedError):
        check_is_fitted(template)
    # Fitted as the template is, with the seed DFR drew for it.
    expected = clone(template).set_params(random_state=dfr.estimator_.random_state)
    expected.fit(data.X, data.y)
    np.testing.assert_array_equal(dfr.estimator_.predict_logits(X_val),
                                  expected.predict_logits(X_val))


# -- an estimator -------------------------------------------------------------------


def test_clone_and_pickle_round_trip(small):
    _, X_val, _, _ = small
    dfr = _fitted(small)
    copy_ = clone(dfr)
    assert copy_.get_params()["n_refits"] == 3
    with pytest.raises(NotFittedError):
        check_is_fitted(copy_)
    loaded = pickle.loads(pickle.dumps(dfr))
    np.testing.assert_array_equal(loaded.predict_logits(X_val), dfr.predict_logits(X_val))
    np.testing.assert_array_equal(loaded.predict(X_val), dfr.predict(X_val))
    assert loaded.C_ == dfr.C_ and loaded.side_information_ == dfr.side_information_


def test_seeded_fit_is_deterministic(small):
    _, X_val, _, _ = small
    first, second = _fitted(small, random_state=3), _fitted(small, random_state=3)
    np.testing.assert_array_equal(first.coef_, second.coef_)
    assert first.tuning_scores_ == second.tuning_scores_
    np.testing.assert_array_equal(first.predict_logits(X_val), second.predict_logits(X_val))
    other = _fitted(small, random_state=4)
    assert not np.array_equal(first.coef_, other.coef_)


def test_grid_search_passes_the_decorrelated_set_as_fit_params(small):
    data, X_val, y_val, net = small
    assert len(X_val) != len(data.X)  # not split per fold
    grid = GridSearchCV(DFRClassifier(FrozenEstimator(net), C=(1.0, 0.1), random_state=0),
                        {"n_refits": [1, 3]}, cv=2)
    grid.fit(data.X, data.y, X_val=X_val, y_val=y_val)
    assert [p["n_refits"] for p in grid.cv_results_["params"]] == [1, 3]
    assert grid.best_estimator_.side_information_ == ("labeled_decorrelated_fit",)
    # Cloning a FrozenEstimator keeps the very network: it is shared, never refitted.
    assert grid.best_estimator_.estimator_ is net


def test_grid_search_over_the_networks_options(small):
    data, X_val, y_val, _ = small
    dfr = DFRClassifier(SBNetClassifier(**{**SMALL_NET, "max_epochs": 2}), C=(1.0,),
                        n_refits=1, random_state=0)
    grid = GridSearchCV(dfr, {"estimator__lr": [0.1, 0.5]}, cv=2)
    grid.fit(data.X, data.y, X_val=X_val, y_val=y_val)
    assert grid.best_estimator_.estimator_.lr == grid.best_params_["estimator__lr"]


def test_grid_search_still_works_with_a_decorrelated_set_as_long_as_X(small):
    # scikit-learn splits a fit parameter of len(X) rows per fold: each fit
    # then sees the decorrelated rows of its training fold, which still works.
    data, _, _, net = small
    X_val, y_val = _decorrelated(data, len(data.X), 5)
    grid = GridSearchCV(DFRClassifier(FrozenEstimator(net), C=(1.0,), random_state=0),
                        {"n_refits": [1, 2]}, cv=2)
    grid.fit(data.X, data.y, X_val=X_val, y_val=y_val)
    assert np.isfinite(grid.cv_results_["mean_test_score"]).all()
    assert grid.best_estimator_.side_information_ == ("labeled_decorrelated_fit",)


# -- bad input ----------------------------------------------------------------------


class _LinearThenSigmoid(torch.nn.Module):
    """An MLP whose last Linear layer is followed by a sigmoid."""

    def __init__(self, n_features=6, n_classes=2, width=16):
        super().__init__()
        self.hidden = torch.nn.Linear(n_features, width)
        self.out = torch.nn.Linear(width, n_classes)

    def forward(self, X):
        return torch.sigmoid(self.out(torch.relu(self.hidden(X))))


def _bad_fits(small):
    data, X_val, y_val, net = small
    frozen = FrozenEstimator(net)
    sigmoid_net = SBNetClassifier(**{**SMALL_NET, "module": _LinearThenSigmoid})
    return {
        "X_val of the wrong width": (
            DFRClassifier(frozen), dict(X_val=X_val[:, :5], y_val=y_val), "X_val"),
        "X_val without y_val": (
            DFRClassifier(frozen), dict(X_val=X_val), "Give both X_val and y_val"),
        "y_val without X_val": (
            DFRClassifier(frozen), dict(y_val=y_val), "Give both X_val and y_val"),
        "y_val of one class": (
            DFRClassifier(frozen), dict(X_val=X_val, y_val=np.zeros_like(y_val)),
            "y_val .*at least two classes"),
        "empty C": (
            DFRClassifier(frozen, C=()), dict(X_val=X_val, y_val=y_val), "C must hold values"),
        "zero C": (
            DFRClassifier(frozen, C=(0,)), dict(X_val=X_val, y_val=y_val),
            "C must hold values above 0"),
        "infinite C": (
            DFRClassifier(frozen, C=(1.0, np.inf)), dict(X_val=X_val, y_val=y_val),
            "at most 1e\\+10"),
        "C of 1e300": (
            DFRClassifier(frozen, C=(1e300,)), dict(X_val=X_val, y_val=y_val),
            "loss it scales overflows"),
        "a step after the last Linear layer": (
            DFRClassifier(sigmoid_net), dict(X_val=X_val, y_val=y_val),
            "last step.*_LinearThenSigmoid computes something after"),
    }


BAD_FITS = [
    "X_val of the wrong width", "X_val without y_val", "y_val without X_val",
    "y_val of one class", "empty C", "zero C", "infinite C", "C of 1e300",
    "a step after the last Linear layer",
]


@pytest.mark.parametrize("case", BAD_FITS)
def test_bad_input_is_a_clear_error_and_leaves_the_estimator_unfitted(small, case):
    data = small[0]
    cases = _bad_fits(small)
    assert sorted(cases) == sorted(BAD_FITS)
    dfr, fit_params, message = cases[case]
    with pytest.raises(ValueError, match=message):
        dfr.fit(data.X, data.y, **fit_params)
    with pytest.raises(NotFittedError):
        check_is_fitted(dfr)


def test_a_failed_refit_leaves_a_fitted_estimator_as_it_was(small):
    data, X_val, y_val, _ = small
    dfr = _fitted(small)
    coef, logits = dfr.coef_.copy(), dfr.predict_logits(X_val)
    with pytest.raises(ValueError, match="X_val"):
        dfr.fit(data.X, data.y, X_val=X_val[:, :5], y_val=y_val)
    np.testing.assert_array_equal(dfr.coef_, coef)
    np.testing.assert_array_equal(dfr.predict_logits(X_val), logits)
    assert dfr.side_information_ == ("labeled_decorrelated_fit",)


def test_a_single_logit_network_is_retrained_or_rejected_with_a_clear_error(small):
    data, X_val, y_val, _ = small
    net = SBNetClassifier("irm_mlp", module__width=16, max_epochs=2, device="cpu",
                          random_state=0).fit(data.X, data.y)
    dfr = DFRClassifier(FrozenEstimator(net), n_refits=2, random_state=0)
    try:
        dfr.fit(data.X, data.y, X_val=X_val, y_val=y_val)
    except ValueError:
        with pytest.raises(NotFittedError):
            check_is_fitted(dfr)
    else:
        assert dfr.predict_logits(X_val).shape == (len(X_val), 2)


def test_the_network_dfr_fits_is_seeded_from_its_random_state(small):
    data, X_val, y_val, _ = small
    # The template has no random_state of its own: DFR's decides.
    template = SBNetClassifier(module__width=16, max_epochs=3, device="cpu")
    fits = [DFRClassifier(template, n_refits=2, random_state=seed).fit(
        data.X, data.y, X_val=X_val, y_val=y_val) for seed in (0, 0, 1)]
    first, again, other = (dfr.predict_logits(data.X) for dfr in fits)
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)
    assert template.random_state is None


def _frozen_on(X, y):
    return FrozenEstimator(SBNetClassifier(**SMALL_NET).fit(X, y))


@pytest.mark.parametrize("case, match", [
    ("other features", r"fitted on 7 features, and X has 6"),
    ("string labels for an integer network", r"classes \[0, 1\], and y has \['a', 'b'\]"),
    ("two classes for a three-class network", r"classes \[0, 1, 2\], and y has \[0, 1\]"),
])
def test_a_frozen_network_fitted_on_other_data_is_refused(small, case, match):
    data, X_val, y_val, net = small
    frozen = {
        "other features": lambda: _frozen_on(make_lms(200, 7, random_state=0)[0], data.y[:200]),
        "string labels for an integer network": lambda: FrozenEstimator(net),
        "two classes for a three-class network": lambda: _frozen_on(
            data.X, np.arange(len(data.y)) % 3),
    }[case]()
    y = np.where(data.y == 1, "a", "b") if case.startswith("string") else data.y
    dfr = DFRClassifier(frozen, n_refits=1, random_state=0)
    with pytest.raises(ValueError, match=match):
        dfr.fit(data.X, y)
    assert not hasattr(dfr, "coef_")


def test_groups_of_nan_are_refused(small):
    data, X_val, y_val, net = small
    with pytest.raises(ValueError, match="groups holds NaN"):
        DFRClassifier(FrozenEstimator(net), n_refits=1).fit(
            data.X, data.y, X_val=X_val, y_val=y_val, groups=np.full(len(y_val), np.nan))
