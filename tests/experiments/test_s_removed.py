"""s-removed: trained with S randomized, networks learn S^c (the paper's control)."""

import json

import pytest

from sklearn_sb._cli import main


@pytest.fixture(scope="module")
def quick(quick_runs):
    return quick_runs("s-removed")[0]


def test_without_s_the_network_learns_s_c(quick):
    row = quick.tables["s-removed"].loc["lms5"]
    assert row["S^c accuracy (S randomized)"] > 0.95
    assert quick.results["S^c accuracy, S removed (lms5)"] == row["S^c accuracy (S randomized)"]


def test_it_then_depends_on_s_c(quick):
    row = quick.tables["s-removed"].loc["lms5"]
    assert row["S^c-randomized accuracy"] < 0.6


def test_mnist_cifar_is_skipped_with_a_note_when_not_cached(quick, quick_runs):
    assert list(quick.tables["s-removed"].index) == ["lms5"]
    assert len(quick.notes) == 1
    assert quick.notes[0].startswith("mnist-cifar: skipped")
    assert not (quick_runs.data_home / "image_sources").exists()


def test_mnist_cifar_block_alone_on_tiny_sources(torchvision_sources, tmp_path, capsys):
    code = main(["reproduce", "s-removed", "--quick", "--dataset", "mnist-cifar",
                 "--no-progress", "--data-home", str(tmp_path / "data"),
                 "--out", str(tmp_path / "out")])
    assert code == 0
    summary = json.loads((tmp_path / "out" / "results.json").read_text())
    assert summary["dataset"] == "mnist-cifar"
    assert "S^c accuracy, S removed (mnist-cifar)" in summary["results"]
    assert (tmp_path / "out" / "s-removed.png").exists()
