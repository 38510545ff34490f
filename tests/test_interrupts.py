"""A user's interrupt ends the command line with exit code 130 and no results.

SIGINT is delivered to a real ``sklearn-sb reproduce --quick`` process, at a
chosen moment: a small wrapper sends it to its own process from inside the
training loop or from inside the writing of a figure, so the test does not
depend on timing.
"""

import json
import signal
import subprocess
import sys
import textwrap

import pytest

_RUN_WITH_INTERRUPT = textwrap.dedent("""
    import os, signal, sys
    import {module} as target

    original = target.{name}
    calls = []

    def interrupted(*args, **kwargs):
        calls.append(1)
        if len(calls) == {at_call}:
            os.kill(os.getpid(), signal.SIGINT)
        return original(*args, **kwargs)

    target.{name} = interrupted
    from sklearn_sb._cli import main
    sys.exit(main(sys.argv[1:]))
""")

MOMENTS = {
    # The second epoch of the training.
    "training": ("sklearn_sb._classifier", "SBNetClassifier.run_single_epoch", 3),
    # The first figure, after results.csv and results.json are written.
    "writing": ("matplotlib.figure", "Figure.savefig", 1),
}


def _reproduce_interrupted(moment, out, experiment="lms5"):
    module, name, at_call = MOMENTS[moment]
    owner, _, attribute = name.rpartition(".")
    code = _RUN_WITH_INTERRUPT.format(module=module, name=name, at_call=at_call)
    if owner:
        code = code.replace(f"target.{name}", f"target.{owner}.{attribute}")
    return subprocess.run(
        [sys.executable, "-c", code, "reproduce", experiment, "--quick", "--no-progress",
         "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )


@pytest.mark.parametrize("moment", MOMENTS)
def test_an_interrupt_exits_130_and_writes_no_results(tmp_path, moment):
    out = tmp_path / "results"
    result = _reproduce_interrupted(moment, out)
    assert result.returncode == 128 + signal.SIGINT, result.stderr
    assert "interrupted" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []  # no staging directory left behind


@pytest.mark.parametrize("moment", MOMENTS)
def test_an_interrupt_leaves_the_previous_results_whole(tmp_path, moment):
    out = tmp_path / "results"
    first = subprocess.run(
        [sys.executable, "-m", "sklearn_sb", "reproduce", "theorem1", "--quick",
         "--no-progress", "--out", str(out)],
        capture_output=True, text=True, timeout=300,
    )
    assert first.returncode == 0, first.stderr
    before = {path.name: path.read_bytes() for path in out.iterdir()}
    result = _reproduce_interrupted(moment, out)
    assert result.returncode == 130, result.stderr
    assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    assert json.loads((out / "results.json").read_text())["experiment"] == "theorem1"
