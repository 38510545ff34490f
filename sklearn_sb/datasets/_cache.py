"""Arrays cached on disk: atomic writes, verified reads."""

import contextlib
import hashlib
import os
import tempfile
import warnings
import zipfile

import numpy as np


def _digest(arrays):
    sha = hashlib.sha256()
    for name in sorted(arrays):
        array = np.ascontiguousarray(arrays[name])
        sha.update(f"{name}:{array.dtype.str}:{array.shape};".encode())
        sha.update(array.data)
    return sha.hexdigest()


def write_arrays(path, **arrays):
    """Save ``arrays`` to the .npz file ``path`` with their sha256, atomically.

    The file is written under a temporary name in the same folder, flushed to
    disk, then renamed: readers see the old file or the complete new one,
    never a partial one.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, partial = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            np.savez(file, **arrays, sha256=np.array(_digest(arrays)))
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise


def read_arrays(path, names):
    """The arrays ``names`` of a file written by :func:`write_arrays`, or None.

    Returns None when the file is missing, and also, with a warning, when it
    is truncated or corrupted (unreadable or not matching its sha256); such
    a file is deleted so that it is rebuilt.
    """
    if not os.path.exists(path):
        return None
    try:
        with np.load(path, allow_pickle=False) as file:
            arrays = {name: file[name] for name in names}
            expected = str(file["sha256"])
        intact = _digest(arrays) == expected
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        intact = False
    if intact:
        return arrays
    warnings.warn(
        f"The cached file {path} is truncated or corrupted; it was deleted and "
        "will be rebuilt.",
        UserWarning,
        stacklevel=3,
    )
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
    return None
