"""The paper's control: with S randomized in training, models learn S^c."""

import time
from dataclasses import dataclass, field

import pandas as pd

from ..inspection import s_removed_control
from ._figures import bar_figure
from ._model import make_model


@dataclass(frozen=True)
class SRemovedOptions:
    """Options of the s_removed step, the control trained with S randomized.

    Parameters
    ----------
    datasets : list of str
        Catalog names.
    models : dict, default={}
        ``{dataset: network parameters}`` over the recipe's network, where a
        dataset needs its own.
    paper : dict, default={}
        ``{dataset: published S^c accuracy}`` where it differs from ~1.00.
    """

    datasets: list
    models: dict = field(default_factory=dict)
    paper: dict = field(default_factory=dict)


def s_removed(run, options):
    """Train on each dataset with its simple block randomized; score on S^c."""
    rows = []
    for name, data in run.datasets(options.datasets):
        start = time.perf_counter()
        model = make_model(run, data=data, **options.models.get(name, {}))
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
                   options.paper.get(name, "~1.00"))
    table = pd.DataFrame(rows).set_index("dataset")
    run.tables["s-removed"] = table
    run.figures["s-removed.png"] = bar_figure(
        table[["test accuracy", "S^c accuracy (S randomized)", "S^c-randomized accuracy"]],
        ylabel="accuracy", ylim=(0.4, 1.02), title="trained with S randomized")
