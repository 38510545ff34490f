"""Arrays cached on disk: atomic writes, verified reads.

A cache folder may be shared (a lab-wide ``SCIKIT_LEARN_DATA``): files are
created with the process umask like any other file, a file that cannot be
read for lack of permission is an error and is left alone, and only a file
that is readable but damaged is deleted to be rebuilt. The checksum stored
in a file detects damage, not tampering: whoever can write the folder
decides what is read, so what is read is also checked against what the
caller expects (dtype, shape, values).
"""

import contextlib
import hashlib
import os
import tempfile
import zipfile

import numpy as np

from ..utils._files import umask_mode
from ..utils._warnings import warn


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
    try:
        fd, partial = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    except OSError as error:
        raise OSError(
            f"Cannot write the cache in {folder} ({error}). Point data_home (or "
            "SCIKIT_LEARN_DATA) to a folder this user can write."
        ) from error
    try:
        # mkstemp creates a private file; a cache is an ordinary file.
        os.chmod(partial, umask_mode(0o666))
        with os.fdopen(fd, "wb") as file:
            np.savez(file, **arrays, sha256=np.array(_digest(arrays)))
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(partial)
        raise


def read_arrays(path, names, *, check=None):
    """The arrays ``names`` of a file written by :func:`write_arrays`, or None.

    Parameters
    ----------
    path : str
    names : sequence of str
    check : callable, default=None
        ``check(arrays)`` returns what is wrong with the arrays read (a
        phrase), or None when they are what the caller expects.

    Returns
    -------
    arrays : dict of ndarray or None
        None when the file is missing, and also, with a warning, when it is
        truncated, corrupted (unreadable as a cache, or not matching its
        sha256) or fails ``check``; such a file is deleted so that it is
        rebuilt.

    Raises
    ------
    OSError
        When the file exists but this user cannot open it (permissions, a
        folder in its place), or cannot delete it once found damaged. The
        file is left as it is.
    """
    try:
        file = open(path, "rb")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise OSError(
            f"The cached file {path} exists but cannot be read ({error}); it was "
            "left as it is. Ask its owner to make it readable, or point data_home "
            "(or SCIKIT_LEARN_DATA) to another folder."
        ) from error
    with file:
        arrays, problem = _verified(file, names)
    if problem is None and check is not None:
        problem = check(arrays)
    if problem is None:
        return arrays
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise OSError(
            f"The cached file {path} is {problem}, and this user cannot delete it "
            f"({error}). Ask its owner to delete it, or point data_home (or "
            "SCIKIT_LEARN_DATA) to another folder."
        ) from error
    warn(f"The cached file {path} was {problem}; it was deleted and will be rebuilt.")
    return None


def _verified(file, names):
    """``(arrays, None)``, or ``(None, what is wrong)`` for a damaged file."""
    try:
        with np.load(file, allow_pickle=False) as content:
            arrays = {name: content[name] for name in names}
            expected = str(content["sha256"])
    except (ValueError, EOFError, KeyError, zipfile.BadZipFile):
        return None, "truncated or corrupted"
    if _digest(arrays) != expected:
        return None, "corrupted (its content does not match its sha256)"
    return arrays, None
