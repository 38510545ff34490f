"""The confidence step: sure of itself on conflict data, unseen by output-based detectors.

The paper's pitfall (ii): a simplicity-biased network stays confident when
the complex block S^c contradicts the simple block S. Section 4.3's
implication: its outputs do not read S^c, so a shift detector that reads
the outputs cannot tell S^c-shifted data from standard data.
"""

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score
from sklearn.utils import check_random_state

from ..inspection import in_distribution_scores, make_conflict_data, randomize_block
from ..inspection._detectors import DETECTORS
from ..utils._blocks import simple_and_complex

# What the paper implies for the mean maximum softmax on each kind of data.
_PAPER_CONFIDENCE = {
    "S^c-randomized": "as on standard data (logits essentially identical)",
    "conflict": "high, as on standard data (pitfall ii)",
    "S-randomized": "as on standard data (logits shuffled across classes)",
}


def confidence(run, options):
    data = {"standard": run.X_test, **_shifted_test_data(run)}
    scores = {
        condition: {d: in_distribution_scores(run.model, X, detector=d) for d in DETECTORS}
        for condition, X in data.items()
    }
    table = pd.DataFrame(index=pd.Index(list(data), name="data"))
    # Labels are untouched on every kind of data: on conflict data, y is S's label.
    table["accuracy"] = [run.model.score(X, run.y_test) for X in data.values()]
    table["mean max softmax"] = [scores[c]["max_softmax"].mean() for c in data]
    for detector in DETECTORS:
        table[f"{detector} AUC"] = [
            np.nan if c == "standard" else _detection_auc(scores["standard"][detector],
                                                          scores[c][detector])
            for c in data
        ]
    run.tables["confidence"] = table

    for condition in data:
        run.record(f"mean max softmax on {condition} data",
                   table.loc[condition, "mean max softmax"], _PAPER_CONFIDENCE.get(condition))
    run.record("accuracy on conflict data, against S's label", table.loc["conflict", "accuracy"],
               "~1.0 (the network follows S)")
    for detector in DETECTORS:
        run.record(f"{detector} AUC, standard vs S^c-randomized",
                   table.loc["S^c-randomized", f"{detector} AUC"], "~0.5 (Section 4.3)")
        run.record(f"{detector} AUC, standard vs S-randomized",
                   table.loc["S-randomized", f"{detector} AUC"])
    run.figures["confidence.png"] = _confidence_figure(
        {c: scores[c]["max_softmax"] for c in data}, n_classes=len(run.model.classes_)
    )


def _shifted_test_data(run):
    """The test rows with S^c randomized, S^c from another class, and S randomized."""
    X = run.X_test
    simple, rest, rotation = simple_and_complex(run.data, None, X.shape[1])
    rng = check_random_state(run.seed)
    return {
        "S^c-randomized": randomize_block(X, rest, rotation, rng.permutation(len(X))),
        "conflict": make_conflict_data(X, run.y_test, simple_features=run.data,
                                       random_state=rng),
        "S-randomized": randomize_block(X, simple, rotation, rng.permutation(len(X))),
    }


def _detection_auc(standard, shifted):
    """ROC AUC of telling standard rows (the positives) from shifted rows by their scores."""
    is_standard = np.r_[np.ones(len(standard)), np.zeros(len(shifted))]
    return roc_auc_score(is_standard, np.r_[standard, shifted])


def _confidence_figure(max_softmax, n_classes):
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots(figsize=(6, 3.5))
    bins = np.linspace(1 / n_classes, 1, 41)
    for condition, values in max_softmax.items():
        ax.hist(values, bins=bins, histtype="step", linewidth=1.5, label=condition)
    # Nearly every row sits at the top bin; a log scale shows the rest.
    ax.set_yscale("log")
    ax.set_xlabel("maximum softmax probability")
    ax.set_ylabel("test rows")
    ax.legend(loc="upper left", fontsize="small")
    figure.tight_layout()
    return figure
