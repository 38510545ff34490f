import matplotlib
import pytest
from sklearn.model_selection import train_test_split

from sklearn_sb import SBNetClassifier, make_lms

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def lms():
    """LMS-5 in 50 dimensions, split, and its dataset Bunch."""
    data = make_lms(12_000, 50, random_state=0, return_X_y=False)
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=2000, random_state=0
    )
    return data, X_train, X_test, y_train, y_test


@pytest.fixture(scope="session")
def fcn_200_1(lms):
    """The paper's UAP model, FCN(200, 1), SGD lr 0.1, weight decay 5e-4."""
    _, X_train, _, y_train, _ = lms
    return SBNetClassifier(
        module__width=200, module__depth=1, optimizer__weight_decay=5e-4, max_epochs=20,
        target_loss=0.01, random_state=0,
    ).fit(X_train, y_train)
