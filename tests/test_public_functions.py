"""Every public function and estimator validates its parameters, scikit-learn's way.

scikit-learn's ``sklearn/tests/test_public_functions.py`` and its
``check_param_validation``, for the public API found by walking the package
(``tests/_discovery.py``), so a new public name is covered without editing
this file:

* a public function is decorated with ``validate_params`` (it has
  ``_skl_parameter_constraints``), its constraints name exactly its
  parameters, and a value of no valid type, or of a valid type but outside
  the valid values, raises ``InvalidParameterError`` naming the parameter;
* a public estimator's ``_parameter_constraints`` name exactly its
  parameters, and ``fit`` (or ``set_params``) rejects bad values the same
  way;
* a training method (a public ``BaseEstimator`` without ``fit``) is
  validated when the network using it fits:
  ``SBNetClassifier(method=...).fit`` rejects its bad values.

The only functions left out are listed, with the reason, in
``NOT_VALIDATED_BY_DESIGN``.
"""

import contextlib
import inspect
import re
import types
from numbers import Integral, Real

import numpy as np
import pytest
from sklearn.base import clone

from sklearn_sb.utils._param_validation import (
    Interval,
    InvalidParameterError,
    generate_invalid_param_val,
    generate_valid_param,
    make_constraint,
)

from ._discovery import all_estimators, all_functions, all_parameter_objects
from .test_common import make_small_instance, small_data, small_net

# Public functions that take no user data and are not parameter-validated by
# design: the registries' helpers, for extending the package or listing what
# it offers. Their own tests check their errors.
NOT_VALIDATED_BY_DESIGN = {
    "networks.available_networks": "takes no parameters; lists the network registry",
    "networks.get_network": (
        "registry lookup: an unknown name raises a ValueError listing the registered "
        "networks (users name networks through SBNetClassifier(module=...), validated)"
    ),
    "networks.register_network": "class decorator that extends the network registry",
    "mitigation.available_methods": "takes no parameters; lists the method registry",
    "mitigation.make_method": (
        "registry lookup by name, forwarding **params to the method's set_params; the "
        "method validates them when the network using it fits"
    ),
    "mitigation.register_method": "class decorator that extends the method registry",
    "mitigation.side_data_table": "takes no parameters; tabulates the methods' declarations",
    "datasets.available_datasets": "takes no parameters; lists the dataset catalog",
    "datasets.register_dataset": "extends the dataset catalog (decorator of a loader)",
}

FUNCTIONS = all_functions()
VALIDATED_FUNCTIONS = [(n, f) for n, f in FUNCTIONS if n not in NOT_VALIDATED_BY_DESIGN]
ESTIMATORS = all_estimators()
PARAMETER_OBJECTS = all_parameter_objects()

# An object of no type any constraint accepts.
BAD_TYPE = type("BadType", (), {})()

_NO_VALUE = object()


# -- helpers ------------------------------------------------------------------------


