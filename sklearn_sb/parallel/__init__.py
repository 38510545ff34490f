"""Run the package's searches on a distributed engine (Dask)."""

from ._dask import dask_backend

__all__ = ["dask_backend"]
