"""The benchmark's summaries: statistics over seeds, the printed table, the figures."""

import numpy as np
import pandas as pd

from ._benchmark_cell import CEILING, DIVERGED
from ._benchmark_data import KNOBS
from ._figures import bar_figure
from ._statistics import paired_difference, seed_statistics

#: Scores summarized with a bootstrap interval over the seeds; the others get
#: a mean and a standard error.
HEADLINE_SCORES = ("standard accuracy", "S-randomized accuracy", "worst-group accuracy",
                   "S-randomized worst-group accuracy")
#: Scores compared with ERM's on the same seeds.
PAIRED_SCORES = ("S-randomized accuracy", "worst-group accuracy")
_TEXTS = ("seed", "side information", "candidate", "warning", "hyperparameters", "rule",
          "dataset", "method", "draw")


def summary_keys(cells):
    """The columns a summary row is keyed by: dataset, the knobs swept, method, rule."""
    return ["dataset", *[knob for knob in KNOBS if knob in cells], "method", "rule"]


def summarize(cells, *, random_state=0):
    """Statistics over the seeds of every score, per dataset, knob value, method and rule.

    Every score gets its mean and standard error (``'<score> mean'``,
    ``'<score> se'``); the :data:`HEADLINE_SCORES` also a 95 % percentile
    bootstrap interval of the mean (``'ci low'``, ``'ci high'``); the
    :data:`PAIRED_SCORES` the paired difference with ERM under the same
    rule on the same seeds (``'<score> vs ERM'`` with its interval).
    """
    keys = summary_keys(cells)
    numeric = [column for column in cells if column not in _TEXTS and column not in keys
               and pd.api.types.is_numeric_dtype(cells[column])]
    rows = []
    for key, group in cells.groupby(keys, sort=False, dropna=False):
        row = dict(zip(keys, key))
        for column in numeric:
            values = group[column].to_numpy(dtype=float)
            if np.isnan(values).all():
                row[f"{column} mean"] = row[f"{column} se"] = np.nan
                continue
            values = values[~np.isnan(values)]
            if column in HEADLINE_SCORES:
                stats = seed_statistics(values, random_state=random_state)
                row.update({f"{column} {name}": stats[name]
                            for name in ("mean", "ci low", "ci high")})
                row[f"{column} se"] = stats["standard error"]
            else:
                row[f"{column} mean"] = values.mean()
                row[f"{column} se"] = (values.std(ddof=1) / np.sqrt(len(values))
                                       if len(values) > 1 else 0.0)
        row.update(_paired_with_erm(cells, keys, key, group, random_state))
        row["side information"] = group["side information"].iloc[0]
        row["hyperparameters"] = group["hyperparameters"].iloc[0]
        row["candidates"] = ", ".join(sorted(set(group["candidate"])))
        diverged = group["warning"].str.startswith(DIVERGED)
        row["seeds"] = group["seed"].nunique()
        row["seeds diverged"] = int(diverged.sum())
        row["seeds near chance"] = int(((group["warning"] != "") & ~diverged).sum())
        rows.append(row)
    return pd.DataFrame(rows).set_index(keys)


def _paired_with_erm(cells, keys, key, group, random_state):
    from ._benchmark import ERM

    where = dict(zip(keys, key))
    if where["method"] in (ERM, CEILING):
        return {}
    erm = cells
    for column, value in {**where, "method": ERM}.items():
        erm = erm[erm[column].isna()] if pd.isna(value) else erm[erm[column] == value]
    paired = group.merge(erm, on="seed", suffixes=("", " erm"))
    result = {}
    for score in PAIRED_SCORES:
        # Seeds where either run has no score (diverged, or no minority group).
        both = paired[[score, f"{score} erm"]].dropna() if score in paired else paired[[]]
        if both.empty:
            continue
        stats = paired_difference(both[score].to_numpy(float),
                                  both[f"{score} erm"].to_numpy(float),
                                  random_state=random_state)
        result.update({f"{score} vs ERM {name}": stats[name]
                       for name in ("mean", "ci low", "ci high")})
    return result


