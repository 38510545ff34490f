"""make_decorrelated: fresh rows of a synthetic dataset whose simple block no longer predicts."""

import numpy as np
import pytest
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_sb import make_lms, make_lsn, make_slabs
from sklearn_sb.datasets import make_decorrelated


def _unrotated(X, data):
    return X if data.rotation is None else X @ data.rotation.T


@pytest.mark.parametrize("make", [
    lambda: make_lms(3000, 8, random_state=0, return_X_y=False),
    lambda: make_slabs(3000, 8, random_state=0, return_X_y=False),
    lambda: make_lsn(3000, 8, random_state=0, return_X_y=False),
    lambda: make_lms(3000, 8, correlation=0.9, rotate=False, random_state=0, return_X_y=False),
])
def test_s_no_longer_predicts_the_label_and_s_complement_still_does(make):
    data = make()
    X, y = make_decorrelated(data, 3000, labeled=True, random_state=0)
    assert X.shape == (3000, 8) and y.shape == (3000,)
    Z, Z_train = _unrotated(X, data), _unrotated(data.X, data)
    simple, complex_ = data.simple_features, data.complex_features
    on_s = DecisionTreeClassifier(max_depth=3).fit(Z_train[:, simple], data.y)
    on_complex = DecisionTreeClassifier(random_state=0).fit(Z_train[:, complex_], data.y)
    # The training rows' S predicts their labels; on the decorrelated rows it
    # is at chance, while S^c (in the same rotation) predicts as well as on
    # fresh rows of the dataset.
    assert on_s.score(Z_train[:, simple], data.y) > 0.85
    assert abs(on_s.score(Z[:, simple], y) - 0.5) < 0.05
    assert on_complex.score(Z[:, complex_], y) > 0.85
    assert not np.allclose(X[:10], data.X[:10])


def test_unlabeled_by_default_and_drawn_by_random_state():
    data = make_lms(500, 6, random_state=0, return_X_y=False)
    X_ood = make_decorrelated(data, 200, random_state=3)
    assert isinstance(X_ood, np.ndarray) and X_ood.shape == (200, 6)
    np.testing.assert_array_equal(X_ood, make_decorrelated(data, 200, random_state=3))
    assert not np.allclose(X_ood, make_decorrelated(data, 200, random_state=4))


def test_what_is_not_a_synthetic_dataset_is_refused_saying_what_it_takes():
    with pytest.raises(ValueError, match="synthetic dataset.*make_lms.*return_X_y=False"):
        make_decorrelated({"images": np.zeros((2, 3)), "target": [0, 1]}, 10)
    with pytest.raises(InvalidParameterError, match="'data'"):
        make_decorrelated(make_lms(100, 5, random_state=0), 10)
    with pytest.raises(InvalidParameterError, match="'n_samples'"):
        make_decorrelated(make_lms(100, 5, random_state=0, return_X_y=False), 1)
