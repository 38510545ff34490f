"""Run joblib-parallel code (grid searches, cross-validation) on a Dask cluster."""

import contextlib
import re
from numbers import Real

import joblib

from ..utils._param_validation import HasMethods, Interval, validate_params
from ..utils._warnings import warn

_LOCAL = re.compile(r"local(?::(.*))?")
# 'local:N' starts N processes here; more than this many per core is a typo.
_MAX_WORKERS_PER_CORE = 4


def _import_distributed():
    try:
        import dask
        import distributed
    except ImportError as error:
        raise ImportError(
            "dask_backend needs dask.distributed, which is not installed. "
            "Install it with: pip install 'sklearn-sb[dask]'"
        ) from error
    return dask, distributed


@validate_params(
    {
        "scheduler": [str, HasMethods(["scatter", "submit"]), None],
        "scatter": [list, tuple, None],
        "timeout": [Interval(Real, 0, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
@contextlib.contextmanager
def dask_backend(scheduler=None, *, scatter=None, timeout=60):
    """Send joblib's parallel work, such as grid-search fits, to a Dask cluster.

    Inside the ``with`` block, :class:`~sklearn.model_selection.GridSearchCV`,
    :func:`~sklearn.model_selection.cross_validate` and the other
    joblib-parallel scikit-learn tools run their tasks on the cluster's
    workers through joblib's ``'dask'`` backend, and ``n_jobs=None`` means
    every worker thread. On exit, the client and any cluster started here are
    closed. The setting holds for the thread that enters the block.

    Each fit runs in one worker: with ``device='auto'``,
    :class:`~sklearn_sb.SBNetClassifier` takes the GPU that worker sees, so
    a GPU cluster wants one worker per GPU.

    Read more in the :ref:`User Guide <scaling>`.

    Parameters
    ----------
    scheduler : str, distributed.Client or None, default=None
        Where to run:

        - the address of a running cluster's scheduler, such as
          ``'tcp://10.0.0.5:8786'``: a cluster trusted to run the work (see
          :ref:`scaling`);
        - ``'local'``, ``'local:N'`` or None: a cluster on this machine,
          listening on the loopback interface only, with ``N`` worker
          processes (default: one per CPU core) of one thread each;
        - a :class:`distributed.Client`, used as it is and left open.
    scatter : list or tuple, default=None
        Large inputs, typically ``[X, y]`` (and the index arrays of
        precomputed cross-validation splits), copied to every worker when
        the block is entered. Tasks that receive these very objects use the
        workers' copies, so each input leaves this process once for the
        whole block. Without it, joblib uploads each large argument once per
        parallel call (once per search) to one worker, from which the others
        fetch it.
    timeout : float, default=60
        Seconds to wait for the scheduler to answer and for a first worker.

    Yields
    ------
    client : distributed.Client
        The client of the cluster, e.g. for ``client.dashboard_link``.

    Raises
    ------
    ImportError
        When ``dask.distributed`` (the ``sklearn-sb[dask]`` extra) is
        missing.
    RuntimeError
        When Dask cancels a task of the block, which happens when a worker
        dies holding the only copy of an input that the remaining tasks
        need.

    See Also
    --------
    joblib.parallel_config : The joblib setting entered here.

    Notes
    -----
    When a worker dies mid-search, Dask reruns its tasks on the other
    workers and the search gives the same ``cv_results_`` as an undisturbed
    run, as long as the inputs of those tasks survive on another worker:
    inputs given in ``scatter`` do on the local clusters started here (their
    Active Memory Manager, which trims copies, is off). An input held by the
    dead worker alone makes the block raise a RuntimeError; a task whose
    workers die ``distributed.scheduler.allowed-failures`` + 1 times (4 by
    default) makes it raise :class:`distributed.KilledWorker`. No fit goes
    missing from ``cv_results_`` silently.

    joblib runs parallel work in the calling process when only one worker
    thread is available, so a cluster of a single one-thread worker (one
    GPU) does not help; a warning says so.

    Examples
    --------
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.parallel import dask_backend
    >>> X, y = make_lms(200, 5, random_state=0)
    >>> net = SBNetClassifier(module__width=8, max_epochs=2, random_state=0)
    >>> search = GridSearchCV(net, {"lr": [0.05, 0.1]}, cv=2)
    >>> with dask_backend("local:2", scatter=[X, y]):  # doctest: +SKIP
    ...     search.fit(X, y)
    """
    dask, distributed = _import_distributed()
    with contextlib.ExitStack() as stack:
        client = _client(scheduler, timeout, dask, distributed, stack)
        if sum(client.nthreads().values()) == 1:
            warn("The Dask cluster has a single worker thread: joblib runs the parallel "
                 "work of this block in this process instead (it does so whenever n_jobs "
                 "is 1). Give the cluster two worker threads or more.")
        try:
            with joblib.parallel_config(
                backend="dask",
                n_jobs=-1,
                client=client,
                scatter=scatter,
                wait_for_workers_timeout=timeout,
            ):
                yield client
        except distributed.client.FutureCancelledError as error:
            raise RuntimeError(
                f"Dask cancelled a task of this block: {error} The usual cause "
                "is a worker that died holding the only copy of an input of the "
                "remaining tasks: joblib sends each large argument (X, y, the "
                "cross-validation splits) to one worker. Run again; to survive "
                "the loss of a worker, copy the inputs to every worker with "
                "dask_backend(..., scatter=[X, y, ...])."
            ) from error


def _local_workers(count, scheduler):
    """The N of 'local:N' (one per core for 'local'), checked before any process starts."""
    cores = joblib.cpu_count()
    if count is None:
        return cores
    if not count.strip().isdigit() or int(count) < 1:
        raise ValueError(
            "The 'scheduler' parameter of dask_backend needs at least one worker "
            f"in 'local:N', N a positive integer. Got {scheduler!r} instead."
        )
    n_workers = int(count)
    if n_workers > _MAX_WORKERS_PER_CORE * cores:
        raise ValueError(
            f"The 'scheduler' parameter of dask_backend asks for {n_workers} worker "
            f"processes on this machine, which has {cores} cores; 'local:N' takes at "
            f"most {_MAX_WORKERS_PER_CORE * cores}. Got {scheduler!r}."
        )
    return n_workers


def _client(scheduler, timeout, dask, distributed, stack):
    """A client for ``scheduler``; what it opens is closed by ``stack``."""
    if isinstance(scheduler, distributed.Client):
        return scheduler
    local = _LOCAL.fullmatch(scheduler or "local")
    if local is None:
        return stack.enter_context(
            distributed.Client(scheduler, timeout=timeout, set_as_default=False)
        )
    n_workers = _local_workers(local.group(1), scheduler)
    # Scattered inputs must stay on every worker, not be trimmed to one copy.
    with dask.config.set({"distributed.scheduler.active-memory-manager.start": False}):
        cluster = stack.enter_context(
            distributed.LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",
            )
        )
    return stack.enter_context(
        distributed.Client(cluster, timeout=timeout, set_as_default=False)
    )
