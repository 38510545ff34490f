"""Every registered method declares the hyperparameters a random search draws, validly."""

import pytest

from sklearn_sb.mitigation import BaseNetworkEnsemble, TrainingMethod, available_methods
from sklearn_sb.mitigation._registry import method_entry

# Methods without a knob to search: DFR tunes its C inside fit, the logit
# ensemble has none.
UNTUNED = {"dfr", "logit-ensemble"}


def test_the_base_classes_declare_nothing():
    assert TrainingMethod.hyperparameters == {}
    assert BaseNetworkEnsemble.hyperparameters == {}


@pytest.mark.parametrize("name", available_methods())
def test_declared_hyperparameters_are_constructor_parameters(name):
    method = method_entry(name).make()
    assert set(method.hyperparameters) <= set(method.get_params(deep=False))
    assert bool(method.hyperparameters) == (name not in UNTUNED)


@pytest.mark.parametrize("name", available_methods())
def test_every_distribution_is_a_list_or_can_be_sampled(name):
    for distribution in method_entry(name).cls.hyperparameters.values():
        assert (isinstance(distribution, list) and distribution) or hasattr(distribution, "rvs")


@pytest.mark.parametrize("name", available_methods())
def test_drawn_values_are_valid_parameters(name):
    method = method_entry(name).make()
    for param, distribution in method.hyperparameters.items():
        values = distribution if isinstance(distribution, list) else \
            distribution.rvs(size=20, random_state=0).tolist() + list(distribution.support())
        for value in values:
            method.set_params(**{param: value})._validate_params()
