"""The paper's control: with S randomized in training, models learn S^c."""

import time

import pandas as pd

from ..inspection import s_removed_control
from ._figures import bar_figure
from ._model import make_model


def s_removed(run, options):
    """Train on each dataset with its simple block randomized; score on S^c.

    Options: ``datasets`` (catalog names) and ``models`` (``{dataset:
    network overrides}`` where a dataset needs its own network).
    """
    rows = []
    for name, data in run.datasets(options["datasets"]):
        start = time.perf_counter()
        model = make_model(run, data=data, **options.get("models", {}).get(name, {}))
        result = s_removed_control(model, data.X_train, data.y_train, data.X_test, data.y_test,
                                   simple_features=data, random_state=run.seed)
        scores = result.scores
        rows.append({
            "dataset": name,
            "S^c accuracy (S randomized)": result.ceiling["accuracy"],
            "S^c AUC (S randomized)": result.ceiling["roc_auc"],
            "test accuracy": scores.loc["standard", "accuracy_mean"],
            "S^c-randomized accuracy": scores.loc["S^c-randomized", "accuracy_mean"],
            "epochs": len(result.estimator.history_),
            "seconds": time.perf_counter() - start,
        })
        run.record(f"S^c accuracy, S removed ({name})", result.ceiling["accuracy"],
                   options.get("paper", {}).get(name, "~1.00"))
    table = pd.DataFrame(rows).set_index("dataset")
    run.tables["s-removed"] = table
    run.figures["s-removed.png"] = bar_figure(
        table[["test accuracy", "S^c accuracy (S randomized)", "S^c-randomized accuracy"]],
        ylabel="accuracy", ylim=(0.4, 1.02), title="trained with S randomized")
