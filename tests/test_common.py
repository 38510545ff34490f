"""Checks every public estimator of the package passes, found by walking it.

In the spirit of scikit-learn's and imbalanced-learn's ``test_common.py``:
the estimators are the public classes derived from
:class:`~sklearn.base.BaseEstimator` that have ``fit`` (see
``tests/_discovery.py``), so a new public estimator is checked without
editing this file, unless it cannot be built with its defaults or its
defaults are too slow: then it needs an entry in ``SMALL_INSTANCES``, the one
place to add it (``test_every_estimator_has_a_small_instance`` fails until
it has one). The public ``BaseEstimator`` subclasses without ``fit`` (the
training methods) are not estimators: they get their own tests below.

Expected failures of scikit-learn's checks are listed, with their reasons,
in ``EXPECTED_FAILED_CHECKS``.
"""

import numbers
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.validation import check_is_fitted

from sklearn_sb import (
    LogitEnsembleClassifier,
    RandomizedFeatureScorer,
    SBNetClassifier,
    UniversalPerturbation,
    make_lms,
)

from sklearn_sb.mitigation import (
    DBATClassifier,
    DFRClassifier,
    DivDisClassifier,
    GradientDiversityClassifier,
    GroupDROClassifier,
    JTTClassifier,
    OrthoPClassifier,
    USEFULClassifier,
)

from ._discovery import all_estimators, all_parameter_objects

# -- small instances ------------------------------------------------------------

# A network small enough for the ~40 fits of scikit-learn's checks, still
# able to pass check_classifiers_train (accuracy > 0.83 on make_blobs): the
# larger learning rate and batches of 64 make 5 epochs enough. On the CPU,
# so that equal seeds give equal weights (and the checks are the same on a
# machine with a GPU).
SMALL_NET = dict(module__width=16, max_epochs=5, lr=0.5, batch_size=64, device="cpu")


def small_net(**params):
    """An unfitted small SBNetClassifier."""
    return SBNetClassifier(**{**SMALL_NET, "random_state": 0, **params})


def small_data():
    """The data the tests below fit on: LMS-5, 300 rows of 6 features, binary."""
    return make_lms(300, 6, random_state=0)


def frozen_small_net():
    """A small network fitted on ``small_data()``, kept fitted through ``clone``."""
    return FrozenEstimator(small_net().fit(*small_data()))


# Factories of small, fast instances, by class name, for the public
# estimators and training methods that cannot be built with their defaults,
# or whose defaults are too slow for the common checks. Every other public
# estimator is built as ``Class()``.
SMALL_INSTANCES = {
    # The default network (FCN of width 100, 20 epochs) is slow for the checks.
    "SBNetClassifier": small_net,
    # Members: small networks; two of them make an ensemble.
    "LogitEnsembleClassifier": lambda: LogitEnsembleClassifier(
        small_net(), n_estimators=2, random_state=0
    ),
    # Small members; the adversarial D_ood needs no side data in fit.
    "DBATClassifier": lambda: DBATClassifier(small_net(), ood="adversarial", n_iter=2,
                                             random_state=0),
    "DFRClassifier": lambda: DFRClassifier(small_net(), n_refits=2, random_state=0),
    # The default strength (100) outweighs the cross-entropy in the checks' 5 epochs.
    "GradientDiversityClassifier": lambda: GradientDiversityClassifier(
        small_net(), strength=1.0, random_state=0),
    "OrthoPClassifier": lambda: OrthoPClassifier(small_net(), random_state=0),
    "DivDisClassifier": lambda: DivDisClassifier(small_net(), random_state=0),
    "GroupDROClassifier": lambda: GroupDROClassifier(small_net(), random_state=0),
    "JTTClassifier": lambda: JTTClassifier(small_net(), random_state=0),
    "USEFULClassifier": lambda: USEFULClassifier(small_net(), random_state=0),
    # `features` is required.
    "RandomizedFeatureScorer": lambda: RandomizedFeatureScorer([0], random_state=0),
    # `estimator` is required and must be fitted; a FrozenEstimator stays
    # fitted through the clones the checks make.
    "UniversalPerturbation": lambda: UniversalPerturbation(
        frozen_small_net(), n_epochs=2, random_state=0
    ),
}


