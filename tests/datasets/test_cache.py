"""A cache folder shared between users: nobody's intact file is ever deleted.

Where the tests run as root (CI), a second, unprivileged user (``nobody``)
is real: the reading runs in a subprocess that switches to it. Elsewhere the
same effect comes from file permissions.
"""

import json
import os
import shutil
import stat
import tempfile
import warnings

import numpy as np
import pytest

from sklearn_sb.datasets._cache import read_arrays, write_arrays
from sklearn_sb.datasets._sources import _MNIST, _cache_problem
from sklearn_sb.utils._files import umask_mode

IS_ROOT = os.geteuid() == 0
NOBODY = 65534

ARRAYS = {"images": np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28),
          "labels": np.array([0, 1])}


@pytest.fixture
def shared_folder():
    """A folder both users can read (not under root's private pytest folder)."""
    folder = tempfile.mkdtemp(prefix="sklearn-sb-shared-")
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder)


def _as_other_user(function, *args):
    """``function(*args)`` in a forked child, as another user where possible.

    Returns ``{"result": "value" | "none" | "error", "message": ...,
    "warnings": [...]}``. A fork, not a new interpreter: the other user may
    not be able to read this Python installation.
    """
    _load_what_reading_imports()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report through the pipe, never return
        try:
            os.close(read_end)
            if IS_ROOT:
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    value = function(*args)
                    outcome = {"result": "none" if value is None else "value", "message": ""}
                except Exception as error:  # reported, so that the test shows it
                    outcome = {"result": "error", "message": f"{type(error).__name__}: {error}"}
            outcome["warnings"] = [str(w.message) for w in caught]
            os.write(write_end, json.dumps(outcome).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        report = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(report)


def _load_what_reading_imports():
    """Import here what caching imports lazily (zipfile's codec, say): the other
    user of the forked child may be unable to read this Python installation."""
    with tempfile.TemporaryDirectory() as folder:
        write_arrays(os.path.join(folder, "warm-up.npz"), **ARRAYS)
        read_arrays(os.path.join(folder, "warm-up.npz"), ("images", "labels"))


def _read_as_other_user(path):
    return _as_other_user(read_arrays, path, ("images", "labels"))


def test_cache_files_get_the_umask_like_any_other_file(tmp_path):
    path = tmp_path / "a.npz"
    write_arrays(path, **ARRAYS)
    assert stat.S_IMODE(path.stat().st_mode) == umask_mode(0o666)


def test_an_intact_cache_is_read_by_another_user(shared_folder):
    path = os.path.join(shared_folder, "a.npz")
    write_arrays(path, **ARRAYS)
    outcome = _read_as_other_user(path)
    assert outcome == {"result": "value", "message": "", "warnings": []}


def test_a_file_another_user_cannot_read_is_an_error_and_stays(shared_folder):
    path = os.path.join(shared_folder, "a.npz")
    write_arrays(path, **ARRAYS)
    os.chmod(path, 0o600 if IS_ROOT else 0o000)
    try:
        outcome = _read_as_other_user(path)
    finally:
        os.chmod(path, 0o644)
    assert outcome["result"] == "error"
    assert "cannot be read" in outcome["message"] and "left as it is" in outcome["message"]
    assert outcome["warnings"] == []
    assert read_arrays(path, ("images", "labels")) is not None


def test_a_folder_in_place_of_the_file_is_an_error_not_a_deletion(tmp_path):
    (tmp_path / "a.npz").mkdir()
    with pytest.raises(OSError, match="cannot be read"):
        read_arrays(tmp_path / "a.npz", ("images", "labels"))
    assert (tmp_path / "a.npz").is_dir()


@pytest.mark.skipif(not IS_ROOT, reason="needs a second user to own the folder")
def test_a_damaged_file_in_a_folder_this_user_cannot_write_is_a_clear_error(shared_folder):
    path = os.path.join(shared_folder, "a.npz")
    with open(path, "wb") as file:
        file.write(b"not a cache")
    os.chmod(path, 0o644)
    outcome = _read_as_other_user(path)
    assert outcome["result"] == "error"
    assert "cannot delete it" in outcome["message"]
    assert os.path.exists(path)


def test_writing_into_a_folder_this_user_cannot_write_says_where_to_point_data_home(
    shared_folder
):
    if not IS_ROOT:
        os.chmod(shared_folder, 0o555)
    try:
        outcome = _as_other_user(
            lambda: write_arrays(os.path.join(shared_folder, "a.npz"), a=np.zeros(2)))
    finally:
        os.chmod(shared_folder, 0o755)
    assert outcome["result"] == "error"
    assert "Cannot write the cache" in outcome["message"] and "data_home" in outcome["message"]
    assert os.listdir(shared_folder) == []


@pytest.mark.parametrize(
    "arrays, problem",
    [
        ({"images": np.full((2, 28, 28), 3921.0), "labels": np.array([0, 1])}, "uint8"),
        ({"images": np.zeros((2, 32, 32), np.uint8), "labels": np.array([0, 1])}, "shape"),
        ({"images": np.zeros((2, 28, 28), np.uint8), "labels": np.array([0])}, "one integer label"),
        ({"images": np.zeros((2, 28, 28), np.uint8), "labels": np.array([0.0, 1.0])},
         "one integer label"),
        ({"images": np.zeros((2, 28, 28), np.uint8), "labels": np.array([0, 10])}, "outside 0-9"),
    ],
)
def test_a_planted_file_with_a_matching_checksum_is_refused_and_rebuilt(tmp_path, arrays, problem):
    path = tmp_path / "mnist-train.npz"
    write_arrays(path, **arrays)
    with pytest.warns(UserWarning, match=problem):
        assert read_arrays(path, ("images", "labels"),
                           check=lambda a: _cache_problem(_MNIST, a)) is None
    assert not path.exists()


def test_the_real_shapes_pass_the_content_check():
    assert _cache_problem(_MNIST, ARRAYS) is None
