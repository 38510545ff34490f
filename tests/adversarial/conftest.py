import matplotlib
import pytest
from sklearn_sb import SBNetClassifier

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def fcn_200_1(lms):
    """The paper's UAP model, FCN(200, 1), SGD lr 0.1, weight decay 5e-4."""
    _, X_train, _, y_train, _ = lms
    return SBNetClassifier(
        module__width=200, module__depth=1, optimizer__weight_decay=5e-4, max_epochs=20,
        target_loss=0.01, random_state=0,
    ).fit(X_train, y_train)