def _missing_instance_message(cls, error):
    return (
        f"{cls.__module__}.{cls.__qualname__} is a public estimator that cannot be "
        f"built with its defaults ({type(error).__name__}: {error}). Add a factory of a "
        f"small, fast instance of it to SMALL_INSTANCES in tests/test_common.py."
    )


def make_small_instance(cls):
    """A small instance of the public estimator or training method ``cls``.

    Raises
    ------
    AssertionError
        When ``cls`` has no entry in ``SMALL_INSTANCES`` and cannot be built
        with its defaults.
    """
    factory = SMALL_INSTANCES.get(cls.__name__)
    if factory is not None:
        return factory()
    try:
        return cls()
    except TypeError as error:
        raise AssertionError(_missing_instance_message(cls, error)) from error


def _buildable(classes):
    instances = []
    for _, cls in classes:
        try:
            instances.append(make_small_instance(cls))
        except AssertionError:
            # test_every_estimator_has_a_small_instance reports it.
            pass
    return instances


ESTIMATORS = all_estimators()
PARAMETER_OBJECTS = all_parameter_objects()
ESTIMATOR_INSTANCES = _buildable(ESTIMATORS)

# -- expected failures of scikit-learn's checks -----------------------------------

_NET_FAILURES = {
    "check_no_attributes_set_in_init": (
        "skorch stores prefixed options (module__width, ...) and its bookkeeping "
        "(history_, initialized_, virtual_params_) in __init__."
    ),
    "check_methods_subset_invariance": (
        "float32 matrix products differ in the last bits (~1e-7 relative) "
        "between batch sizes, above the check's 1e-7 tolerance."
    ),
}

_RANDOMIZING_FAILURES = {
    "check_methods_subset_invariance": (
        "randomizing permutes rows, so a subset of X is permuted differently "
        "from the whole."
    ),
    "check_methods_sample_order_invariance": (
        "randomizing permutes rows, so reordering X reorders which rows swap."
    ),
}

_FIXED_NETWORK = (
    "the perturbation is of one fitted network, here fitted on 6-feature binary "
    "data: this check fits on data of another number of features (or on other "
    "labels), which UniversalPerturbation rightly rejects. Clone, pickling and "
    "determinism are tested on matching data in tests/test_common.py."
)

EXPECTED_FAILED_CHECKS = {
    "SBNetClassifier": _NET_FAILURES,
    "LogitEnsembleClassifier": {
        "check_methods_subset_invariance": (
            "the ensemble's logits are the mean of its members' float32 logits: "
            + _NET_FAILURES["check_methods_subset_invariance"]
        ),
    },
    "DBATClassifier": {
        "check_methods_subset_invariance": (
            "the ensemble's logits are the mean of its members' float32 logits: "
            + _NET_FAILURES["check_methods_subset_invariance"]
        ),
    },
    "DFRClassifier": {
        "check_methods_subset_invariance": (
            "the retrained network computes float32 logits: "
            + _NET_FAILURES["check_methods_subset_invariance"]
        ),
    },
    "RandomizedFeatureScorer": _RANDOMIZING_FAILURES,
    "UniversalPerturbation": dict.fromkeys(
        [
            "check_dict_unchanged",
            "check_dont_overwrite_parameters",
            "check_dtype_object",
            "check_estimators_dtypes",
            "check_estimators_fit_returns_self",
            "check_estimators_nan_inf",
            "check_estimators_overwrite_params",
            "check_estimators_pickle",
            "check_f_contiguous_array_estimator",
            "check_fit2d_1feature",
            "check_fit2d_1sample",
            "check_fit2d_predict1d",
            "check_fit_check_is_fitted",
            "check_fit_idempotent",
            "check_fit_score_takes_y",
            "check_methods_sample_order_invariance",
            "check_methods_subset_invariance",
            "check_n_features_in",
            "check_n_features_in_after_fitting",
            "check_pipeline_consistency",
            "check_positive_only_tag_during_fit",
            "check_readonly_memmap_input",
            "check_transformer_data_not_an_array",
            "check_transformer_general",
            "check_transformer_preserve_dtypes",
        ],
        _FIXED_NETWORK,
    ),
}


