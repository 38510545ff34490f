"""Each recipe's quick run, made once per test session and shared by the tests."""

import matplotlib
import pytest

from sklearn_sb.experiments import run_experiment

matplotlib.use("Agg")


@pytest.fixture(scope="session")
def quick_runs(tmp_path_factory):
    """``quick_runs(name)``: the recipe's quick run (seed 0) and its output folder.

    The data home is empty: recipes that add a dataset when it is cached
    skip it, as on a machine without the images.
    """
    data_home = tmp_path_factory.mktemp("empty-data-home")
    cache = {}

    def run(name):
        if name not in cache:
            out = tmp_path_factory.mktemp(name)
            cache[name] = (run_experiment(name, size="quick", seed=0, out=out,
                                          data_home=data_home, progress=False), out)
        return cache[name]

    run.data_home = data_home
    return run
