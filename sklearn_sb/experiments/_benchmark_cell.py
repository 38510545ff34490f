"""One benchmark cell: a method with one hyperparameter setting, on one dataset, one seed.

The cell fits the model once, then lets every selection rule choose among
its candidates (the model, and each member of an ensemble) on the rule's
held-out rows. A search cell reports the rules' validation scores only; a
final cell also scores each chosen candidate on the test rows.
"""

import json
import time

import numpy as np
from sklearn.base import clone

from ..utils._chance import majority_share, near_chance
from ._benchmark_data import SIZES, benchmark_data, benchmark_dataset
from ._recipes import ATTACK_ROWS
from ._selection import SELECTION_RULES, candidates

#: The method name of the reference row: a network trained with S removed.
CEILING = "S-removed ceiling"
#: The warning of a run whose training diverged.
DIVERGED = "training diverged"
#: The test scores of every final run (synthetic runs add one per coordinate).
SCORES = ("standard accuracy", "standard AUC", "S-randomized accuracy", "S-randomized AUC",
          "S^c-randomized accuracy", "S^c-randomized AUC", "worst-group accuracy", "ECE",
          "S-randomized worst-group accuracy", "S-randomized worst-group ECE",
          "accuracy under UAP")

_warmed_up = False


def _warm_up():
    """Pay the one-off costs of a worker (imports, first autograd) outside the timings."""
    global _warmed_up
    if _warmed_up:
        return
    from .._classifier import SBNetClassifier
    from ..adversarial import UniversalPerturbation
    from ..datasets import make_lms
    from ..inspection import randomized_scores

    X, y = make_lms(64, 4, random_state=0)
    net = SBNetClassifier(module__width=4, max_epochs=1, device="cpu", random_state=0)
    net.fit(X, y)
    randomized_scores(net, X, y, simple_features=[0], n_repeats=1, random_state=0)
    UniversalPerturbation(net, eps=0.1, random_state=0).fit(X, y)
    _warmed_up = True


def seeded(model, seed):
    """``model`` with every ``random_state`` in it, nested ones too, set to ``seed``."""
    names = [name for name in model.get_params(deep=True)
             if name == "random_state" or name.endswith("__random_state")]
    return model.set_params(**dict.fromkeys(names, seed))


def side_data_for(model, data):
    """The side data of ``data`` that ``model``'s fit takes, but the selection sets.

    A method gets what its ``accepted_side_data()`` names, except a labeled
    set it would use only to select a member: selecting is the rules' job.
    ``groups`` are the training rows' groups: a method that takes groups of
    other rows (DFR's, of its validation set) does not get them.
    """
    from ..mitigation._side_data import accepted_side_data, resolve

    declared = getattr(model, "side_data", {})
    return {name: value for name, value in data.side_data.items()
            if name in accepted_side_data(model)
            and resolve(declared[name].information, model) != "labeled_ood_selection"
            and not (name == "groups" and declared[name].rows_of is not None)}


def _as_erm(model, data):
    """Whether ``model`` acts on minority groups and the training rows have none."""
    from ._selection import has_minority_groups

    return bool(getattr(model, "needs_minority_groups", False)) and \
        not has_minority_groups(data.y_train, data.side_data["groups"])


def training_accuracy(model, data):
    """``(accuracy, warning)``: the warning when the accuracy is near chance."""
    accuracy = float(model.score(data.X_train, data.y_train))
    if near_chance(accuracy, data.y_train):
        return accuracy, (f"training accuracy {accuracy:.3f} is near chance "
                          f"({majority_share(data.y_train):.3f}, the majority class's share)")
    return accuracy, ""


def _scores(model, data, seed, n_repeats, eps):
    """Every test score of one chosen model."""
    from ..adversarial import UniversalPerturbation
    from ..inspection import coordinatewise_randomized_scores, group_scores, randomized_scores
    from ._selection import has_minority_groups

    table = randomized_scores(model, data.X_test, data.y_test, simple_features=data.blocks,
                              metrics=("accuracy", "roc_auc"), n_repeats=n_repeats,
                              random_state=seed)
    scores = {}
    for condition in table.index:
        scores[f"{condition} accuracy"] = float(table.loc[condition, "accuracy_mean"])
        scores[f"{condition} AUC"] = float(table.loc[condition, "roc_auc_mean"])
    test_groups = group_scores(model, data.X_test, data.y_test, data.groups_test)
    scores["worst-group accuracy"] = (
        float(test_groups.loc["worst group", "accuracy"])
        if has_minority_groups(data.y_test, data.groups_test) else np.nan)
    scores["ECE"] = float(test_groups.loc["average", "expected calibration error"])
    decorrelated = data.selection_sets["decorrelated test"]
    decorrelated_groups = group_scores(model, decorrelated.X, decorrelated.y,
                                       decorrelated.groups)
    scores["S-randomized worst-group accuracy"] = float(
        decorrelated_groups.loc["worst group", "accuracy"])
    scores["S-randomized worst-group ECE"] = float(
        decorrelated_groups["expected calibration error"].drop(
            ["worst group", "group-balanced", "average"]).max())
    uap = UniversalPerturbation(model, eps=eps, random_state=seed).fit(
        data.X_train[:ATTACK_ROWS], data.y_train[:ATTACK_ROWS])
    scores["accuracy under UAP"] = float(model.score(uap.transform(data.X_test), data.y_test))
    if data.image_shape is None:
        coordinates = coordinatewise_randomized_scores(
            model, data.X_test, data.y_test, rotation=data.blocks, n_repeats=n_repeats,
            random_state=seed)
        for j, (kind, score) in enumerate(zip(data.blocks.feature_info,
                                              coordinates.scores_mean)):
            scores[f"coordinate {j} ({kind}) randomized accuracy"] = float(score)
    return scores


