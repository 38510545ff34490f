"""The dataset family is usable by name in the recipes (on the served tiny sources)."""

import json

import pytest

from sklearn_sb._cli import main
from sklearn_sb.experiments import run_experiment


@pytest.mark.parametrize("name", ["mf-dominoes", "collages"])
def test_an_image_recipe_runs_on_another_dataset_of_the_family(torchvision_sources, tmp_path,
                                                               name):
    code = main(["reproduce", "mnist-cifar", "--quick", "--dataset", name, "--no-progress",
                 "--data-home", str(tmp_path / "data"), "--out", str(tmp_path / "out")])
    assert code == 0
    summary = json.loads((tmp_path / "out" / "results.json").read_text())
    assert summary["dataset"] == name
    assert 0 <= summary["results"]["S-randomized accuracy"] <= 1


def test_colored_mnist_has_no_block_for_the_recipes_that_randomize_s(torchvision_sources,
                                                                      tmp_path):
    with pytest.raises(ValueError, match="colored-mnist has no block of columns for S"):
        run_experiment("mnist-cifar", dataset="colored-mnist", size="quick", progress=False,
                       data_home=tmp_path)
