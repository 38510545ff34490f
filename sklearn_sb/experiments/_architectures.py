"""Section 4.2 across architectures: the same reliance on S, the same UAP, transfer."""

import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from tqdm.auto import tqdm

from ..adversarial import UniversalPerturbation
from ..inspection import randomized_scores
from ._model import make_model
from ._recipes import ATTACK_ROWS


@dataclass(frozen=True)
class ArchitecturesOptions:
    """Options of the architectures step.

    Parameters
    ----------
    datasets : list of str
        Catalog names; each model is trained on each of them that can be
        read (see ``Run.datasets``).
    models : dict
        ``{label: network parameters}`` over the recipe's network.
    eps : dict
        ``{dataset: l2 radius of the UAPs}``.
    per_dataset : dict, default={}
        ``{dataset: {label: further network parameters}}``.
    """

    datasets: list
    models: dict
    eps: dict
    per_dataset: dict = field(default_factory=dict)


def architectures(run, options):
    """Train each architecture on each dataset; compare their UAPs."""
    rows = []
    for name, data in run.datasets(options.datasets):
        tuned = options.per_dataset.get(name, {})
        perturbations, models = {}, {}
        bar = tqdm(options.models.items(), desc=f"architectures ({name})", unit="model",
                   disable=not run.progress, leave=False)
        for label, overrides in bar:
            start = time.perf_counter()
            overrides = {**overrides, **tuned.get(label, {})}
            model = make_model(run, data=data, **overrides).fit(data.X_train, data.y_train)
            scores = randomized_scores(model, data.X_test, data.y_test, simple_features=data,
                                       metrics="roc_auc", n_repeats=3, random_state=run.seed)
            uap = UniversalPerturbation(model, eps=options.eps[name], random_state=run.seed)
            uap.fit(data.X_train[:ATTACK_ROWS], data.y_train[:ATTACK_ROWS])
            models[label], perturbations[label] = model, uap
            rows.append({
                "dataset": name, "model": label,
                "test accuracy": model.score(data.X_test, data.y_test),
                "standard AUC": scores.loc["standard", "roc_auc_mean"],
                "S-randomized AUC": scores.loc["S-randomized", "roc_auc_mean"],
                "S^c-randomized AUC": scores.loc["S^c-randomized", "roc_auc_mean"],
                "accuracy under its UAP": model.score(uap.transform(data.X_test), data.y_test),
                "UAP budget on S": uap.budget_fraction(data),
                "epochs": len(model.history_),
                "seconds": time.perf_counter() - start,
            })
        cosine = _cosine_similarities(perturbations, data.rotation)
        transfer = pd.DataFrame(
            {target: {source: model.score(uap.transform(data.X_test), data.y_test)
                      for source, uap in perturbations.items()}
             for target, model in models.items()})
        transfer.index.name, transfer.columns.name = "UAP of", "accuracy of"
        run.tables[f"uap cosine ({name})"] = cosine
        run.tables[f"uap transfer ({name})"] = transfer
        off_diagonal = ~np.eye(len(cosine), dtype=bool)
        run.record(f"min UAP cosine similarity across models ({name})",
                   cosine.to_numpy()[off_diagonal].min(), "~1 (the same UAP)")
        run.record(f"max accuracy under another model's UAP ({name})",
                   transfer.to_numpy()[off_diagonal].max(), "~0 (the UAPs transfer)")
    table = pd.DataFrame(rows).set_index(["dataset", "model"])
    run.tables["architectures"] = table
    run.record("max S-randomized AUC", table["S-randomized AUC"].max(), "~0.50")
    run.record("min S^c-randomized AUC", table["S^c-randomized AUC"].min(), 1.0)
    run.record("min UAP budget on S", table["UAP budget on S"].min(), "~0.99")
    run.figures["architectures.png"] = _figure(run)


def _cosine_similarities(perturbations, rotation):
    """Signed cosine similarities of the UAPs in the unrotated basis."""
    deltas = np.stack([uap.perturbation_.ravel().astype(np.float64)
                       for uap in perturbations.values()])
    if rotation is not None:
        deltas = deltas @ rotation.T
    deltas /= np.linalg.norm(deltas, axis=1, keepdims=True)
    labels = list(perturbations)
    frame = pd.DataFrame(deltas @ deltas.T, index=labels, columns=labels)
    frame.index.name = frame.columns.name = "model"
    return frame


def _figure(run):
    import matplotlib.pyplot as plt

    names = [key[len("uap cosine ("):-1] for key in run.tables if key.startswith("uap cosine")]
    figure, axes = plt.subplots(len(names), 2, figsize=(8, 3.4 * len(names)), squeeze=False)
    for (ax_cosine, ax_transfer), name in zip(axes, names):
        for ax, key, title, cmap in (
            (ax_cosine, f"uap cosine ({name})", "UAP cosine similarity", "viridis"),
            (ax_transfer, f"uap transfer ({name})", "accuracy under a UAP", "magma"),
        ):
            frame = run.tables[key]
            image = ax.imshow(frame.to_numpy(), vmin=-1 if "cosine" in key else 0, vmax=1,
                              cmap=cmap)
            ax.set_xticks(range(frame.shape[1]), frame.columns, rotation=30, ha="right")
            ax.set_yticks(range(frame.shape[0]), frame.index)
            for (i, j), value in np.ndenumerate(frame.to_numpy()):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", color="white"
                        if value < 0.5 else "black", fontsize="small")
            ax.set_title(f"{name}: {title}")
            ax.set_xlabel(frame.columns.name)
            ax.set_ylabel(frame.index.name)
            figure.colorbar(image, ax=ax, shrink=0.8)
    figure.tight_layout()
    return figure
