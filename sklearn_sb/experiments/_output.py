"""An experiment's output directory, written all at once or not at all.

The files are written into a hidden staging directory beside the target,
which then takes the target's place: an interrupt or an error while writing
leaves the previous results (or nothing), never a partial set, and a reused
directory never mixes the files of two runs. Only an empty directory or one
holding an earlier run's results (its ``results.json``) is replaced.
"""

import contextlib
import json
import shutil
import tempfile
from pathlib import Path

from ..utils._files import umask_mode


def check_output_directory(out):
    """Raise a ValueError unless ``out`` may receive an experiment's results.

    Parameters
    ----------
    out : str or path-like
        A path that does not exist, an empty directory, or a directory of
        earlier results.
    """
    out = Path(out)
    if str(out) in ("", "."):
        raise ValueError(
            f"The output directory {str(out)!r} would be the current directory; "
            "name a directory for the results, e.g. sklearn-sb-results/lms5."
        )
    if not out.exists():
        return
    if not out.is_dir():
        raise ValueError(f"The output directory {out} exists and is not a directory.")
    if any(out.iterdir()) and not _holds_results(out):
        raise ValueError(
            f"The output directory {out} holds files that are not an experiment's "
            "results; choose a new or empty directory (results replace the whole "
            "directory)."
        )


def _holds_results(directory):
    try:
        summary = json.loads((directory / "results.json").read_text())
    except (OSError, ValueError):
        return False
    return isinstance(summary, dict) and "experiment" in summary


@contextlib.contextmanager
def staged_directory(out):
    """A fresh directory to write into; it replaces ``out`` when the block ends well.

    Yields
    ------
    staging : pathlib.Path
    """
    out = Path(out)
    check_output_directory(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        # mkdtemp creates a private directory; results are ordinary files.
        staging.chmod(umask_mode(0o777))
        yield staging
        if out.exists():
            previous = Path(tempfile.mkdtemp(prefix=f".{out.name}-old-", dir=out.parent))
            out.rename(previous / out.name)
            staging.rename(out)
            shutil.rmtree(previous)
        else:
            staging.rename(out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
