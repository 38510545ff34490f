"""The hyperparameter search: settings drawn from the methods' declared distributions."""

import json
from numbers import Number

import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.frozen import FrozenEstimator

from sklearn_sb import SBNetClassifier
from sklearn_sb.experiments._benchmark import (
    SIZES,
    available_benchmark_methods,
    benchmark_dataset,
    method_factory,
)
from sklearn_sb.experiments._search import (
    NETWORK_HYPERPARAMETERS,
    EpochShares,
    describe_distribution,
    hyperparameter_draws,
    hyperparameter_table,
)
from sklearn_sb.mitigation import DBATClassifier, DFRClassifier, available_methods
from sklearn_sb.utils._param_validation import InvalidParameterError

METHODS = available_benchmark_methods()


def benchmark_model(name):
    """The model the benchmark builds for ``name`` on LMS-5 at the quick size."""
    return method_factory(name)(SIZES["quick"], benchmark_dataset("lms5", "quick"))


def declared(model):
    """Every searched path of ``model`` to its distribution, found independently."""
    params = model.get_params(deep=True)
    owners = {"": model, **{f"{path}__": value for path, value in params.items()
                            if isinstance(value, BaseEstimator)}}
    paths = {}
    for prefix, owner in owners.items():
        paths.update({prefix + name: distribution
                      for name, distribution in getattr(owner, "hyperparameters", {}).items()})
        if isinstance(owner, SBNetClassifier):
            paths.update({prefix + name: distribution
                          for name, distribution in NETWORK_HYPERPARAMETERS.items()})
    return paths


def within(value, distribution, budget=None):
    if isinstance(distribution, EpochShares):
        return value in {max(1, round(share * budget)) for share in distribution}
    if isinstance(distribution, list):
        return value in distribution
    low, high = distribution.support()
    return low <= value <= high


def test_the_benchmark_builds_every_method_searched_here():
    assert METHODS == ["erm", *available_methods()]


@pytest.mark.parametrize("name", METHODS)
def test_the_first_setting_is_the_defaults(name):
    model = benchmark_model(name)
    assert hyperparameter_draws(model, 1) == [{}]
    draws = hyperparameter_draws(model, 5, random_state=3)
    assert len(draws) == 5
    assert draws[0] == {}
    assert all(draws[1:])


@pytest.mark.parametrize("name", METHODS)
def test_every_drawn_setting_is_accepted_by_the_built_model(name):
    model = benchmark_model(name)
    for draw in hyperparameter_draws(model, 20, random_state=0):
        params = clone(model).set_params(**draw).get_params(deep=True)
        assert {path: params[path] for path in draw} == draw


@pytest.mark.parametrize("name", METHODS)
def test_a_setting_draws_exactly_the_declared_paths_within_their_distributions(name):
    model = benchmark_model(name)
    paths = declared(model)
    params = model.get_params(deep=True)
    for draw in hyperparameter_draws(model, 50, random_state=0)[1:]:
        assert set(draw) == set(paths)
        for path, value in draw.items():
            assert within(value, paths[path], params.get(path)), (path, value)


def test_the_epochs_drawn_are_shares_of_the_networks_budget():
    model = SBNetClassifier(max_epochs=40)
    epochs = {draw["max_epochs"] for draw in hyperparameter_draws(model, 30)[1:]}
    assert epochs == {20, 30, 40}
    assert hyperparameter_draws(SBNetClassifier(max_epochs=1), 5)[1]["max_epochs"] == 1


@pytest.mark.parametrize("name", METHODS)
def test_a_setting_changes_only_the_methods_and_the_networks_hyperparameters(name):
    model = benchmark_model(name)
    # The settings (objects such as callbacks are copied by clone).
    before = {path: value for path, value in clone(model).get_params(deep=True).items()
              if isinstance(value, (Number, str, tuple, type, type(None)))}
    for draw in hyperparameter_draws(model, 10, random_state=1)[1:]:
        after = clone(model).set_params(**draw).get_params(deep=True)
        changed = {path for path, value in before.items() if after[path] != value}
        assert changed and changed <= set(draw)


