"""Where a result comes from: package, commit, machine, library versions, date, command."""

import datetime
import os
import platform
import shlex
import subprocess
import sys


def provenance(command=None):
    """What a results file records about the run that made it.

    Parameters
    ----------
    command : str, default=None
        The command line; None records the Python invocation (``sys.argv``).

    Returns
    -------
    record : dict
        ``package`` (sklearn-sb's version), ``git commit`` (of the checkout
        the package was imported from, with ``+dirty`` when it has
        uncommitted changes; None outside a checkout), ``machine`` (platform,
        processor count, GPU), ``versions`` (Python, torch, numpy,
        scikit-learn, skorch), ``date`` (UTC, ISO 8601) and ``command``.

    Examples
    --------
    >>> from sklearn_sb.experiments._provenance import provenance
    >>> sorted(provenance("sklearn-sb benchmark"))
    ['command', 'date', 'git commit', 'machine', 'package', 'versions']
    """
    import numpy
    import sklearn
    import skorch
    import torch

    import sklearn_sb

    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else None
    return {
        "package": sklearn_sb.__version__,
        "git commit": _git_commit(os.path.dirname(os.path.dirname(sklearn_sb.__file__))),
        "machine": {"platform": platform.platform(), "processor": platform.machine(),
                    "cpus": os.cpu_count(), "gpu": gpu},
        "versions": {"python": platform.python_version(), "torch": torch.__version__,
                     "numpy": numpy.__version__, "scikit-learn": sklearn.__version__,
                     "skorch": skorch.__version__},
        "date": utc_date(),
        "command": command if command is not None else shlex.join(sys.argv),
    }


def utc_date():
    """Now, in UTC, as ISO 8601 to the second."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def _git_commit(folder):
    """The commit of the checkout at ``folder``, or None when it is not one."""
    def git(*args):
        return subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True,
                              timeout=10, check=True).stdout.strip()

    try:
        commit = git("rev-parse", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.SubprocessError):
        return None
    return commit + ("+dirty" if dirty else "")
