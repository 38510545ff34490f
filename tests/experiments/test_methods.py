"""A recipe names a training method, by name or as an object; the runner treats all alike."""

import json

import pytest
from sklearn.utils import Bunch

from sklearn_sb.experiments import RECIPES, Recipe, run_experiment
from sklearn_sb.experiments._runner import resolve_options
from sklearn_sb.mitigation import (
    AdversarialTraining,
    LogitEnsembleClassifier,
    TrainingMethod,
    register_method,
)
from sklearn_sb.mitigation._registry import _METHODS


def _recipe(method, method_options=None):
    return Recipe(
        description="a tiny LMS-5 run", dataset="lms5",
        sizes={"quick": (600, 200)}, n_features=10,
        model={"module": "fcn", "module__width": 16, "lr": 0.1},
        max_epochs={"quick": 2}, steps=("train",), method=method,
        options={"method": method_options or {}},
    )


class CountBatches(TrainingMethod):
    """Records the size of every batch it sees."""

    seen = []

    def transform_batch(self, net, X, y):
        self.seen.append(len(X))
        return X, y


@pytest.fixture
def registered_counter(monkeypatch):
    monkeypatch.setattr(_METHODS, "_entries", _METHODS.entries())
    register_method("count-batches")(CountBatches)


@pytest.mark.parametrize(
    "method, options, expected",
    [
        ("adversarial-training", {"eps": 0.05, "norm": 2}, AdversarialTraining),
        (AdversarialTraining(eps=0.05, norm=2), {}, AdversarialTraining),
        ("logit-ensemble", {"n_estimators": 2}, LogitEnsembleClassifier),
    ],
)
def test_named_and_constructed_methods_are_applied_alike(monkeypatch, tmp_path, method,
                                                         options, expected):
    monkeypatch.setitem(RECIPES, "tiny", _recipe(method, options))
    result = run_experiment("tiny", size="quick", out=tmp_path, progress=False)
    assert result.results["train accuracy"] > 0.5
    summary = json.loads((tmp_path / "results.json").read_text())
    assert summary["method"]["params"] == {k: v for k, v in options.items()}


def test_the_ensemble_takes_the_run_seed(monkeypatch):
    from sklearn_sb.experiments._model import make_model

    monkeypatch.setitem(RECIPES, "tiny", _recipe("logit-ensemble", {"n_estimators": 2}))
    run = type("Run", (), {})()
    run.recipe, run.seed = RECIPES["tiny"], 7
    run.options = resolve_options("tiny", RECIPES["tiny"], "quick")
    run.model_params = {"module__width": 16, "random_state": 7}
    run.data = Bunch(X_train=None)
    model = make_model(run)
    assert isinstance(model, LogitEnsembleClassifier)
    assert (model.n_estimators, model.random_state) == (2, 7)
    assert model.estimator.module__width == 16


def test_a_newly_registered_method_runs_without_touching_the_runner(
    monkeypatch, tmp_path, registered_counter
):
    monkeypatch.setitem(RECIPES, "tiny", _recipe("count-batches"))
    CountBatches.seen.clear()
    result = run_experiment("tiny", size="quick", progress=False)
    assert result.results["train accuracy"] > 0.5
    # 600 training rows in batches of 256, for 2 epochs.
    assert CountBatches.seen == [256, 256, 88] * 2
