"""Files the package writes: permissions as the user's other files have."""

import os


def umask_mode(mode):
    """``mode`` less the process umask: what ``open`` would give a new file."""
    mask = os.umask(0)
    os.umask(mask)
    return mode & ~mask