def expected_failed_checks(estimator):
    return EXPECTED_FAILED_CHECKS.get(type(estimator).__name__, {})


# -- helpers ------------------------------------------------------------------------

_OUTPUT_METHODS = ("predict", "predict_proba", "decision_function", "predict_logits",
                   "transform")


def _outputs(estimator, X):
    """What a fitted estimator computes on X, and its fitted numbers and arrays."""
    outputs = {
        method: np.asarray(getattr(estimator, method)(X))
        for method in _OUTPUT_METHODS
        if hasattr(estimator, method)
    }
    for name, value in vars(estimator).items():
        if name.endswith("_") and not name.startswith("_"):
            if isinstance(value, (np.ndarray, numbers.Number)):
                outputs[name] = np.asarray(value)
    assert outputs, f"{type(estimator).__name__} computes nothing the tests can compare"
    return outputs


def _assert_same_outputs(first, second):
    assert first.keys() == second.keys()
    for name in first:
        np.testing.assert_array_equal(first[name], second[name], err_msg=name)


def _is_estimator(value):
    return hasattr(value, "get_params") and not isinstance(value, type)


def _assert_same_value(value, other, where):
    """Equal values; estimators (also inside lists, tuples, dicts) by type and params."""
    if value is other:
        return
    if _is_estimator(value):
        assert type(other) is type(value), f"{where}: {value!r} became {other!r}"
        _assert_same_params(value, other, where)
    elif isinstance(value, (list, tuple)) and not isinstance(value, str):
        assert type(other) is type(value) and len(other) == len(value), where
        for i, (a, b) in enumerate(zip(value, other)):
            _assert_same_value(a, b, f"{where}[{i}]")
    elif isinstance(value, dict):
        assert isinstance(other, dict) and other.keys() == value.keys(), where
        for key in value:
            _assert_same_value(value[key], other[key], f"{where}[{key!r}]")
    elif isinstance(value, np.ndarray) or isinstance(other, np.ndarray):
        np.testing.assert_array_equal(value, other, err_msg=where)
    else:
        assert value == other, f"{where}: {value!r} became {other!r}"


def _assert_same_params(original, copy, where):
    """The same parameters, as clone and pickling must keep them."""
    params, copied = original.get_params(deep=False), copy.get_params(deep=False)
    assert params.keys() == copied.keys(), where
    for name, value in params.items():
        _assert_same_value(value, copied[name], f"{where}.{name}")


def _seeded_on_cpu(estimator):
    """``estimator`` with a fixed seed and on the CPU, where its options allow."""
    params = estimator.get_params(deep=False)
    changes = {}
    if params.get("random_state", 0) is None:
        changes["random_state"] = 0
    if params.get("device") == "auto":
        changes["device"] = "cpu"
    return estimator.set_params(**changes)


def _id(estimator):
    return type(estimator).__name__


# -- discovery ----------------------------------------------------------------------


def test_the_walk_finds_the_known_estimators():
    # A guard on the walk itself: it must at least find today's estimators
    # and training methods (more is fine).
    estimators = {cls.__name__ for _, cls in ESTIMATORS}
    assert {"SBNetClassifier", "LogitEnsembleClassifier", "RandomizedFeatureScorer",
            "UniversalPerturbation"} <= estimators
    assert {"AdversarialTraining", "TrainingMethod"} <= {
        cls.__name__ for _, cls in PARAMETER_OBJECTS
    }


