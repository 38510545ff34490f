"""Results replace an output directory as a whole, and only one that may be replaced."""

import json

import matplotlib
import pandas as pd
import pytest

from sklearn_sb._cli import main
from sklearn_sb.experiments import run_experiment
from sklearn_sb.experiments._output import (
    check_output_directory,
    staged_directory,
    write_results,
)
from sklearn_sb.utils._files import umask_mode

matplotlib.use("Agg")


def _figure():
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    ax.plot([0, 1], [1, 0])
    return figure


_TABLE = pd.DataFrame({"score": [0.5, 0.75]}, index=pd.Index(["a", "b"], name="model"))


def test_the_writer_writes_the_summary_tables_and_figures(tmp_path):
    out = tmp_path / "out"
    paths = write_results(out, {"experiment": "demo", "seed": 3},
                          {"scores.csv": _TABLE, "rows.csv": _TABLE.reset_index()},
                          {"scores.png": _figure()}, tables_without_index=["rows.csv"])
    assert [path.name for path in paths] == ["results.json", "scores.csv", "rows.csv",
                                             "scores.png"]
    assert paths == [out / path.name for path in paths]
    assert json.loads((out / "results.json").read_text()) == {
        "experiment": "demo", "seed": 3,
        "files": ["results.json", "scores.csv", "rows.csv", "scores.png"]}
    assert (out / "scores.csv").read_text() == "model,score\na,0.5\nb,0.75\n"
    assert (out / "rows.csv").read_text() == "model,score\na,0.5\nb,0.75\n"
    assert (out / "scores.png").read_bytes().startswith(b"\x89PNG")


def test_the_writer_replaces_earlier_results_as_a_whole(tmp_path):
    out = tmp_path / "out"
    write_results(out, {"experiment": "first"}, {"old.csv": _TABLE}, {"old.png": _figure()})
    write_results(out, {"experiment": "second"}, {"new.csv": _TABLE})
    assert sorted(path.name for path in out.iterdir()) == ["new.csv", "results.json"]
    assert json.loads((out / "results.json").read_text())["experiment"] == "second"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_a_failure_while_writing_leaves_the_previous_results(tmp_path):
    out = tmp_path / "out"
    write_results(out, {"experiment": "first"}, {"scores.csv": _TABLE})
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    broken = _figure()
    broken.savefig = lambda *args, **kwargs: (_ for _ in ()).throw(OSError("disk full"))
    with pytest.raises(OSError, match="disk full"):
        write_results(out, {"experiment": "second"}, {"scores.csv": _TABLE * 2},
                      {"broken.png": broken})
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize(
    "summary, tables, figures, match",
    [
        ({"seed": 0}, {}, {}, "'experiment' key"),
        ({"experiment": "demo"}, {"scores": _TABLE}, {}, "'scores' is not a file name ending"),
        ({"experiment": "demo"}, {"../scores.csv": _TABLE}, {}, "not a file name"),
        ({"experiment": "demo"}, {}, {"plot.pdf": None}, "ending in '.png'"),
    ],
)
def test_the_writer_refuses_what_it_cannot_write_before_writing(tmp_path, summary, tables,
                                                                figures, match):
    with pytest.raises(ValueError, match=match):
        write_results(tmp_path / "out", summary, tables, figures)
    assert list(tmp_path.iterdir()) == []


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


def _earlier_results(out):
    write_results(out, {"experiment": "first"}, {"scores.csv": _TABLE})
    return {path.name: path.read_bytes() for path in out.iterdir()}


@pytest.mark.parametrize("foreign", [
    "notes.txt",            # a file of the user's beside the results
    "scores.csv.bak",       # named like the results, but not theirs
    "figures/",             # a folder
])
def test_a_file_the_results_did_not_list_keeps_the_directory_from_being_replaced(tmp_path,
                                                                                foreign):
    out = tmp_path / "out"
    before = _earlier_results(out)
    if foreign.endswith("/"):
        (out / foreign).mkdir()
        (out / foreign / "plot.png").write_text("mine")
    else:
        (out / foreign).write_text("mine")
    with pytest.raises(ValueError, match=f"holds earlier results and also {foreign.rstrip('/')}"
                                         ".*move those out"):
        write_results(out, {"experiment": "second"}, {"new.csv": _TABLE})
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == {
        **before, **({} if foreign.endswith("/") else {foreign: b"mine"})}


def test_results_written_before_they_listed_their_files_are_replaced_only_alone(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "results.json").write_text(json.dumps({"experiment": "old"}))
    (out / "scores.csv").write_text("whose?")
    with pytest.raises(ValueError, match="also scores.csv"):
        check_output_directory(out)
    (out / "scores.csv").unlink()
    write_results(out, {"experiment": "new"}, {"new.csv": _TABLE})
    assert sorted(p.name for p in out.iterdir()) == ["new.csv", "results.json"]


def test_a_symlink_in_place_of_a_listed_file_is_not_the_runs(tmp_path):
    out = tmp_path / "out"
    _earlier_results(out)
    (tmp_path / "precious.csv").write_text("mine")
    (out / "scores.csv").unlink()
    (out / "scores.csv").symlink_to(tmp_path / "precious.csv")
    with pytest.raises(ValueError, match="also scores.csv"):
        check_output_directory(out)
    assert (tmp_path / "precious.csv").read_text() == "mine"


def test_the_files_key_is_the_writers(tmp_path):
    with pytest.raises(ValueError, match="may not have a 'files' key"):
        write_results(tmp_path / "out", {"experiment": "x", "files": []})
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [
    ["reproduce", "theorem1", "--quick"],
    ["benchmark", "--quick", "--methods", "erm", "--datasets", "lms5", "--seeds", "1"],
])
def test_both_commands_refuse_a_directory_with_a_foreign_file_before_any_work(
        tmp_path, capsys, monkeypatch, command):
    out = tmp_path / "out"
    _earlier_results(out)
    (out / "thesis.tex").write_text("precious")
    import sklearn_sb.experiments._benchmark as benchmark
    import sklearn_sb.experiments._runner as runner

    def no_work(*args, **kwargs):
        raise AssertionError("the output directory should be refused before any work")

    monkeypatch.setattr(benchmark, "run_cell", no_work)
    monkeypatch.setattr(runner, "_load_data", no_work)
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--out", str(out)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --out" in err and "thesis.tex" in err
    assert (out / "thesis.tex").read_text() == "precious"


def test_the_benchmark_function_checks_out_before_the_runs(tmp_path, monkeypatch):
    from sklearn_sb.experiments import run_benchmark
    import sklearn_sb.experiments._benchmark as benchmark

    out = tmp_path / "out"
    _earlier_results(out)
    (out / "thesis.tex").write_text("precious")
    monkeypatch.setattr(benchmark, "run_cell", lambda *a, **k: pytest.fail("a run started"))
    with pytest.raises(ValueError, match="thesis.tex"):
        run_benchmark(["erm"], ["lms5"], n_seeds=1, size="quick", out=out, progress=False)