def run_cell(dataset, method, seed, size, data_home=None, n_threads=None, factory=None, *,
             draw=0, n_draws=1, hparam_seed=0, knobs=None, rules=None, search=False):
    """Fit ``method`` on ``dataset`` with ``seed``: its rows of the benchmark table.

    ``factory`` is the method's ``(size, dataset) -> estimator`` (default:
    :func:`~sklearn_sb.experiments.method_factory` of ``method``). The model
    takes hyperparameter setting ``draw`` of the ``n_draws`` that
    :func:`~sklearn_sb.experiments._search.hyperparameter_draws` gives with
    ``hparam_seed`` (setting 0: the defaults), every side datum of the
    dataset its ``accepted_side_data()`` names but a selection set, and
    every ``random_state`` in it is ``seed``. The wall time is that of
    ``fit``, after a one-off warm-up of the worker.

    Returns
    -------
    rows : list of dict
        One per selection rule of ``rules`` (default: all) that applies to
        the dataset: the candidate it chose, its validation score and, unless
        ``search``, its test scores. A run whose training diverges (a drawn
        setting may) gives rows without a candidate or scores, whose warning
        starts with ``'training diverged'``.
    """
    import torch

    from ._benchmark import method_factory
    from ._search import hyperparameter_draws

    if n_threads is not None:
        torch.set_num_threads(n_threads)
    size = SIZES[size] if isinstance(size, str) else size
    data = benchmark_data(dataset, size, seed, data_home, knobs)
    setting = benchmark_dataset(dataset, size, data.image_shape)
    base = {"dataset": dataset, **data.knobs, "method": method, "seed": seed}
    _warm_up()
    if method == CEILING:
        return [_ceiling(data, setting, size, seed, base)]
    factory = method_factory(method) if factory is None else factory
    model = seeded(clone(factory(size, setting)), seed)
    hyperparameters = hyperparameter_draws(model, n_draws, random_state=hparam_seed)[draw]
    model.set_params(**hyperparameters)
    applied = [SELECTION_RULES[name] for name in (SELECTION_RULES if rules is None else rules)
               if SELECTION_RULES[name].applies_to(data.selection_sets)]
    base.update(draw=draw, hyperparameters=json.dumps(hyperparameters, sort_keys=True),
                **{"as ERM": _as_erm(model, data)})
    start = time.perf_counter()
    try:
        model.fit(data.X_train, data.y_train, **side_data_for(model, data))
    except FloatingPointError as error:
        # A drawn setting may diverge: the run has no model and no score, and
        # no rule can choose it; the benchmark goes on.
        return [{**base, "rule": rule.name, "candidate": "", "validation score": np.nan,
                 "wall time (s)": time.perf_counter() - start, "side information": "",
                 "train accuracy": np.nan, "warning": f"{DIVERGED}: {error}",
                 **({} if search else dict.fromkeys(SCORES, np.nan))}
                for rule in applied]
    seconds = time.perf_counter() - start
    used = [data.made_with.get(info, info)
            for info in getattr(model, "side_information_", ("none",))]
    found = candidates(model)
    trained = [training_accuracy(estimator, data) for _, estimator in found]
    # A candidate that did not learn its training rows is no model, whatever
    # its validation score (a member at chance on two classes scores 0.5
    # everywhere, and may beat a member that learned S on decorrelated rows).
    usable = [i for i, (_, warning) in enumerate(trained) if not warning] or list(range(len(found)))
    rows, scored = [], {}
    for rule in applied:
        index, validation = rule.choose([found[i] for i in usable], data.selection_sets)
        chosen = usable[index]
        information = [info for info in [*used, rule.side_information] if info != "none"]
        row = {**base, "rule": rule.name, "candidate": found[chosen][0],
               "validation score": validation, "wall time (s)": seconds,
               "side information": "+".join(dict.fromkeys(information)) or "none",
               "train accuracy": trained[chosen][0], "warning": trained[chosen][1]}
        if not search:
            if chosen not in scored:
                scored[chosen] = _scores(found[chosen][1], data, seed, size.n_repeats,
                                         setting.eps)
            row.update(scored[chosen])
        rows.append(row)
    return rows


def _ceiling(data, setting, size, seed, base):
    """The reference row: a network trained and tested with S removed."""
    from ..inspection import s_removed_control

    start = time.perf_counter()
    result = s_removed_control(seeded(clone(setting.network), seed), data.X_train,
                               data.y_train, data.X_test, data.y_test,
                               simple_features=data.blocks, n_repeats=size.n_repeats,
                               random_state=seed)
    return {**base, "rule": "", "draw": 0, "hyperparameters": "{}", "candidate": "model",
            "validation score": np.nan, "wall time (s)": time.perf_counter() - start,
            "side information": "oracle_simple_block", "train accuracy": np.nan,
            "warning": "", "S^c accuracy (S removed)": result.ceiling["accuracy"],
            "S^c AUC (S removed)": result.ceiling["roc_auc"]}
