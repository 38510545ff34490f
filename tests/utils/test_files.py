"""File permissions follow the umask, which is read without ever being changed."""

import os
import stat
import threading

import pytest

from sklearn_sb.utils import _files
from sklearn_sb.utils._files import umask_mode


@pytest.fixture
def umask():
    previous = os.umask(0o027)
    yield 0o027
    os.umask(previous)


def test_the_mode_is_the_requested_one_less_the_umask(umask):
    assert umask_mode(0o777) == 0o750
    assert umask_mode(0o666) == 0o640


def test_the_probe_gives_the_same_umask_where_proc_is_not_there(umask, monkeypatch):
    real_open = open

    def no_proc(path, *args, **kwargs):
        if str(path).startswith("/proc/"):
            raise FileNotFoundError(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_proc)
    assert _files._umask() == 0o027


def test_reading_the_umask_never_changes_it_for_other_threads(umask, tmp_path):
    stop = threading.Event()

    def read_umask():
        while not stop.is_set():
            umask_mode(0o666)

    reader = threading.Thread(target=read_umask)
    reader.start()
    try:
        modes = []
        for i in range(2_000):
            path = tmp_path / f"file-{i}"
            path.touch(mode=0o666)
            modes.append(stat.S_IMODE(path.stat().st_mode))
    finally:
        stop.set()
        reader.join()
    assert set(modes) == {0o640}
