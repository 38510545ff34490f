"""What a results file records about the run that made it."""

import datetime
import subprocess

import numpy as np
import pytest
import torch

import sklearn_sb
from sklearn_sb.experiments._provenance import _git_commit, provenance


def _git(folder, *args):
    subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True)


@pytest.fixture
def checkout(tmp_path):
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "config", "user.email", "test@example.org")
    _git(tmp_path, "config", "user.name", "test")
    (tmp_path / "code.py").write_text("x = 1\n")
    _git(tmp_path, "add", "code.py")
    _git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


def test_the_commit_is_the_checkouts_head_and_marked_dirty_with_changes(checkout):
    head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    assert _git_commit(str(checkout)) == head
    (checkout / "notes.txt").write_text("untracked files are not the code\n")
    assert _git_commit(str(checkout)) == head
    (checkout / "code.py").write_text("x = 2\n")
    assert _git_commit(str(checkout)) == head + "+dirty"


def test_outside_a_checkout_there_is_no_commit(tmp_path):
    assert _git_commit(str(tmp_path)) is None


def test_the_record_names_the_package_versions_machine_date_and_command():
    record = provenance("sklearn-sb benchmark --quick")
    assert record["package"] == sklearn_sb.__version__
    assert record["versions"]["torch"] == torch.__version__
    assert record["versions"]["numpy"] == np.__version__
    assert record["machine"]["cpus"] >= 1
    assert record["command"] == "sklearn-sb benchmark --quick"
    date = datetime.datetime.fromisoformat(record["date"])
    assert abs(datetime.datetime.now(datetime.timezone.utc) - date).total_seconds() < 60
