"""The paper's datasets: synthetic LMS, MS and LSN data."""

from ._synthetic import make_lms, make_lsn, make_slabs

__all__ = ["make_lms", "make_lsn", "make_slabs"]
