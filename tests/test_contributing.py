"""The example method of doc/contributing.rst, taken from the page's text, runs as it says."""

import json
import re
import shlex
import sys
import textwrap
from pathlib import Path

import pytest

from sklearn_sb._cli import main
from sklearn_sb.mitigation._registry import _METHODS

PAGE = Path(__file__).parents[1] / "doc" / "contributing.rst"


def code_blocks(text):
    """``(language, caption, code)`` of every ``code-block`` of an reStructuredText page."""
    blocks = []
    pattern = re.compile(r"^\.\. code-block:: (\w+)\n((?:   :\w+: .*\n)*)\n((?:(?:   .*)?\n)+)",
                         re.MULTILINE)
    for language, options, body in pattern.findall(text):
        caption = re.search(r":caption: (.*)", options)
        blocks.append((language, caption and caption.group(1),
                       textwrap.dedent(body).strip() + "\n"))
    return blocks


@pytest.fixture
def example(tmp_path, monkeypatch):
    blocks = code_blocks(PAGE.read_text())
    module = next(code for _, caption, code in blocks if caption == "my_methods.py")
    (tmp_path / "my_methods.py").write_text(module)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(_METHODS, "_entries", dict(_METHODS._entries))
    yield blocks
    sys.modules.pop("my_methods", None)


def test_the_page_has_the_module_the_command_and_the_python_use():
    languages = [(language, caption) for language, caption, _ in code_blocks(PAGE.read_text())]
    assert ("python", "my_methods.py") in languages and ("bash", None) in languages


def test_the_example_method_runs_from_the_command_line(example, capsys):
    command = next(code for language, _, code in example if language == "bash")
    argv = shlex.split(command.replace("\\\n", " "))
    assert argv[0] == "sklearn-sb"
    assert main([*argv[1:], "--n-jobs", "1", "--no-progress", "--out", "out"]) == 0
    printed = capsys.readouterr().out
    assert "input-grad-penalty" in printed and "erm" in printed


def test_the_example_method_runs_from_python(example, capsys):
    code = next(code for language, caption, code in example
                if language == "python" and caption is None)
    namespace = {}
    exec(compile(code.replace('size="quick",', 'size="quick", n_jobs=1, progress=False,'),
                 "contributing.rst", "exec"), namespace)
    table = namespace["result"].table
    methods = set(table.index.get_level_values("method"))
    assert {"erm", "input-grad-penalty"} <= methods
    # The penalty is a training method: labels only.
    assert table.loc[("lms5", "input-grad-penalty", "in-distribution-validation"),
                     "side information"] == "none"
    # Its declared strength is searched, on a log scale within its bounds.
    search = namespace["result"].search.query("method == 'input-grad-penalty'")
    search = search.drop_duplicates("draw").sort_values("draw")
    strengths = [json.loads(setting).get("method__strength")
                 for setting in search["hyperparameters"]]
    assert strengths[0] is None and all(0.01 <= value <= 1 for value in strengths[1:])