def _signature_params(func):
    parameters = inspect.signature(func).parameters.values()
    names = [p.name for p in parameters if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    required = [
        p.name for p in parameters
        if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]
    return names, required


def _candidates(constraint):
    """Values to try for the package's own constraints, which scikit-learn cannot
    generate values for (found by duck typing, so a renamed class still works)."""
    if hasattr(constraint, "available"):  # RegisteredName
        yield from sorted(constraint.available())
    if isinstance(getattr(constraint, "base", None), type):  # SubclassOf
        yield constraint.base
    if hasattr(constraint, "attributes"):  # HasAttributes
        yield types.SimpleNamespace(**dict.fromkeys(constraint.attributes))
    yield from ("cpu", (0.0, 1.0), np.array([1.0, 2.0, 3.0]), 1, 0.5, True, "a")


def _valid_value(param, constraints, owner):
    """A value satisfying the constraints, from the first constraint that yields one."""
    if constraints == "no_validation":
        return 1
    for constraint in map(make_constraint, constraints):
        try:
            value = generate_valid_param(constraint)
        except Exception:  # noqa: BLE001 (unknown to scikit-learn)
            value = _NO_VALUE
        if value is not _NO_VALUE and constraint.is_satisfied_by(value):
            return value
        for value in _candidates(constraint):
            if constraint.is_satisfied_by(value):
                return value
    pytest.fail(
        f"No valid value is known for the required parameter {param!r} of {owner} "
        f"(constraints {constraints}); teach _valid_value in "
        "tests/test_public_functions.py about its first constraint."
    )


def _check_no_mixed_intervals(param, constraints, owner):
    # As scikit-learn: mixing intervals of Integral and Real must be avoided.
    if constraints == "no_validation":
        return
    kinds = {c.type for c in constraints if isinstance(c, Interval)}
    assert not {Integral, Real} <= kinds, (
        f"The constraints of {param!r} of {owner} mix intervals of Integral and Real: "
        "use RealNotInt instead of Real."
    )


def _bad_values(constraints):
    """(description, value): one of no valid type, then invalid values of valid types."""
    yield "a value of no valid type", BAD_TYPE
    for constraint in map(make_constraint, constraints):
        try:
            value = generate_invalid_param_val(constraint)
        except NotImplementedError:
            continue
        yield f"an invalid value for the constraint {constraint}", value


def _message(param, owner):
    return rf"The '{param}' parameter of {re.escape(owner)} must be .* Got .* instead\."


def _assert_rejects(action, param, owner, what, value):
    """``action()`` raises InvalidParameterError naming ``param`` of ``owner``."""
    expected = _message(param, owner)
    try:
        action()
    except InvalidParameterError as error:
        assert re.search(expected, str(error)), (
            f"{owner} rejects {what} for {param!r} ({value!r}) with the message "
            f"{str(error)!r}, which does not match {expected!r}."
        )
    except Exception as error:  # noqa: BLE001
        pytest.fail(
            f"{owner} raises {type(error).__name__}: {error} for {what} for {param!r} "
            f"({value!r}), instead of InvalidParameterError."
        )
    else:
        pytest.fail(f"{owner} accepts {what} for {param!r}: {value!r}.")


def _call(func, kwargs):
    result = func(**kwargs)
    # A context manager (dask_backend) may validate when it is entered.
    if isinstance(result, contextlib.AbstractContextManager):
        with result:
            pass


# -- public functions ---------------------------------------------------------------


def test_exclusions_are_public_functions():
    names = {name for name, _ in FUNCTIONS}
    stale = set(NOT_VALIDATED_BY_DESIGN) - names
    assert not stale, f"NOT_VALIDATED_BY_DESIGN names functions that are not public: {stale}"


def test_the_walk_finds_the_known_functions():
    names = {name for name, _ in VALIDATED_FUNCTIONS}
    assert {"make_lms", "make_slabs", "make_lsn", "fetch_mnist_cifar", "randomized_scores",
            "adversarial.pgd_perturb"} <= names


@pytest.mark.parametrize("name, func", VALIDATED_FUNCTIONS, ids=[n for n, _ in VALIDATED_FUNCTIONS])
def test_function_is_validated(name, func):
    constraints = getattr(func, "_skl_parameter_constraints", None)
    assert constraints is not None, (
        f"sklearn_sb.{name} is public but not decorated with validate_params; decorate it, "
        "or add it with the reason to NOT_VALIDATED_BY_DESIGN in "
        "tests/test_public_functions.py."
    )
    params, _ = _signature_params(func)
    unexpected, missing = set(constraints) - set(params), set(params) - set(constraints)
    assert not unexpected and not missing, (
        f"Mismatch between the constraints and the parameters of sklearn_sb.{name}: "
        f"unexpected {sorted(unexpected)}, missing {sorted(missing)}."
    )


def _function_cases():
    cases = []
    for name, func in VALIDATED_FUNCTIONS:
        constraints = getattr(func, "_skl_parameter_constraints", None) or {}
        params, _ = _signature_params(func)
        cases += [
            pytest.param(name, func, param, id=f"{name}-{param}")
            for param in params
            if param in constraints and constraints[param] != "no_validation"
        ]
    return cases


@pytest.mark.parametrize("name, func, param", _function_cases())
def test_function_rejects_bad_params(name, func, param):
    constraints = func._skl_parameter_constraints
    func_name = func.__qualname__
    _check_no_mixed_intervals(param, constraints[param], func_name)
    _, required = _signature_params(func)
    valid = {
        other: _valid_value(other, constraints[other], func_name)
        for other in required
        if other != param
    }
    for what, value in _bad_values(constraints[param]):
        _assert_rejects(
            lambda: _call(func, {**valid, param: value}), param, func_name, what, value
        )


# -- estimators ---------------------------------------------------------------------


def _estimator_params(estimator):
    # skorch's prefixed options (module__width, optimizer__momentum, ...) are
    # forwarded to the objects they name, not parameters of the estimator.
    return {name for name in estimator.get_params(deep=False) if "__" not in name}


@pytest.mark.parametrize("name, cls", ESTIMATORS + PARAMETER_OBJECTS,
                         ids=[n for n, _ in ESTIMATORS + PARAMETER_OBJECTS])
def test_constraints_cover_the_parameters(name, cls):
    estimator = make_small_instance(cls)
    constraints = getattr(cls, "_parameter_constraints", None)
    assert constraints is not None, f"{name} has no _parameter_constraints"
    params = _estimator_params(estimator)
    unexpected, missing = set(constraints) - params, params - set(constraints)
    assert not unexpected and not missing, (
        f"Mismatch between _parameter_constraints and the parameters of {name}: "
        f"unexpected {sorted(unexpected)}, missing {sorted(missing)} (declare "
        "'no_validation' for a parameter that takes any value)."
    )


def _estimator_cases(classes):
    return [
        pytest.param(name, cls, param, id=f"{name}-{param}")
        for name, cls in classes
        for param, constraints in getattr(cls, "_parameter_constraints", {}).items()
        if constraints != "no_validation"
    ]


@pytest.fixture(scope="module")
def data():
    X, y = small_data()
    return X[:100], y[:100]


# As scikit-learn's check_param_validation: every fitting method validates.
FIT_METHODS = ("fit", "partial_fit", "fit_transform", "fit_predict")


def _rejects_at_set_params_or_fit(estimator, param, value, fit, owner, what):
    def action():
        estimator.set_params(**{param: value})
        fit()

    _assert_rejects(action, param, owner, what, value)


@pytest.mark.filterwarnings("ignore:TypeError occurred during set_params:UserWarning")
@pytest.mark.parametrize("name, cls, param", _estimator_cases(ESTIMATORS))
def test_estimator_rejects_bad_params(name, cls, param, data):
    constraints = cls._parameter_constraints[param]
    _check_no_mixed_intervals(param, constraints, cls.__name__)
    template = make_small_instance(cls)
    methods = [method for method in FIT_METHODS if hasattr(template, method)]
    for what, value in _bad_values(constraints):
        for method in methods:
            estimator = clone(template)
            _rejects_at_set_params_or_fit(
                estimator, param, value, lambda: getattr(estimator, method)(*data),
                f"{cls.__name__}", f"{what} (then {method})",
            )


@pytest.mark.parametrize("name, cls, param", _estimator_cases(PARAMETER_OBJECTS))
def test_training_method_rejects_bad_params_when_the_network_fits(name, cls, param, data):
    constraints = cls._parameter_constraints[param]
    _check_no_mixed_intervals(param, constraints, cls.__name__)
    template = make_small_instance(cls)
    for what, value in _bad_values(constraints):
        for method in ("fit", "partial_fit"):
            training_method = clone(template)
            _rejects_at_set_params_or_fit(
                training_method, param, value,
                lambda: getattr(small_net(method=training_method), method)(*data),
                cls.__name__, f"{what} (then SBNetClassifier(method=...).{method})",
            )
