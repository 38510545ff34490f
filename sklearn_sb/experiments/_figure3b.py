"""Figure 3b: randomized AUCs against the number of complex features."""

import time
from dataclasses import dataclass

import pandas as pd
from tqdm.auto import tqdm

from ..inspection import RandomizedScoreCurveDisplay, randomized_scores
from ._model import make_model


@dataclass(frozen=True)
class Figure3bOptions:
    """Options of the figure3b step.

    Parameters
    ----------
    n_features : list of int
        The input dimensions d: one simple and d - 1 complex features.
    n_repeats : int, default=3
        Randomizations per condition.
    """

    n_features: list
    n_repeats: int = 3


def figure3b(run, options):
    """Train the recipe's network on its dataset at each input dimension."""
    rows, scores = [], []
    for n_features in tqdm(options.n_features, desc="figure3b", unit="size",
                           disable=not run.progress, leave=False):
        start = time.perf_counter()
        data = run.read(run.dataset, n_features=n_features)
        model = make_model(run, data=data).fit(data.X_train, data.y_train)
        table = randomized_scores(model, data.X_test, data.y_test, simple_features=data,
                                  metrics="roc_auc", n_repeats=options.n_repeats,
                                  random_state=run.seed)
        n_complex = len(data.complex_features)
        scores.append(table.assign(n_complex_features=n_complex))
        rows.append({
            "n_complex_features": n_complex,
            **{f"{condition} AUC": table.loc[condition, "roc_auc_mean"]
               for condition in table.index},
            "epochs": len(model.history_),
            "seconds": time.perf_counter() - start,
        })
    table = pd.DataFrame(rows).set_index("n_complex_features")
    run.tables["figure3b"] = table
    run.record("max S-randomized AUC", table["S-randomized AUC"].max())
    run.record("min S^c-randomized AUC", table["S^c-randomized AUC"].min())
    run.record("largest n_features", max(options.n_features))
    display = RandomizedScoreCurveDisplay.from_results(pd.concat(scores), x="n_complex_features")
    display.ax_.set_ylim(0.4, 1.05)
    display.ax_.set_xlabel("number of complex features")
    display.ax_.set_ylabel("AUC")
    display.figure_.tight_layout()
    run.figures["figure3b.png"] = display.figure_