def test_class_names_are_unique():
    # SMALL_INSTANCES and EXPECTED_FAILED_CHECKS are keyed by class name.
    names = [cls.__name__ for _, cls in ESTIMATORS + PARAMETER_OBJECTS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("name, cls", ESTIMATORS + PARAMETER_OBJECTS,
                         ids=[n for n, _ in ESTIMATORS + PARAMETER_OBJECTS])
def test_every_estimator_has_a_small_instance(name, cls):
    instance = make_small_instance(cls)
    assert type(instance) is cls


def test_no_stale_entries():
    known = {cls.__name__ for _, cls in ESTIMATORS + PARAMETER_OBJECTS}
    assert set(SMALL_INSTANCES) <= known, "SMALL_INSTANCES names classes that are not public"
    assert set(EXPECTED_FAILED_CHECKS) <= known, (
        "EXPECTED_FAILED_CHECKS names classes that are not public"
    )


def test_expected_failures_name_real_checks():
    # A misspelt name would silently expect nothing.
    from sklearn.utils import estimator_checks

    for estimator, checks in EXPECTED_FAILED_CHECKS.items():
        unknown = [name for name in checks if not callable(getattr(estimator_checks, name, None))]
        assert not unknown, f"EXPECTED_FAILED_CHECKS[{estimator!r}] names unknown checks {unknown}"


# -- scikit-learn's checks ----------------------------------------------------------


# skorch's set_params re-reads the callbacks at once, so check_set_params's
# deliberately invalid values raise TypeError there instead of in fit.
@pytest.mark.filterwarnings("ignore:TypeError occurred during set_params:UserWarning")
@pytest.mark.filterwarnings("ignore:Estimator's parameters changed after set_params")
@parametrize_with_checks(ESTIMATOR_INSTANCES, expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# -- clone, pickling, determinism --------------------------------------------------


@pytest.fixture(scope="module")
def data():
    return small_data()


@pytest.mark.parametrize("estimator", ESTIMATOR_INSTANCES, ids=_id)
def test_clone_keeps_parameters_and_drops_fitted_state(estimator, data):
    _assert_same_params(estimator, clone(estimator), _id(estimator))
    fitted = clone(estimator).fit(*data)
    copy = clone(fitted)
    _assert_same_params(fitted, copy, _id(estimator))
    with pytest.raises(NotFittedError):
        check_is_fitted(copy)


@pytest.mark.parametrize("estimator", ESTIMATOR_INSTANCES, ids=_id)
def test_pickled_fitted_estimator_gives_identical_outputs(estimator, data):
    X, y = data
    fitted = clone(estimator).fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    _assert_same_params(fitted, restored, _id(estimator))
    _assert_same_outputs(_outputs(fitted, X), _outputs(restored, X))


@pytest.mark.parametrize("estimator", ESTIMATOR_INSTANCES, ids=_id)
def test_same_seed_gives_identical_fits_on_cpu(estimator, data):
    X, y = data
    first = _seeded_on_cpu(clone(estimator)).fit(X, y)
    second = _seeded_on_cpu(clone(estimator)).fit(X, y)
    _assert_same_outputs(_outputs(first, X), _outputs(second, X))


# -- training methods (BaseEstimators without fit) ---------------------------------


@pytest.mark.parametrize("name, cls", PARAMETER_OBJECTS, ids=[n for n, _ in PARAMETER_OBJECTS])
def test_training_method_clones_pickles_and_validates(name, cls):
    method = make_small_instance(cls)
    copy = clone(method)
    assert copy is not method
    _assert_same_params(method, copy, name)
    _assert_same_params(method, pickle.loads(pickle.dumps(method)), name)
    # Validated parameters: declared for every constructor parameter, and the
    # instance's own values pass (the fuzzing is in test_public_functions.py).
    assert set(cls._parameter_constraints) == set(method.get_params(deep=False)), name
    method._validate_params()


@pytest.mark.parametrize("name, cls", PARAMETER_OBJECTS, ids=[n for n, _ in PARAMETER_OBJECTS])
def test_training_method_trains_a_network_and_its_options_are_nested(name, cls, data):
    from sklearn_sb.mitigation import TrainingMethod

    assert issubclass(cls, TrainingMethod), (
        f"{name} is a public BaseEstimator without fit that is not a TrainingMethod: "
        "tests/test_common.py does not know how to use it."
    )
    X, y = data
    method = make_small_instance(cls)
    net = small_net(max_epochs=1, method=method)
    params = net.get_params()
    for param, value in method.get_params(deep=False).items():
        _assert_same_value(params[f"method__{param}"], value, f"{name}.{param}")
    first = clone(net).fit(X, y).predict_logits(X)
    second = clone(net).fit(X, y).predict_logits(X)
    assert np.all(np.isfinite(first))
    np.testing.assert_array_equal(first, second)
