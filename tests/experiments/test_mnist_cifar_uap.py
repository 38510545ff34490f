"""mnist-cifar-uap: the image network's UAP, end to end on tiny served archives."""

from sklearn_sb.experiments import run_experiment


def test_the_uap_spends_its_budget_on_the_mnist_block(torchvision_sources, tmp_path):
    result = run_experiment("mnist-cifar-uap", size="quick", seed=0, progress=False,
                            data_home=tmp_path / "data", out=tmp_path / "out")
    results = result.results
    assert results["S^c-randomized accuracy"] >= 0.9
    # Half the pixels are MNIST's: a perturbation blind to the blocks would
    # put about sqrt(1/2) = 0.71 of its norm there.
    assert results["UAP budget on S (sgd)"] >= 0.9
    assert results["accuracy under UAP (sgd, l2 eps 5.0)"] <= results["test accuracy"] - 0.3
    (uap_axes,) = result.figures["uap.png"].axes
    assert uap_axes.images[0].get_array().shape == (64, 32, 3)
    assert (tmp_path / "out" / "uap.png").exists()
