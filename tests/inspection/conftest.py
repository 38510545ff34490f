import matplotlib
import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from sklearn_sb import make_lms

matplotlib.use("Agg")


class UnrotatedRule(ClassifierMixin, BaseEstimator):
    """A hand-made model: a fixed rule on one unrotated coordinate.

    ``rule='simple'`` is the linear rule ``z > 0``; ``rule='complex'`` the
    5-slab rule (positive slabs at +-[0.32, 0.56]).
    """

    def __init__(self, rotation=None, rule="simple", coordinate=None):
        self.rotation = rotation
        self.rule = rule
        self.coordinate = coordinate

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        return self

    def decision_function(self, X):
        Z = np.asarray(X) @ self.rotation.T
        if self.rule == "simple":
            return Z[:, 0 if self.coordinate is None else self.coordinate]
        z = Z[:, 1 if self.coordinate is None else self.coordinate]
        return np.where(np.abs(np.abs(z) - 0.44) <= 0.12, 1.0, -1.0) + 0.01 * z

    def predict(self, X):
        return (self.decision_function(X) > 0).astype(int)


@pytest.fixture(scope="session")
def rule_model():
    return UnrotatedRule


@pytest.fixture(scope="session")
def lms_data():
    return make_lms(4000, 10, random_state=0, return_X_y=False)


@pytest.fixture(scope="session")
def simple_rule(lms_data):
    return UnrotatedRule(lms_data.rotation, "simple").fit(lms_data.X, lms_data.y)


@pytest.fixture(scope="session")
def complex_rule(lms_data):
    return UnrotatedRule(lms_data.rotation, "complex").fit(lms_data.X, lms_data.y)
