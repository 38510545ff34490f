"""The mitigation recipes end to end on the served tiny sources, at their quick size.

Where MNIST and CIFAR-10 exist, the same commands at their default or full
size are the whole reproduction: the recipes read their data from
``--data-home`` like ``mnist-cifar``.
"""

import json

import pytest

from sklearn_sb._cli import main
from sklearn_sb.experiments import RECIPES


def _reproduce(name, tmp_path):
    code = main(["reproduce", name, "--quick", "--no-progress",
                 "--data-home", str(tmp_path / "data"), "--out", str(tmp_path / "out")])
    assert code == 0
    return json.loads((tmp_path / "out" / "results.json").read_text())


def test_mnist_cifar_dbat_scores_both_members(torchvision_sources, tmp_path):
    summary = _reproduce("mnist-cifar-dbat", tmp_path)
    results = summary["results"]
    for member in (1, 2):
        assert 0 <= results[f"member {member}: S-randomized accuracy (mean)"] <= 1
    assert summary["paper"]["member 2: S-randomized accuracy (mean)"] == "0.733 +- 0.012"
    assert (tmp_path / "out" / "dbat.png").exists()


def test_cmnist_sd_scores_erm_and_spectral_decoupling(torchvision_sources, tmp_path):
    summary = _reproduce("cmnist-sd", tmp_path)
    results = summary["results"]
    for model in ("ERM", "spectral decoupling"):
        for column in ("train accuracy", "test accuracy"):
            assert 0 <= results[f"{model}: {column} (mean)"] <= 1
    assert (tmp_path / "out" / "cmnist-sd.png").exists()


def test_the_dbat_members_follow_the_authors_optimizers():
    import torch

    from sklearn_sb.experiments._dbat_dominoes import _members
    from sklearn_sb.experiments._runner import resolve_options

    options = resolve_options("mnist-cifar-dbat", RECIPES["mnist-cifar-dbat"], "default")
    first, later = _members(options.steps["dbat_dominoes"], 8000, (3, 64, 32))
    assert first.optimizer is torch.optim.SGD and first.optimizer__momentum == 0.9
    assert later.optimizer is torch.optim.AdamW
    schedule = dict(first.callbacks)["lr"]
    assert schedule.kwargs["step_size_up"] == 32 * 50 // 2
    assert (schedule.kwargs["base_lr"], schedule.kwargs["max_lr"]) == (0.0, 1e-3)


@pytest.mark.parametrize("name", ["mnist-cifar-dbat", "cmnist-sd"])
def test_without_the_data_the_recipe_says_how_to_get_it(tmp_path, capsys, name):
    code = main(["reproduce", name, "--quick", "--no-download", "--no-progress",
                 "--data-home", str(tmp_path), "--out", str(tmp_path / "out")])
    assert code == 1
    assert "download_if_missing" in capsys.readouterr().err
