"""An experiment's output directory, written all at once or not at all.

The files are written into a hidden staging directory beside the target,
which then takes the target's place: an interrupt or an error while writing
leaves the previous results (or nothing), never a partial set, and a reused
directory never mixes the files of two runs. ``results.json`` lists the
files its run wrote (``'files'``): only an empty directory, or one holding
nothing but the files an earlier run listed, is replaced; a directory with
any other file is refused before any work.
"""

import contextlib
import json
import shutil
import tempfile
from pathlib import Path

from ..utils._files import umask_mode


def write_results(out, summary, tables=None, figures=None, *, tables_without_index=(),
                  dpi=100):
    """Write an experiment's files into ``out``, replacing it as a whole.

    Parameters
    ----------
    out : str or path-like
        A path that does not exist, an empty directory, or a directory of
        earlier results (see :func:`check_output_directory`).
    summary : dict
        Written as ``results.json``, indented JSON, with a ``'files'`` key
        added: the names of the files written, ``results.json`` first. Its
        ``'experiment'`` key names the experiment; with ``'files'`` it marks
        the directory as results that a later run may replace.
    tables : dict of str to DataFrame, default=None
        CSV file names, each ending in ``.csv``, and their tables. A table
        is written with its index (the index's name heads the first column)
        unless its name is in ``tables_without_index``.
    figures : dict of str to matplotlib Figure, default=None
        PNG file names, each ending in ``.png``, and their figures, saved at
        ``dpi`` with a tight bounding box.
    tables_without_index : collection of str, default=()
        Names of ``tables`` written without their index, such as tables
        whose index only numbers the rows.
    dpi : float, default=100
        Resolution of the figures.

    Returns
    -------
    paths : list of pathlib.Path
        ``out / 'results.json'``, then the tables' and the figures' files in
        the order given.

    Raises
    ------
    ValueError
        Before anything is written: when ``out`` may not be replaced, when
        ``summary`` has no ``'experiment'`` key or has a ``'files'`` key, or
        when a file name is not a plain name with its suffix.
    """
    tables, figures = tables or {}, figures or {}
    if "experiment" not in summary:
        raise ValueError("The summary of an experiment's results needs an 'experiment' key "
                         "naming it; a later run replaces only directories of results.")
    if "files" in summary:
        raise ValueError("The summary of an experiment's results may not have a 'files' "
                         "key: the writer records there the files it writes.")
    _check_file_names(tables, ".csv")
    _check_file_names(figures, ".png")
    names = ["results.json", *tables, *figures]
    with staged_directory(out) as staging:
        (staging / "results.json").write_text(json.dumps({**summary, "files": names}, indent=2))
        for name, table in tables.items():
            table.to_csv(staging / name, index=name not in tables_without_index)
        for name, figure in figures.items():
            figure.savefig(staging / name, dpi=dpi, bbox_inches="tight")
    return [Path(out) / name for name in names]


def _check_file_names(files, suffix):
    for name in files:
        if Path(name).name != name or Path(name).suffix != suffix:
            raise ValueError(f"{name!r} is not a file name ending in {suffix!r}.")


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
    if not any(out.iterdir()):
        return
    foreign = _unlisted_entries(out)
    if foreign is None:
        raise ValueError(
            f"The output directory {out} holds files that are not an experiment's "
            "results; choose a new or empty directory (results replace the whole "
            "directory)."
        )
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5
                                          else "")
        raise ValueError(
            f"The output directory {out} holds earlier results and also {shown}, which "
            "their run did not write. Results replace the whole directory: move those "
            "out, or choose a new or empty directory."
        )


def _unlisted_entries(directory):
    """The entries of a directory of results that its run did not write.

    None when the directory holds no results (no ``results.json`` naming an
    experiment). Results written before ``results.json`` listed its files
    count only ``results.json`` as theirs.
    """
    try:
        summary = json.loads((directory / "results.json").read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(summary, dict) or "experiment" not in summary:
        return None
    listed = summary.get("files")
    if not (isinstance(listed, list) and all(isinstance(name, str) for name in listed)):
        listed = ["results.json"]
    return sorted(entry.name for entry in directory.iterdir()
                  if entry.name not in listed or entry.is_symlink() or not entry.is_file())


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
