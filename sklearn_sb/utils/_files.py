"""Files the package writes: permissions as the user's other files have."""

import os
import tempfile


def _umask():
    """The process umask, read without setting it.

    ``os.umask`` can only be read by setting it, which for a moment would
    give files created by other threads the wrong permissions. Linux shows
    it in ``/proc/self/status``; elsewhere a probe file created with mode
    0o777 shows what the umask removes.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    with tempfile.TemporaryDirectory() as folder:
        probe = os.path.join(folder, "probe")
        os.close(os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o777))
        return 0o777 & ~os.stat(probe).st_mode


def umask_mode(mode):
    """``mode`` less the process umask: what ``open`` would give a new file."""
    return mode & ~_umask()