_PRINTED = {
    "standard accuracy": "acc.",
    "S-randomized accuracy": "S-rand.",
    "S^c-randomized accuracy": "S^c-rand.",
    "worst-group accuracy": "worst grp",
    "accuracy under UAP": "UAP acc.",
}
#: Short names of the side information in the printed table.
SIDE_CODES = {"none": "-", "unlabeled_ood": "U", "oracle_simple_block": "O",
              "labeled_ood_selection": "Ls", "labeled_decorrelated_fit": "Lf",
              "group_labels": "Gf", "validation_group_labels": "G",
              "oracle_test_selection": "T"}
#: Short names of the selection rules in the printed table.
RULE_CODES = {"oracle": "oracle*", "decorrelated-validation": "decor.",
              "in-distribution-validation": "in-dist.", "worst-group-validation": "wg-val."}


def _mean_se(mean, se):
    # The standard error without its leading zero keeps the table in 120 columns.
    return "" if np.isnan(mean) else f"{mean:.3f}±{se:.3f}".replace("±0.", "±.")


def format_table(table):
    """The summary as 'mean±SE' texts (``0.912±.004``), for a 120-column terminal.

    Accuracies (the worst group's: of the test rows where they have
    minority groups, else of the S-randomized test rows), the paired difference of S-randomized accuracy
    with ERM's, the side information (:data:`SIDE_CODES`) and the rule
    (:data:`RULE_CODES`; ``*`` marks the oracle, an upper bound). ``!``
    marks a row with seeds whose model stayed near chance in training or
    whose training diverged.
    The full table is ``table`` (and ``benchmark.csv``).
    """
    frame = table.reset_index()
    keys = [key for key in table.index.names if key != "rule"]
    columns = {key: frame[key] for key in keys}
    columns["rule"] = [RULE_CODES.get(rule, rule) for rule in frame["rule"]]
    for score, title in _PRINTED.items():
        mean, se = frame.get(f"{score} mean"), frame.get(f"{score} se")
        if mean is None:
            continue
        if score == "worst-group accuracy":
            fallback = frame["S-randomized worst-group accuracy mean"].notna() & mean.isna()
            mean = mean.where(~fallback, frame["S-randomized worst-group accuracy mean"])
            se = se.where(~fallback, frame["S-randomized worst-group accuracy se"])
        if score == "S^c-randomized accuracy" and "S^c accuracy (S removed) mean" in frame:
            ceiling = frame["S^c accuracy (S removed) mean"].notna()
            mean = mean.where(~ceiling, frame["S^c accuracy (S removed) mean"])
            se = se.where(~ceiling, frame["S^c accuracy (S removed) se"])
        columns[title] = [_mean_se(m, s) for m, s in zip(mean, se)]
    if "S-randomized accuracy vs ERM mean" in frame:
        columns["vs ERM"] = [
            "" if np.isnan(m) else f"{m:+.3f}"
            for m in frame["S-randomized accuracy vs ERM mean"]]
    columns["side"] = ["+".join(SIDE_CODES.get(info, info) for info in side.split("+"))
                       for side in frame["side information"]]
    flagged = frame["seeds near chance"] + frame.get("seeds diverged", 0)
    columns[""] = np.where(flagged > 0, "!", "")
    return pd.DataFrame(columns).set_index([*keys, "rule"])


def legend():
    """The lines printed under :func:`format_table`'s table."""
    codes = ", ".join(f"{code} {name}" for name, code in SIDE_CODES.items())
    rules = ", ".join(f"{code} {name}" for name, code in RULE_CODES.items())
    return [f"rules: {rules} (* an upper bound, not a result).",
            f"side information: {codes}.",
            "worst grp: of the test rows where they have minority groups, else of the "
            "S-randomized test rows.",
            "vs ERM: mean paired difference of S-randomized accuracy with ERM's, same rule "
            "and seeds.",
            "! training accuracy near chance, or training diverged, for some seeds (see "
            "'warning' in cells.csv).",
            "AUCs, calibration (ECE), intervals and every coordinate's randomized accuracy: "
            "benchmark.csv."]


