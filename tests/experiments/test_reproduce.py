"""Every experiment runs in --quick mode and shows the paper's qualitative result."""

import json

import matplotlib
import pytest

from sklearn_sb._cli import main
from sklearn_sb.datasets import available_datasets
from sklearn_sb.experiments import RECIPES, run_experiment

matplotlib.use("Agg")

SYNTHETIC = [name for name, recipe in RECIPES.items()
             if not available_datasets()[recipe.dataset].needs_download]


def _number(text):
    return float(text.split()[0]) if isinstance(text, str) else text


@pytest.mark.parametrize("name", SYNTHETIC)
def test_quick_run_writes_its_table_json_and_figures(quick_runs, name):
    result, out = quick_runs(name)
    written = {path.name for path in out.iterdir()}
    assert {"results.csv", "results.json"} <= written
    assert any(name.endswith(".png") for name in written)
    summary = json.loads((out / "results.json").read_text())
    assert summary["experiment"] == name and summary["size"] == "quick"
    assert summary["results"].keys() == result.results.keys()
    assert list(result.table.columns) == ["ours", "paper"]


@pytest.mark.parametrize("name", ["lms5", "ms57", "lms5-uap", "ms57-uap", "ensembles",
                                  "adversarial"])
def test_simple_feature_carries_the_model(quick_runs, name):
    results = quick_runs(name)[0].results
    assert results["S-randomized AUC"] <= 0.6
    assert abs(results["S^c-randomized AUC"] - results["standard AUC"]) <= 0.05
    assert results["standard AUC"] >= 0.9


@pytest.mark.parametrize("name", ["lms5-uap", "ms57-uap"])
def test_universal_perturbations_spend_their_budget_on_s(quick_runs, name):
    results = quick_runs(name)[0].results
    for method in ("sgd", "svd"):
        assert results[f"UAP budget on S ({method})"] >= 0.9
        attacked = [v for k, v in results.items() if k.startswith(f"accuracy under UAP ({method}")]
        assert attacked[0] <= 0.2


def test_table2_architectures_rely_on_s(quick_runs):
    result = quick_runs("noisy-lms7")[0]
    table = result.tables["table2"]
    assert list(table.index) == ["FCN(100, 1)", "FCN(200, 2)"]
    assert (table["S-randomized"] <= 0.6).all()
    assert ((table["test"] - table["S^c-randomized"]).abs() <= 0.03).all()
    assert (table["test"] >= 0.9).all()


def test_theorem1_weights_separate(quick_runs):
    results = quick_runs("theorem1")[0].results
    assert results["linear / slab weight ratio"] >= 5
    assert results["mean |w| on the linear coordinate"] == pytest.approx(0.2, rel=0.5)


def test_paper_numbers_are_printed_beside_ours(capsys, tmp_path):
    assert main(["reproduce", "theorem1", "--quick", "--no-progress", "--out",
                 str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "ours" in out and "paper" in out and "2/sqrt(k) over the initial size" in out
    assert f"Wrote 4 files to {tmp_path}" in out


def test_counts_print_as_integers_and_scores_with_three_decimals(capsys, tmp_path):
    assert main(["reproduce", "figure3b", "--quick", "--no-progress", "--out",
                 str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    count = next(line for line in lines if line.startswith("largest n_features"))
    score = next(line for line in lines if line.startswith("max S-randomized AUC"))
    assert count.split()[2] == "50"
    assert len(score.split()[3].split(".")[1]) == 3


def test_list_names_every_experiment(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in RECIPES:
        assert name in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["reproduce", "lms6"], "invalid choice: 'lms6'"),
        (["reproduce", "lms5", "--quick", "--full"], "not allowed with argument"),
        (["reproduce", "lms5", "--device", "tpu"], "invalid choice: 'tpu'"),
        (["reproduce", "lms5", "--seed", "x"], "expected an integer, got 'x'"),
        (["reproduce"], "required"),
    ],
)
def test_bad_arguments_exit_non_zero(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_runner_rejects_unknown_names_and_sizes():
    with pytest.raises(ValueError, match=r"'name' parameter of run_experiment.*'lms5'"):
        run_experiment("lms6")
    with pytest.raises(ValueError, match="'size' parameter"):
        run_experiment("lms5", size="huge")


def test_mnist_cifar_without_data_exits_with_how_to_get_it(tmp_path, capsys):
    code = main(["reproduce", "mnist-cifar", "--quick", "--no-download", "--no-progress",
                 "--data-home", str(tmp_path / "empty"), "--out", str(tmp_path / "out")])
    assert code == 1
    assert "download_if_missing" in capsys.readouterr().err


def test_mnist_cifar_end_to_end_on_tiny_sources(torchvision_sources, tmp_path, capsys):
    code = main(["reproduce", "mnist-cifar", "--quick", "--no-progress",
                 "--data-home", str(tmp_path / "data"), "--out", str(tmp_path / "out")])
    assert code == 0
    summary = json.loads((tmp_path / "out" / "results.json").read_text())
    assert summary["experiment"] == "mnist-cifar"
    assert {"standard AUC", "S-randomized AUC", "S^c-randomized AUC"} <= summary["results"].keys()
    assert (tmp_path / "out" / "logits.png").exists()


def test_table2_search_runs_on_a_dask_cluster_with_the_same_results(tmp_path):
    serial = run_experiment("noisy-lms7", size="quick", progress=False)
    on_cluster = run_experiment("noisy-lms7", size="quick", scheduler="local:2", progress=False)
    assert on_cluster.tables["table2"].equals(serial.tables["table2"])
