"""s_removed_control: a clone trained where S says nothing about the label."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.neighbors import KNeighborsClassifier
from sklearn.tree import DecisionTreeClassifier

from sklearn_sb import make_lms
from sklearn_sb.inspection import s_removed_control


@pytest.fixture(scope="module")
def lms():
    data = make_lms(3000, 3, random_state=0, return_X_y=False)
    return data, (data.X[:2000], data.y[:2000], data.X[2000:], data.y[2000:])


class _RecordingTree(ClassifierMixin, BaseEstimator):
    """A decision tree that keeps the rows it was fitted on."""

    def fit(self, X, y):
        self.X_fit_ = X.copy()
        self.tree_ = DecisionTreeClassifier(random_state=0).fit(X, y)
        self.classes_ = self.tree_.classes_
        self.n_features_in_ = X.shape[1]
        return self

    def predict_proba(self, X):
        return self.tree_.predict_proba(X)

    def predict(self, X):
        return self.tree_.predict(X)


def test_the_training_rows_have_s_moved_as_a_block_and_s_c_kept(lms):
    data, (X_train, y_train, X_test, y_test) = lms
    result = s_removed_control(_RecordingTree(), X_train, y_train, X_test, y_test,
                               simple_features=data, metrics="accuracy", random_state=0)
    Z, Z_fit = X_train @ data.rotation.T, result.estimator.X_fit_ @ data.rotation.T
    np.testing.assert_allclose(Z_fit[:, 1:], Z[:, 1:], atol=1e-10)
    assert sorted(np.round(Z_fit[:, 0], 10)) == sorted(np.round(Z[:, 0], 10))
    agreement = np.mean(np.sign(Z_fit[:, 0]) == 2 * y_train - 1)
    assert abs(agreement - 0.5) < 0.05


def test_the_model_learns_the_complex_block_and_the_ceiling_is_its_s_randomized_score(lms):
    data, split = lms
    result = s_removed_control(KNeighborsClassifier(), *split, simple_features=data,
                               random_state=0)
    scores = result.scores
    assert result.ceiling == {"accuracy": scores.loc["S-randomized", "accuracy_mean"],
                              "roc_auc": scores.loc["S-randomized", "roc_auc_mean"]}
    assert result.ceiling["accuracy"] > 0.95
    assert scores.loc["S^c-randomized", "roc_auc_mean"] < 0.6


def test_the_estimator_given_is_cloned_and_left_unfitted(lms):
    data, split = lms
    estimator = KNeighborsClassifier()
    result = s_removed_control(estimator, *split, simple_features=data, random_state=0)
    assert result.estimator is not estimator
    assert not hasattr(estimator, "n_features_in_")


def test_the_same_random_state_gives_the_same_result(lms):
    data, split = lms
    first, second = (s_removed_control(_RecordingTree(), *split, simple_features=data,
                                       random_state=3) for _ in range(2))
    np.testing.assert_array_equal(first.estimator.X_fit_, second.estimator.X_fit_)
    assert first.scores.equals(second.scores)


def test_indices_and_a_rotation_work_like_the_dataset_bunch(lms):
    data, split = lms
    by_bunch = s_removed_control(KNeighborsClassifier(), *split, simple_features=data,
                                 random_state=0)
    by_indices = s_removed_control(KNeighborsClassifier(), *split, simple_features=[0],
                                   rotation=data.rotation, random_state=0)
    assert by_bunch.scores.equals(by_indices.scores)
