"""Hostile input to the public API ends in a clear exception that names the problem.

Each case is a call that must fail with a given exception type and a
message matching a pattern: non-finite values, wrong shapes, wrong label
types, three classes given to binary tools, bounds that do not hold, and
unfitted models. Every public function and estimator that takes data is
tried (``test_every_data_taking_public_name_is_tried`` checks the list).
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import DataConversionWarning, NotFittedError
from sklearn.linear_model import LogisticRegression

import sklearn_sb
from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.adversarial import (
    PerturbationDisplay,
    UniversalPerturbation,
    make_robust_accuracy_scorer,
    pgd_perturb,
    robust_accuracy_score,
)
from sklearn_sb.datasets import (
    DatasetSamplesDisplay,
    make_colored_mnist,
    make_decorrelated,
    make_dominoes,
)
from sklearn_sb.experiments import (
    bootstrap_interval,
    hyperparameter_draws,
    paired_difference,
    seed_statistics,
)
from sklearn_sb.inspection import (
    LogitHistogramDisplay,
    ProjectedBoundaryDisplay,
    RandomizedFeatureScorer,
    RandomizedScoreCurveDisplay,
    coordinatewise_randomized_scores,
    expected_calibration_error,
    group_balanced_accuracy,
    group_scores,
    in_distribution_scores,
    make_conflict_data,
    make_group_scorer,
    positive_logits,
    randomize_block,
    randomized_logits,
    randomized_scores,
    s_removed_control,
    worst_group_accuracy,
)
from sklearn_sb.mitigation import (
    DBATClassifier,
    DFRClassifier,
    DivDisClassifier,
    GradientDiversityClassifier,
    GroupDROClassifier,
    JTTClassifier,
    LogitEnsembleClassifier,
    OrthoPClassifier,
    USEFULClassifier,
)
from sklearn_sb.utils._param_validation import InvalidParameterError

from ._discovery import all_estimators, all_functions

N_FEATURES = 6
_DATA = make_lms(400, N_FEATURES, random_state=0, return_X_y=False)
X, Y = _DATA.X, _DATA.y
R = _DATA.rotation


def _with(value, where=(0, 0), X=X):
    bad = X.copy()
    bad[where] = value
    return bad


NAN_X, INF_X = _with(np.nan), _with(np.inf)
NAN_ROTATION = _with(np.nan, X=R)
X3 = np.vstack([X, X[:50] + 3.0])
Y3 = np.concatenate([Y, np.full(50, 2)])


def _net(**params):
    return SBNetClassifier(**{"module__width": 8, "max_epochs": 2, "random_state": 0,
                              "device": "cpu", **params})


NET = _net().fit(X, Y)
NET3 = _net().fit(X3, Y3)
UNFITTED = _net()
UAP = UniversalPerturbation(NET, eps=0.5, n_epochs=1, random_state=0).fit(X, Y)
STRING_Y = np.where(Y == 1, "pos", "neg")

NON_FINITE = "NaN|infinity"


# (name, call, exception, message)
CASES = [
    # -- non-finite values ----------------------------------------------------
    *[(f"{where} {label}", call, ValueError, NON_FINITE)
      for label, bad in [("NaN", NAN_X), ("inf", INF_X)]
      for where, call in [
          ("SBNetClassifier.fit", lambda bad=bad: _net().fit(bad, Y)),
          ("SBNetClassifier.predict", lambda bad=bad: NET.predict(bad)),
          ("LogitEnsembleClassifier.fit", lambda bad=bad: LogitEnsembleClassifier(
              _net(), n_estimators=2).fit(bad, Y)),
          ("DBATClassifier.fit X", lambda bad=bad: DBATClassifier(_net()).fit(
              bad, Y, X_ood=X)),
          ("DBATClassifier.fit X_ood", lambda bad=bad: DBATClassifier(_net()).fit(
              X, Y, X_ood=bad)),
          ("DFRClassifier.fit X_val", lambda bad=bad: DFRClassifier(_net()).fit(
              X, Y, X_val=bad, y_val=Y)),
          ("GradientDiversityClassifier.fit X", lambda bad=bad: GradientDiversityClassifier(
              _net()).fit(bad, Y)),
          ("OrthoPClassifier.fit X_val", lambda bad=bad: OrthoPClassifier(_net()).fit(
              X, Y, X_val=bad, y_val=Y)),
          ("DivDisClassifier.fit X_ood", lambda bad=bad: DivDisClassifier(_net()).fit(
              X, Y, X_ood=bad)),
          ("GroupDROClassifier.fit X", lambda bad=bad: GroupDROClassifier(_net()).fit(bad, Y)),
          ("JTTClassifier.fit X", lambda bad=bad: JTTClassifier(_net()).fit(bad, Y)),
          ("USEFULClassifier.fit X", lambda bad=bad: USEFULClassifier(_net()).fit(bad, Y)),
          ("RandomizedFeatureScorer.fit", lambda bad=bad: RandomizedFeatureScorer([0]).fit(bad)),
          ("RandomizedFeatureScorer()", lambda bad=bad: RandomizedFeatureScorer(
              [0], rotation=R)(NET, bad, Y)),
          ("randomized_scores", lambda bad=bad: randomized_scores(
              NET, bad, Y, simple_features=_DATA)),
          ("coordinatewise_randomized_scores", lambda bad=bad: coordinatewise_randomized_scores(
              NET, bad, Y, rotation=R)),
          ("randomized_logits", lambda bad=bad: randomized_logits(
              NET, bad, Y, simple_features=_DATA)),
          ("positive_logits", lambda bad=bad: positive_logits(NET, bad)),
          ("make_conflict_data", lambda bad=bad: make_conflict_data(
              bad, Y, simple_features=_DATA)),
          ("in_distribution_scores", lambda bad=bad: in_distribution_scores(NET, bad)),
          ("s_removed_control (training rows)", lambda bad=bad: s_removed_control(
              UNFITTED, bad, Y, X, Y, simple_features=_DATA)),
          ("s_removed_control (test rows)", lambda bad=bad: s_removed_control(
              UNFITTED, X, Y, bad, Y, simple_features=_DATA)),
          ("pgd_perturb", lambda bad=bad: pgd_perturb(NET, bad, Y, eps=0.1)),
          ("robust_accuracy_score", lambda bad=bad: robust_accuracy_score(NET, bad, Y, eps=0.1)),
          ("robust accuracy scorer", lambda bad=bad: make_robust_accuracy_scorer(eps=0.1)(
              NET, bad, Y)),
          ("UniversalPerturbation.fit", lambda bad=bad: UniversalPerturbation(
              NET, n_epochs=1).fit(bad, Y)),
          ("UniversalPerturbation.transform", lambda bad=bad: UAP.transform(bad)),
          ("ProjectedBoundaryDisplay", lambda bad=bad: ProjectedBoundaryDisplay.from_estimator(
              NET, bad, Y, simple_features=_DATA)),
          ("LogitHistogramDisplay", lambda bad=bad: LogitHistogramDisplay.from_estimator(
              NET, bad, Y, simple_features=_DATA)),
      ]],
    *[(f"{where} with a NaN rotation", call, ValueError, NON_FINITE)
      for where, call in [
          ("randomized_scores", lambda: randomized_scores(
              NET, X, Y, simple_features=[0], rotation=NAN_ROTATION)),
          ("RandomizedFeatureScorer.fit", lambda: RandomizedFeatureScorer(
              [0], rotation=NAN_ROTATION).fit(X)),
          ("randomize_block", lambda: randomize_block(X, [0], NAN_ROTATION, np.arange(len(X)))),
          ("budget_fraction", lambda: UAP.budget_fraction([0], NAN_ROTATION)),
          ("coordinatewise_randomized_scores", lambda: coordinatewise_randomized_scores(
              NET, X, Y, rotation=NAN_ROTATION)),
          ("make_conflict_data", lambda: make_conflict_data(
              X, Y, simple_features=[0], rotation=NAN_ROTATION)),
      ]],
    # -- wrong shapes ----------------------------------------------------------
    ("fit on 1-d X", lambda: _net().fit(X[:, 0], Y), ValueError, "2D|Reshape"),
    # -- groups, calibration and seed statistics --------------------------------
    ("worst_group_accuracy with NaN groups", lambda: worst_group_accuracy(
        Y, Y, groups=np.where(Y == 1, np.nan, 0.0)), ValueError, "no label \\(NaN or None\\)"),
    ("group_balanced_accuracy with groups of another length", lambda: group_balanced_accuracy(
        Y, Y, groups=Y[:-1]), ValueError, "one entry per row"),
    ("group_scores with groups of another length", lambda: group_scores(
        NET, X, Y, Y[:-1]), ValueError, "one entry per row"),
    ("expected_calibration_error with logits", lambda: expected_calibration_error(
        Y, NET.predict_logits(X) * 100), ValueError, "probabilities in \\[0, 1\\]"),
    ("make_group_scorer without groups", lambda: make_group_scorer("worst_group_accuracy")(
        NET, X, Y), ValueError, "needs the groups"),
    ("make_group_scorer of an unknown metric", lambda: make_group_scorer("best_group"),
     InvalidParameterError, "metric"),
    ("seed_statistics with a NaN score", lambda: seed_statistics([0.5, np.nan]), ValueError,
     "NaN or infinite"),
    ("bootstrap_interval of a matrix", lambda: bootstrap_interval(np.ones((2, 2))),
     ValueError, "1-d"),
    ("paired_difference of other seeds", lambda: paired_difference([0.5, 0.6], [0.5]),
     ValueError, "same seeds"),
    ("hyperparameter_draws of zero settings", lambda: hyperparameter_draws(_net(), 0),
     InvalidParameterError, "n_draws"),
    ("predict with other features", lambda: NET.predict(X[:, :3]), ValueError,
     "3 features, but SBNetClassifier is expecting 6"),
    ("fit with y of another length", lambda: _net().fit(X, Y[:-1]), ValueError,
     "inconsistent numbers of samples"),
    ("scorer with y of another length", lambda: RandomizedFeatureScorer(
        [0], metric="accuracy")(NET, X, Y[:-1]), ValueError, "inconsistent numbers of samples"),
    ("randomized_scores with y of another length", lambda: randomized_scores(
        NET, X, Y[:-1], simple_features=_DATA), ValueError, "inconsistent numbers of samples"),
    ("s_removed_control with y_train of another length", lambda: s_removed_control(
        UNFITTED, X, Y[:-1], X, Y, simple_features=_DATA), ValueError,
     "inconsistent numbers of samples"),
    ("s_removed_control with test rows of other features", lambda: s_removed_control(
        UNFITTED, X, Y, X[:, :3], Y, simple_features=_DATA), ValueError,
     "X_test has 3 features, but X_train has 6"),
    ("make_colored_mnist with NaN images", lambda: make_colored_mnist(
        np.full((4, 28, 28), np.nan), np.arange(4)), ValueError, NON_FINITE),
    ("make_colored_mnist with colour images", lambda: make_colored_mnist(
        np.zeros((4, 3, 28, 28)), np.arange(4)), ValueError, "must be grayscale"),
    ("make_colored_mnist with digits of another length", lambda: make_colored_mnist(
        np.zeros((4, 28, 28)), np.arange(3)), ValueError, "one class per image"),
    ("make_dominoes with NaN images", lambda: make_dominoes(
        (np.full((4, 28, 28), np.nan), np.arange(4) % 2), (np.zeros((4, 28, 28)),
                                                            np.arange(4) % 2)),
     ValueError, "NaN or infinity"),
    ("make_dominoes with 2- and 3-channel images", lambda: make_dominoes(
        (np.zeros((4, 2, 28, 28)), np.arange(4) % 2), (np.zeros((4, 3, 32, 32)),
                                                       np.arange(4) % 2),
        top_classes=(0, 1), bottom_classes=(0, 1)), ValueError, "2 channels.*3"),
    ("make_dominoes with labels of another length", lambda: make_dominoes(
        (np.zeros((4, 28, 28)), np.arange(3)), (np.zeros((4, 28, 28)), np.arange(4))),
     ValueError, r"one integer per image, of shape \(4,\)"),
    ("make_decorrelated of an (X, y) tuple", lambda: make_decorrelated(
        make_lms(50, 5, random_state=0), 10), InvalidParameterError, "'data'"),
    ("make_decorrelated of images", lambda: make_decorrelated(
        {"images": np.zeros((4, 8, 8)), "target": np.arange(4) % 2}, 10),
     ValueError, "synthetic dataset.*return_X_y=False"),
    ("make_decorrelated of one row", lambda: make_decorrelated(_DATA, 1),
     InvalidParameterError, "'n_samples'"),
    ("DatasetSamplesDisplay of synthetic data", lambda: DatasetSamplesDisplay.from_dataset(
        _DATA), ValueError, "needs a dataset of images.*no 'images'"),
    ("DatasetSamplesDisplay with fewer labels than images", lambda: DatasetSamplesDisplay(
        np.zeros((4, 8, 8)), np.arange(3) % 2).plot(), ValueError, "one entry per row"),
    ("DBATClassifier with X_ood of other features", lambda: DBATClassifier(_net()).fit(
        X, Y, X_ood=X[:, :3]), ValueError, r"X_ood has samples of shape \(3,\)"),
    ("DFRClassifier with y_val of another length", lambda: DFRClassifier(_net()).fit(
        X, Y, X_val=X, y_val=Y[:-1]), ValueError, "y_val must give one value per row of X_val"),
    ("DFRClassifier with a y_val of one class", lambda: DFRClassifier(
        _net()).fit(X, Y, X_val=X[:10], y_val=np.zeros(10)), ValueError, "one class"),
    ("GradientDiversityClassifier with X_val of other features",
     lambda: GradientDiversityClassifier(_net()).fit(X, Y, X_val=X[:, :3], y_val=Y),
     ValueError, r"X_val has samples of shape \(3,\)"),
    ("OrthoPClassifier with one class", lambda: OrthoPClassifier(_net()).fit(
        X, np.zeros(len(X))), ValueError, "one class"),
    ("GroupDROClassifier with groups of another length", lambda: GroupDROClassifier(
        _net()).fit(X, Y, groups=Y[:-1]), ValueError, "groups must give one value per row of X"),
    ("JTTClassifier with one class", lambda: JTTClassifier(_net()).fit(
        X, np.zeros(len(X))), ValueError, "one class"),
    ("USEFULClassifier with one class", lambda: USEFULClassifier(_net()).fit(
        X, np.zeros(len(X))), ValueError, "one class"),
    ("DivDisClassifier with an empty X_ood", lambda: DivDisClassifier(_net()).fit(
        X, Y, X_ood=X[:0]), ValueError, "X_ood is empty"),
    ("DivDisClassifier.disambiguate with other features", lambda: DivDisClassifier(
        _net(), random_state=0).fit(X, Y, X_ood=X).disambiguate(X[:, :3], Y),
     ValueError, r"X_query has samples of shape \(3,\)"),
    ("s_removed_control with a block out of range", lambda: s_removed_control(
        UNFITTED, X, Y, X, Y, simple_features=[6]), ValueError, "simple_features"),
    ("scorer with a 2-d y", lambda: RandomizedFeatureScorer(
        [0], metric="accuracy")(NET, X, np.c_[Y, Y]), ValueError, "shape"),
    ("UniversalPerturbation on other features", lambda: UAP.transform(X[:, :3]), ValueError,
     "3 features, but UniversalPerturbation is expecting 6"),
    ("pgd_perturb on other features", lambda: pgd_perturb(NET, X[:, :3], Y, eps=0.1),
     ValueError, r"shape \(3,\).*\(6,\)"),
    ("a block out of range", lambda: randomized_scores(NET, X, Y, simple_features=[6]),
     ValueError, "out of range"),
    ("a rotation of another size", lambda: randomized_scores(
        NET, X, Y, simple_features=[0], rotation=np.eye(3)), ValueError, "3 x 3"),
    ("empty X", lambda: _net().fit(X[:0], Y[:0]), ValueError, "0 sample"),
    ("conflict data from 1-d X", lambda: make_conflict_data(X[:, 0], Y, simple_features=[0]),
     ValueError, "2D|Reshape"),
    ("conflict data with y of another length", lambda: make_conflict_data(
        X, Y[:-1], simple_features=_DATA), ValueError, "inconsistent numbers of samples"),
    ("conflict data with a rotation of another size", lambda: make_conflict_data(
        X, Y, simple_features=[0], rotation=np.eye(3)), ValueError, "3 x 3"),
    ("conflict data from empty X", lambda: make_conflict_data(
        X[:0], Y[:0], simple_features=_DATA), ValueError, "0 sample"),
    ("conflict data from one class", lambda: make_conflict_data(
        X, np.zeros(len(X)), simple_features=_DATA), ValueError, "only the class"),
    ("detector scores of 1-d X", lambda: in_distribution_scores(NET, X[:, 0]), ValueError,
     "2D|Reshape"),
    ("detector scores with other features", lambda: in_distribution_scores(NET, X[:, :3]),
     ValueError, "3 features, but SBNetClassifier is expecting 6"),
    ("detector scores of empty X", lambda: in_distribution_scores(NET, X[:0]), ValueError,
     "0 sample"),
    ("energy of a model without logits", lambda: in_distribution_scores(
        LogisticRegression().fit(X, Y), X, detector="energy"), ValueError,
     "has no predict_logits"),
    # -- wrong label types ------------------------------------------------------
    ("string labels against a numeric model (scorer)", lambda: RandomizedFeatureScorer(
        [0], metric="accuracy")(NET, X, STRING_Y), ValueError, "labels of the same type"),
    ("string labels against a numeric model (scores)", lambda: randomized_scores(
        NET, X, STRING_Y, simple_features=_DATA, metrics="accuracy"), ValueError,
     "labels of the same type"),
    ("labels the attack's model does not know", lambda: pgd_perturb(
        NET, X, Y + 5, eps=0.1), ValueError, "labels outside the classes"),
    ("continuous labels", lambda: _net().fit(X, X[:, 0]), ValueError, "continuous"),
    ("one class", lambda: _net().fit(X, np.zeros(len(X))), ValueError, "at least 2 classes"),
    # -- three classes given to binary tools ---------------------------------
    ("roc_auc on 3 classes", lambda: randomized_scores(
        NET3, X3, Y3, simple_features=[0], metrics="roc_auc"), ValueError, "for two classes"),
    ("scorer roc_auc on 3 classes", lambda: RandomizedFeatureScorer([0])(NET3, X3, Y3),
     ValueError, "for two classes"),
    ("positive_logits of 3 classes", lambda: positive_logits(NET3, X3), ValueError,
     "binary classifier"),
    ("randomized_logits of 3 classes", lambda: randomized_logits(
        NET3, X3, Y3, simple_features=[0]), ValueError, "needs binary y"),
    ("boundary of 3 classes", lambda: ProjectedBoundaryDisplay.from_estimator(
        NET3, X3, Y3, simple_features=[0]), ValueError, "binary classifier"),
    ("signed UAP of 3 classes", lambda: UniversalPerturbation(NET3).fit(X3, Y3),
     ValueError, "label_signed=True needs a binary classifier"),
    # -- bounds ---------------------------------------------------------------
    ("NaN bounds", lambda: pgd_perturb(NET, X, Y, eps=0.1, bounds=(np.nan, 1.0)),
     InvalidParameterError, "'bounds' parameter"),
    ("low above high", lambda: pgd_perturb(NET, X, Y, eps=0.1, bounds=(1.0, 0.0)),
     InvalidParameterError, "'bounds' parameter"),
    ("X outside the bounds (PGD)", lambda: pgd_perturb(NET, X, Y, eps=0.1, bounds=(0.0, 1.0)),
     ValueError, "outside bounds"),
    ("X outside the bounds (UAP)", lambda: UniversalPerturbation(
        NET, bounds=(0.0, 1.0)).fit(X, Y), ValueError, "outside bounds"),
    # -- unfitted models ----------------------------------------------------
    *[(f"{where} of an unfitted network", call, NotFittedError, "not fitted")
      for where, call in [
          ("predict", lambda: UNFITTED.predict(X)),
          ("predict_proba", lambda: UNFITTED.predict_proba(X)),
          ("randomized_scores", lambda: randomized_scores(UNFITTED, X, Y, simple_features=_DATA)),
          ("scorer", lambda: RandomizedFeatureScorer([0])(UNFITTED, X, Y)),
          ("positive_logits", lambda: positive_logits(UNFITTED, X)),
          ("in_distribution_scores", lambda: in_distribution_scores(UNFITTED, X)),
          ("pgd_perturb", lambda: pgd_perturb(UNFITTED, X, Y, eps=0.1)),
          ("UniversalPerturbation", lambda: UniversalPerturbation(UNFITTED).fit(X, Y)),
          ("ensemble predict", lambda: LogitEnsembleClassifier(_net()).predict(X)),
          ("boundary display", lambda: ProjectedBoundaryDisplay.from_estimator(
              UNFITTED, X, Y, simple_features=_DATA)),
      ]],
    ("an unfitted perturbation", lambda: UniversalPerturbation(NET).transform(X),
     NotFittedError, "not fitted"),
    ("the display of an unfitted perturbation", lambda: PerturbationDisplay.from_estimator(
        UniversalPerturbation(NET)), NotFittedError, "call fit first"),
    ("a logistic regression in an attack", lambda: pgd_perturb(
        LogisticRegression().fit(X, Y), X, Y, eps=0.1), TypeError, "backed by torch modules"),
    ("a zero-width network", lambda: _net(module__width=0).fit(X, Y), InvalidParameterError,
     "'width' parameter.*module__width"),
]


@pytest.mark.parametrize("name, call, error, message", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_gets_a_clear_error(name, call, error, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error, match=message):
            call()


def test_a_column_of_labels_scores_like_the_labels_with_a_warning():
    scorer = RandomizedFeatureScorer([0], metric="accuracy", random_state=0)
    expected = scorer(NET, X, Y)
    with pytest.warns(DataConversionWarning):
        assert scorer(NET, X, Y[:, None]) == expected


def test_a_failed_call_leaves_the_fitted_models_untouched():
    logits = NET.predict_logits(X)
    for _, call, error, _ in CASES:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with pytest.raises(error):
                call()
    np.testing.assert_array_equal(NET.predict_logits(X), logits)


# The public names that take no data, or whose data the cases above cover
# through the names that call them.
_NOT_DATA_TAKING = {
    "make_lms", "make_slabs", "make_lsn", "fetch_mnist_cifar", "datasets.fetch_dominoes",
    "datasets.fetch_colored_mnist", "datasets.fetch_collages", "datasets.load_dataset",
    "datasets.available_datasets", "datasets.register_dataset", "networks.available_networks",
    "networks.get_network", "networks.register_network", "mitigation.available_methods",
    "mitigation.make_method", "mitigation.register_method", "experiments.run_experiment",
    "parallel.dask_backend", "mitigation.side_data_table",
    # Names, sizes and seeds, tried in tests/experiments/test_benchmark.py.
    "experiments.run_benchmark", "experiments.benchmark_data", "experiments.method_factory",
    # Results files, tried in tests/experiments/test_results_page.py.
    "experiments.write_results_pages", "experiments.hyperparameter_table",
}
_COVERED = {
    "SBNetClassifier", "LogitEnsembleClassifier", "RandomizedFeatureScorer",
    "mitigation.DBATClassifier", "mitigation.DFRClassifier",
    "mitigation.GradientDiversityClassifier", "mitigation.OrthoPClassifier",
    "mitigation.DivDisClassifier", "mitigation.GroupDROClassifier",
    "mitigation.JTTClassifier", "mitigation.USEFULClassifier",
    "UniversalPerturbation", "randomized_scores", "inspection.coordinatewise_randomized_scores",
    "inspection.randomized_logits", "inspection.positive_logits", "inspection.randomize_block",
    "inspection.make_conflict_data", "inspection.in_distribution_scores",
    "inspection.s_removed_control", "datasets.make_colored_mnist", "datasets.make_dominoes",
    "datasets.make_decorrelated", "adversarial.pgd_perturb", "adversarial.robust_accuracy_score",
    "adversarial.make_robust_accuracy_scorer",
    "inspection.worst_group_accuracy", "inspection.group_balanced_accuracy",
    "inspection.group_scores", "inspection.expected_calibration_error",
    "inspection.make_group_scorer", "experiments.seed_statistics",
    "experiments.bootstrap_interval", "experiments.paired_difference",
    "experiments.hyperparameter_draws",
}


def test_every_data_taking_public_name_is_tried():
    names = {name for name, _ in all_functions()} | {name for name, _ in all_estimators()}
    untried = names - _COVERED - _NOT_DATA_TAKING
    assert not untried, f"add hostile-input cases for {sorted(untried)}"
    assert sklearn_sb.RandomizedFeatureScorer is RandomizedFeatureScorer


def test_the_displays_are_tried():
    tried = {name.split()[0] for name, *_ in CASES}
    assert {"ProjectedBoundaryDisplay", "LogitHistogramDisplay", "DatasetSamplesDisplay"} <= tried
    assert RandomizedScoreCurveDisplay  # built from tables of scores, not from data
