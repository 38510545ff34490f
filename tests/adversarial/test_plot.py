"""PerturbationDisplay renders bars and images on an Agg canvas."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from sklearn_sb.adversarial import PerturbationDisplay, UniversalPerturbation


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_bars_over_unrotated_coordinates(fcn_200_1, lms):
    data, X_train, _, y_train, _ = lms
    uap = UniversalPerturbation(fcn_200_1, eps=1.0, random_state=0).fit(X_train[:1000], y_train[:1000])
    display = PerturbationDisplay.from_estimator(uap, simple_features=data)
    heights = np.array([patch.get_height() for patch in display.ax_.patches])
    np.testing.assert_allclose(heights, uap.perturbation_ @ data.rotation.T, atol=1e-6)
    assert np.argmax(np.abs(heights)) == 0
    display.figure_.canvas.draw()


def test_image_of_an_image_perturbation():
    class Fitted:
        perturbation_ = np.random.RandomState(0).randn(3 * 64 * 32)

    display = PerturbationDisplay.from_estimator(Fitted(), image_shape=(3, 64, 32))
    image = display.ax_.get_images()[0].get_array()
    assert image.shape == (64, 32, 3) and image.min() >= 0 and image.max() <= 1
    display.figure_.canvas.draw()
