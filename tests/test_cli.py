"""The sklearn-sb command line."""

import subprocess
import sys

import pytest

from sklearn_sb._cli import main


def test_describe_summarizes_the_blocks_of_a_dataset(capsys):
    assert main(["describe", "lms5", "--n-samples", "2000", "--n-features", "10"]) == 0
    out = capsys.readouterr().out
    assert "2000 samples x 10 features" in out
    assert "1000 negative, 1000 positive" in out
    assert "slab-5" in out and "linear" in out
    assert "A single threshold separates the classes on: S." in out


def test_describe_says_when_no_block_is_linearly_separable(capsys):
    main(["describe", "ms57", "--n-samples", "2000", "--n-features", "5"])
    assert "separates the classes on: no block." in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["describe", "lms9"], "invalid choice: 'lms9'"),
        (["describe", "lms5", "--n-samples", "1"], "must be >= 2"),
        (["describe", "lms5", "--n-features", "ten"], "expected an integer"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "required"),
    ],
)
def test_bad_arguments_exit_non_zero_with_a_message(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code != 0
    assert message in capsys.readouterr().err


def test_python_dash_m_runs_the_command_line():
    result = subprocess.run(
        [sys.executable, "-m", "sklearn_sb", "describe", "lsn", "--n-samples", "100"],
        capture_output=True, text=True, check=True,
    )
    assert "lsn: LSN" in result.stdout