def figure(table, rules):
    """S-randomized accuracy per method and dataset, one panel per rule."""
    import matplotlib.pyplot as plt

    column = "S-randomized accuracy"
    scored = table[table[f"{column} mean"].notna()].reset_index()
    rules = [rule for rule in rules if rule in set(scored["rule"])]
    if not rules:
        fig, ax = plt.subplots(figsize=(6, 1.5))
        ax.text(0.5, 0.5, "No run has a score (every run diverged).", ha="center")
        ax.set_axis_off()
        return fig
    methods = list(dict.fromkeys(scored["method"]))
    datasets = list(dict.fromkeys(scored["dataset"]))
    fig, axes = plt.subplots(len(rules), 1, squeeze=False, sharex=True,
                             figsize=(max(8, 1.1 * len(methods)), 2.6 * len(rules) + 1))
    for ax, rule in zip(axes[:, 0], rules):
        rows = scored[scored["rule"] == rule]
        means = rows.pivot(index="method", columns="dataset", values=f"{column} mean")
        errors = rows.pivot(index="method", columns="dataset", values=f"{column} se")
        order = [m for m in methods if m in means.index]
        # Every panel has a bar slot for every dataset, so that a dataset has
        # one colour throughout (a rule may apply to some datasets only).
        bar_figure(means.reindex(index=order, columns=datasets),
                   errors.reindex(index=order, columns=datasets),
                   ylabel="S-rand. accuracy", ylim=(0.3, 1.02), reference=0.5, rotation=30,
                   xlabel="", title=f"selected by {rule}" + (" (an upper bound)"
                                                             if rule == "oracle" else ""),
                   legend_loc="upper left" if ax is axes[0, 0] else None, ax=ax)
    fig.suptitle("Accuracy with the simple block S randomized (mean ± SE over seeds)")
    fig.tight_layout()
    return fig


def sweep_figure(table, knob, rule):
    """Each method's S-randomized and worst-group accuracy along ``knob``, per dataset."""
    import matplotlib.pyplot as plt

    frame = table.reset_index()
    frame = frame[(frame["rule"] == rule)]
    datasets = list(dict.fromkeys(frame["dataset"]))
    scores = ["S-randomized accuracy", "worst-group accuracy"]
    fig, axes = plt.subplots(len(scores), len(datasets), squeeze=False, sharex="col",
                             figsize=(4 * len(datasets), 6.2))
    for column, dataset in enumerate(datasets):
        rows = frame[frame["dataset"] == dataset]
        for line, score in enumerate(scores):
            ax = axes[line, column]
            for method, points in rows.groupby("method", sort=False):
                points = points.sort_values(knob)
                mean = points[f"{score} mean"]
                if score == "worst-group accuracy":
                    # At a knob value without minority groups in the test
                    # rows, the worst group is that of the S-randomized rows.
                    mean = mean.fillna(points["S-randomized worst-group accuracy mean"])
                ax.errorbar(points[knob], mean, yerr=points[f"{score} se"].fillna(0),
                            marker="o", ms=3, capsize=2, label=method)
            ax.axhline(0.5, color="grey", lw=0.8, ls="--")
            ax.set_ylim(0, 1.02)
            if column == 0:
                ax.set_ylabel(score)
            if line == 0:
                ax.set_title(dataset)
            else:
                ax.set_xlabel(knob.replace("_", " "))
    axes[0, 0].legend(fontsize="small", loc="lower left")
    fig.suptitle(f"Along the {knob.replace('_', ' ')} (selected by {rule}; mean ± SE "
                 f"over seeds)")
    fig.tight_layout()
    return fig