def test_the_methods_knobs_and_the_networks_are_both_drawn():
    network = {"lr", "batch_size", "max_epochs"}
    assert set(hyperparameter_draws(benchmark_model("d-bat"), 2)[1]) == {
        "alpha", *(f"estimator__{name}" for name in network)}
    assert set(hyperparameter_draws(benchmark_model("spectral-decoupling"), 2)[1]) == {
        "method__strength", *network}
    assert set(hyperparameter_draws(benchmark_model("erm"), 2)[1]) == network
    # No method knob: the network's hyperparameters only.
    assert set(hyperparameter_draws(benchmark_model("logit-ensemble"), 2)[1]) == {
        f"estimator__{name}" for name in network}


def test_the_same_seed_gives_the_same_settings_whatever_else_is_drawn():
    first = hyperparameter_draws(benchmark_model("d-bat"), 10, random_state=7)
    for name in METHODS:
        hyperparameter_draws(benchmark_model(name), 10, random_state=7)
    assert hyperparameter_draws(benchmark_model("d-bat"), 10, random_state=7) == first
    assert hyperparameter_draws(benchmark_model("d-bat"), 10, random_state=8) != first


def test_settings_are_plain_json_values_to_four_significant_digits():
    draws = hyperparameter_draws(benchmark_model("divdis"), 20, random_state=0)
    assert json.loads(json.dumps(draws)) == draws
    for draw in draws:
        for value in draw.values():
            assert type(value) in (int, float)
            assert value == float(f"{value:.4g}")


def test_dbat_alpha_spans_its_declared_log_uniform_range():
    alphas = [draw["alpha"] for draw in
              hyperparameter_draws(benchmark_model("d-bat"), 201, random_state=0)[1:]]
    assert len(alphas) == 200
    assert all(0.01 <= alpha <= 10 for alpha in alphas)
    # Log-uniform: about a third of the draws in each decade.
    assert 40 < sum(alpha < 0.1 for alpha in alphas) < 95
    assert 40 < sum(alpha > 1 for alpha in alphas) < 95


def test_the_networks_range_holds_the_benchmarks_default_setting():
    network = benchmark_dataset("lms5", "quick").network
    low, high = NETWORK_HYPERPARAMETERS["lr"].support()
    assert low <= network.lr <= high
    assert network.batch_size in NETWORK_HYPERPARAMETERS["batch_size"]
    draws = hyperparameter_draws(network, 100, random_state=0)[1:]
    assert {draw["batch_size"] for draw in draws} == {128, 256, 512}


def test_a_network_that_occurs_twice_gets_the_same_values():
    model = DBATClassifier(SBNetClassifier(), later_estimator=SBNetClassifier(lr=0.01))
    for draw in hyperparameter_draws(model, 10, random_state=0)[1:]:
        assert draw["estimator__lr"] == draw["later_estimator__lr"]
        assert draw["estimator__batch_size"] == draw["later_estimator__batch_size"]


def test_a_frozen_network_draws_nothing():
    model = DFRClassifier(FrozenEstimator(SBNetClassifier()))
    assert hyperparameter_draws(model, 3, random_state=0) == [{}, {}, {}]


@pytest.mark.parametrize("params, match", [
    ({"n_draws": 0}, "'n_draws' parameter"),
    ({"n_draws": 2, "random_state": -1}, "'random_state' parameter"),
    ({"n_draws": 2, "random_state": None}, "'random_state' parameter"),
])
def test_invalid_parameters_are_refused(params, match):
    with pytest.raises(InvalidParameterError, match=match):
        hyperparameter_draws(SBNetClassifier(), **params)


def test_the_table_lists_erm_and_every_registered_method():
    table = hyperparameter_table()
    assert list(table.columns) == ["method", "class", "parameter", "distribution"]
    assert set(table["method"]) == {"erm", *available_methods()}
    rows = table.set_index(["method", "parameter"])["distribution"]
    assert rows[("erm", "lr")] == "log-uniform [0.02, 0.2]"
    assert rows[("erm", "batch_size")] == "one of 128, 256, 512"
    assert rows[("d-bat", "alpha")] == "log-uniform [0.01, 10]"
    assert rows[("dfr", "")] == "none declared"
    for method in available_methods():
        model = benchmark_model(method)
        owner = model.method if isinstance(model, SBNetClassifier) else model
        for name, distribution in owner.hyperparameters.items():
            assert rows[(method, name)] == describe_distribution(distribution)
