"""architectures: FCN, CNN and GRU all rely on S and share one transferable UAP."""

import numpy as np
import pytest


MODELS = ["FCN(100, 2)", "CNN", "GRU"]


@pytest.fixture(scope="module")
def quick(quick_runs):
    return quick_runs("architectures")[0]


def test_every_architecture_relies_on_s_alone(quick):
    table = quick.tables["architectures"].loc["lms5"]
    assert list(table.index) == MODELS
    assert (table["S-randomized AUC"] < 0.6).all()
    assert (table["standard AUC"] - table["S^c-randomized AUC"] <= 0.05).all()
    assert (table["standard AUC"] >= 0.8).all()


def test_their_uaps_lie_on_s_and_point_the_same_way(quick):
    table = quick.tables["architectures"].loc["lms5"]
    assert (table["UAP budget on S"] >= 0.9).all()
    cosine = quick.tables["uap cosine (lms5)"]
    assert list(cosine.index) == list(cosine.columns) == MODELS
    np.testing.assert_allclose(np.diag(cosine), 1.0)
    np.testing.assert_allclose(cosine, cosine.T)
    assert cosine.to_numpy().min() > 0.9
    assert quick.results["min UAP cosine similarity across models (lms5)"] > 0.9


def test_each_uap_fools_the_other_models(quick):
    transfer = quick.tables["uap transfer (lms5)"]
    assert transfer.index.name == "UAP of" and transfer.columns.name == "accuracy of"
    accurate = quick.tables["architectures"].loc["lms5", "test accuracy"]
    # Accuracy falls well below each model's clean accuracy under every UAP.
    assert (transfer < accurate.to_numpy()[None, :] - 0.3).to_numpy().all()
