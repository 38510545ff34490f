"""Grid searches over SBNetClassifier on a real Dask cluster (loopback only)."""

import os
import pickle
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from skorch.callbacks import Callback

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.parallel import dask_backend
from sklearn_sb.utils._param_validation import InvalidParameterError

distributed = pytest.importorskip("distributed")

TIMING_KEYS = {"mean_fit_time", "std_fit_time", "mean_score_time", "std_score_time"}
GRID = {"module__width": [8, 16], "lr": [0.05, 0.1]}
SEARCH_TIMEOUT = 120
# Worker processes, on the loopback interface, with one torch thread each.
LOOPBACK = {
    "processes": True,
    "host": "127.0.0.1",
    "dashboard_address": "127.0.0.1:0",
    "env": {"OMP_NUM_THREADS": "1"},
}


class SleepAfterEachEpoch(Callback):
    """Stretches a fit so that a worker can be killed while it runs."""

    def __init__(self, seconds=0.3):
        self.seconds = seconds

    def on_epoch_end(self, net, **kwargs):
        time.sleep(self.seconds)


def grid_search(cv=2, **params):
    net = SBNetClassifier(
        module__depth=1, max_epochs=3, batch_size=64, device="cpu", random_state=0
    ).set_params(**params)
    return GridSearchCV(net, GRID, cv=cv)


def assert_same_results(results, expected):
    assert set(results) == set(expected)
    for key in set(expected) - TIMING_KEYS:
        if key == "params":
            assert results[key] == expected[key]
        else:
            np.testing.assert_array_equal(results[key], expected[key], err_msg=key)


def fit_in_thread(search, X, y, client, scatter=None):
    """Fit ``search`` on ``client`` in a thread; return it and its outcome."""
    outcome = {}

    def fit():
        try:
            with dask_backend(client, scatter=scatter):
                search.fit(X, y)
        except Exception as error:
            outcome["error"] = error

    thread = threading.Thread(target=fit, daemon=True)
    thread.start()
    return thread, outcome


def n_search_tasks(client):
    return client.run_on_scheduler(
        lambda dask_scheduler: sum(
            str(key).startswith("batch_of") for key in dask_scheduler.tasks
        )
    )


def wait_for(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the cluster never reached the expected state")
        time.sleep(0.02)


@pytest.fixture(scope="module")
def data():
    return make_lms(600, 10, random_state=0)


@pytest.fixture(scope="module")
def serial_results(data):
    return grid_search().fit(*data).cv_results_


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, **LOOPBACK
    ) as cluster:
        yield cluster


@pytest.fixture
def client(cluster):
    with distributed.Client(cluster, timeout=30, set_as_default=False) as client:
        yield client


def test_grid_search_on_a_scheduler_address_matches_the_serial_run(
    cluster, data, serial_results
):
    search = grid_search()
    with dask_backend(cluster.scheduler_address, timeout=30) as client:
        assert sorted(client.nthreads().values()) == [1, 1]
        search.fit(*data)
    assert_same_results(search.cv_results_, serial_results)


class KeysInMemory(distributed.WorkerPlugin):
    """Size of every key that enters a worker's memory (scattered or fetched)."""

    name = "sklearn-sb-test-keys-in-memory"

    def setup(self, worker):
        self.worker = worker
        self.nbytes = []

    def transition(self, key, start, finish, **kwargs):
        if finish == "memory":
            self.nbytes.append(self.worker.state.tasks[key].nbytes)


class TaskSpecSizes(distributed.SchedulerPlugin):
    """Pickled size of every task the scheduler receives."""

    name = "sklearn-sb-test-task-spec-sizes"

    def __init__(self):
        self.nbytes = []

    def update_graph(self, scheduler, *, tasks, **kwargs):
        self.nbytes += [
            len(pickle.dumps(scheduler.tasks[key].run_spec)) for key in tasks
        ]


