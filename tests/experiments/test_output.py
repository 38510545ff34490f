"""Results replace an output directory as a whole, and only one that may be replaced."""

import json

import pytest

from sklearn_sb._cli import main
from sklearn_sb.experiments import run_experiment
from sklearn_sb.experiments._output import check_output_directory, staged_directory
from sklearn_sb.utils._files import umask_mode


def test_a_reused_directory_keeps_no_file_of_the_previous_experiment(tmp_path):
    out = tmp_path / "out"
    run_experiment("lms5", size="quick", out=out, progress=False)
    assert (out / "boundary.png").exists()
    run_experiment("theorem1", size="quick", out=out, progress=False)
    names = {path.name for path in out.iterdir()}
    assert "boundary.png" not in names and "weights.png" in names
    assert json.loads((out / "results.json").read_text())["experiment"] == "theorem1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_error_while_writing_leaves_nothing_half_written(tmp_path):
    out = tmp_path / "out"
    with pytest.raises(RuntimeError), staged_directory(out) as staging:
        (staging / "results.csv").write_text("partial")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_results_are_ordinary_files_for_the_umask(tmp_path):
    with staged_directory(tmp_path / "out") as staging:
        (staging / "results.json").write_text("{}")
    assert (tmp_path / "out").stat().st_mode & 0o777 == umask_mode(0o777)


@pytest.mark.parametrize("name", ["", "."])
def test_the_current_directory_is_refused(name):
    with pytest.raises(ValueError, match="current directory"):
        check_output_directory(name)


def test_a_directory_of_other_files_is_refused_before_any_work(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(ValueError, match="not an experiment's results"):
        run_experiment("theorem1", size="quick", out=tmp_path, progress=False)
    assert (tmp_path / "thesis.tex").read_text() == "precious"


def test_a_file_is_refused(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ValueError, match="not a directory"):
        check_output_directory(tmp_path / "f")


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--out", ""], "argument --out: expected a directory name"),
        (["--out", "   "], "argument --out: expected a directory name"),
        (["--seed", "-1"], "argument --seed: must be >= 0"),
        (["--seed", str(2**32)], "argument --seed: must be <= 2**32 - 1"),
        (["--seed", "1.5"], "argument --seed: expected an integer"),
    ],
)
def test_bad_arguments_are_refused_by_the_parser(argv, message, capsys, tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main(["reproduce", "theorem1", "--quick", *argv])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_a_directory_of_other_files_is_refused_by_the_parser(tmp_path, capsys):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(SystemExit) as exit_info:
        main(["reproduce", "theorem1", "--quick", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "argument --out" in capsys.readouterr().err


def test_cuda_without_a_gpu_is_refused_before_any_work(monkeypatch, capsys):
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(SystemExit) as exit_info:
        main(["reproduce", "theorem1", "--quick", "--device", "cuda"])
    assert exit_info.value.code == 2
    assert "torch sees no CUDA device" in capsys.readouterr().err
