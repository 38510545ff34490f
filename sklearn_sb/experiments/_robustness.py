"""Simplicity bias across activations, optimizers and regularization."""

from dataclasses import dataclass

import pandas as pd
from tqdm.auto import tqdm

from ..inspection import randomized_scores
from ._figures import bar_figure
from ._model import make_model

_AUCS = ["standard AUC", "S^c-randomized AUC", "S-randomized AUC"]
# A network that stays near chance learned neither block: its randomized
# AUCs say nothing about which one it relies on.
_LEARNED_AUC = 0.9


@dataclass(frozen=True)
class RobustnessOptions:
    """Options of the robustness step.

    Parameters
    ----------
    datasets : list of str
        Catalog names of the datasets every setting is swept on.
    factors : dict
        ``{factor: {setting: network parameters}}``: each setting's
        parameters replace the recipe's.
    n_repeats : int, default=3
        Randomizations per condition.
    """

    datasets: list
    factors: dict
    n_repeats: int = 3


def robustness(run, options):
    """The recipe's network with one factor changed at a time, on several datasets.

    Settings that leave the recipe's network as it is share one fit per
    dataset. The summaries cover the settings that learned the task
    (standard AUC of at least 0.9).
    """
    settings = [(factor, setting, overrides)
                for factor, levels in options.factors.items()
                for setting, overrides in levels.items()]
    datasets = list(run.datasets(options.datasets))
    rows = []
    with tqdm(total=len(datasets) * len(settings), desc="robustness", unit="setting",
              disable=not run.progress, leave=False) as bar:
        for name, data in datasets:
            fitted = []  # (parameters, scores) of this dataset's fits
            for factor, setting, overrides in settings:
                bar.set_postfix_str(f"{name}: {setting}")
                params = {**run.model_params, **overrides}
                scores = next((s for p, s in fitted if p == params), None)
                if scores is None:
                    scores = _fit_and_score(run, data, overrides, options)
                    fitted.append((params, scores))
                rows.append({"dataset": name, "factor": factor, "setting": setting,
                             "lr": params["lr"], **scores})
                bar.update()
    table = pd.DataFrame(rows).set_index(["dataset", "setting"])
    run.tables["robustness"] = table
    _summarize(run, table)
    run.figures["robustness.png"] = _figure(table)


def _summarize(run, table):
    for name, group in table.groupby(level="dataset", sort=False):
        learned = group[group["standard AUC"] >= _LEARNED_AUC]
        run.record(f"settings that learned the task ({name})",
                   f"{len(learned)} of {len(group)}")
        run.record(f"max S-randomized AUC ({name})", learned["S-randomized AUC"].max())
        run.record(f"min S^c-randomized AUC ({name})", learned["S^c-randomized AUC"].min())


def _fit_and_score(run, data, overrides, options):
    model = make_model(run, data=data, **overrides).fit(data.X_train, data.y_train)
    table = randomized_scores(
        model, data.X_test, data.y_test, simple_features=data,
        metrics=("accuracy", "roc_auc"), n_repeats=options.n_repeats,
        random_state=run.seed,
    )
    return {
        "train accuracy": model.score(data.X_train, data.y_train),
        "test accuracy": table.loc["standard", "accuracy_mean"],
        "standard AUC": table.loc["standard", "roc_auc_mean"],
        **{f"{condition} AUC": table.loc[condition, "roc_auc_mean"]
           for condition in ("S-randomized", "S^c-randomized")},
        "epochs": len(model.history_),
    }


def _figure(table):
    import matplotlib.pyplot as plt

    names = table.index.unique(level="dataset")
    height = 3.2 * len(names)
    figure, axes = plt.subplots(len(names), 1, figsize=(8, height), squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        bar_figure(table.loc[name, _AUCS], ylabel="AUC", ylim=(0.4, 1.02), title=name,
                   xlabel="", reference=0.5, rotation=60, width=0.8, legend_loc=None, ax=ax)
        plt.setp(ax.get_xticklabels(), fontsize="small")
    figure.legend(*axes[0, 0].get_legend_handles_labels(), loc="upper center", ncol=3,
                  fontsize="small")
    figure.tight_layout(rect=(0, 0, 1, 1 - 0.35 / height))
    return figure