@pytest.mark.parametrize("scatter", [False, True], ids=["joblib-upload", "scatter"])
def test_large_inputs_reach_each_worker_once(client, scatter):
    X, y = make_lms(20_000, 20, random_state=0)
    search = GridSearchCV(
        SBNetClassifier(module__width=4, max_epochs=1, batch_size=-1, device="cpu"),
        {"lr": [0.01, 0.02, 0.05, 0.1]},
        cv=2,
        refit=False,
    )
    client.register_plugin(KeysInMemory())
    client.register_plugin(TaskSpecSizes())
    try:
        with dask_backend(client, scatter=[X, y] if scatter else None):
            search.fit(X, y)
        copies_of_X = client.run(
            lambda dask_worker: dask_worker.plugins[KeysInMemory.name].nbytes.count(
                X.nbytes
            )
        )
        task_nbytes = client.run_on_scheduler(
            lambda dask_scheduler: dask_scheduler.plugins[TaskSpecSizes.name].nbytes
        )
    finally:
        client.unregister_worker_plugin(KeysInMemory.name)
        client.unregister_scheduler_plugin(TaskSpecSizes.name)
    # 8 fits, yet X reached each worker at most once and no task carries it.
    assert 1 <= sum(copies_of_X.values()) and max(copies_of_X.values()) == 1
    assert len(task_nbytes) >= 2 and sum(task_nbytes) < X.nbytes / 10
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_search_completes_when_a_worker_dies_mid_fit(data, serial_results):
    X, y = data
    # Every input, the split indices included, is copied to both workers,
    # so the surviving worker has all that the dead worker's fits need.
    splits = list(StratifiedKFold(2).split(X, y))
    scatter = [X, y, *(indices for split in splits for indices in split)]
    search = grid_search(cv=splits, callbacks=[("sleep", SleepAfterEachEpoch())])
    with dask_backend("local:2", timeout=30) as client:
        pids = client.run(os.getpid)
        thread, outcome = fit_in_thread(search, X, y, client, scatter)
        wait_for(
            lambda: len(client.processing()) == 2 and all(client.processing().values())
        )
        os.kill(pids[min(pids)], signal.SIGKILL)
        thread.join(SEARCH_TIMEOUT)
        assert not thread.is_alive(), "the search hung after a worker died"
        assert set(client.run(os.getpid).values()) != set(pids.values())
    assert outcome == {}
    assert_same_results(search.cv_results_, serial_results)


def test_losing_the_only_copy_of_an_input_raises_a_clear_error(data):
    X, y = data
    search = grid_search(callbacks=[("sleep", SleepAfterEachEpoch())])
    # One worker process with two threads: joblib uploads X, y and the splits
    # there, and they die with it.
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, **LOOPBACK
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        (pid,) = client.run(os.getpid).values()
        thread, outcome = fit_in_thread(search, X, y, client)
        # The first 4 fits (2 per thread) are submitted once their inputs
        # are uploaded; kill the worker then, while fits run.
        wait_for(
            lambda: n_search_tasks(client) >= 4 and any(client.processing().values())
        )
        os.kill(pid, signal.SIGKILL)
        thread.join(SEARCH_TIMEOUT)
        assert not thread.is_alive(), "the search hung after a worker died"
    error = outcome.get("error")
    assert isinstance(error, RuntimeError), outcome
    assert "died holding the only copy" in str(error)
    assert "scatter=[X, y, ...]" in str(error)
    assert isinstance(error.__cause__, distributed.client.FutureCancelledError)
    assert not hasattr(search, "cv_results_")


@pytest.mark.parametrize(
    "scheduler, scatter, error, match",
    [
        (8786, None, InvalidParameterError, "'scheduler' parameter .* Got 8786"),
        ("local:0", None, ValueError, "at least one worker in 'local:N'"),
        ("local", "X", InvalidParameterError, "'scatter' parameter .*'list'.*'tuple'"),
    ],
)
def test_bad_parameters_are_rejected_before_any_cluster_starts(
    scheduler, scatter, error, match
):
    with pytest.raises(error, match=match), dask_backend(scheduler, scatter=scatter):
        pass


def test_a_single_worker_thread_warns_that_work_stays_here():
    with (
        pytest.warns(UserWarning, match="single worker thread"),
        dask_backend("local:1", timeout=30) as client,
    ):
        assert list(client.nthreads().values()) == [1]


def test_unreachable_scheduler_fails_within_the_timeout():
    start = time.monotonic()
    with pytest.raises(OSError), dask_backend("tcp://127.0.0.1:1", timeout=2):
        pass
    assert time.monotonic() - start < 20


def test_missing_dask_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with (
        pytest.raises(ImportError, match=r"pip install 'sklearn-sb\[dask\]'"),
        dask_backend(),
    ):
        pass


def test_importing_the_subpackage_does_not_load_dask():
    code = "import sys, sklearn_sb.parallel; print('distributed' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
