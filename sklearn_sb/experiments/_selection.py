"""Model-selection rules: which held-out rows choose a member, a head and a setting.

A benchmark number is only as trustworthy as the rule that chose the model
behind it. A rule names a set of held-out rows and a score on them; among
the candidates of a fitted model (the model itself and, for an ensemble,
each member or head) and among the hyperparameter settings of a search, the
rule keeps the one that scores best on its rows. The rules differ in what
they assume is available, which is side information like any other:

* ``oracle``: the decorrelated test rows themselves (the test set with the
  simple block S permuted). An upper bound, never a result: it is flagged.
* ``decorrelated-validation``: a labeled validation set where S is
  decorrelated from the label (side information ``labeled_ood_selection``).
* ``in-distribution-validation``: held-out rows of the training
  distribution only (no side information).
* ``worst-group-validation``: the same held-out rows with their group
  labels, scored by worst-group accuracy; only on data whose held-out rows
  have minority groups.
"""

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class SelectionRule:
    """One model-selection rule.

    Parameters
    ----------
    name : str
    rows : str
        The key of the held-out rows in a benchmark dataset's
        ``selection_sets``.
    score : {'accuracy', 'worst-group accuracy'}
    side_information : str
        What using the rows amounts to, in the words of
        :data:`~sklearn_sb.mitigation.SIDE_INFORMATION` or ``'oracle_test_selection'``.
    upper_bound : bool
        Whether the rule looks at the test distribution (an oracle).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.dummy import DummyClassifier
    >>> from sklearn.utils import Bunch
    >>> from sklearn_sb.experiments import SELECTION_RULES
    >>> X, y = np.zeros((4, 1)), np.array([0, 1, 1, 1])
    >>> rows = {"in-distribution validation": Bunch(X=X, y=y, groups=2 * y + y)}
    >>> candidates = [("model", DummyClassifier(strategy="constant", constant=0).fit(X, y)),
    ...               ("member 0", DummyClassifier(strategy="constant", constant=1).fit(X, y))]
    >>> SELECTION_RULES["in-distribution-validation"].choose(candidates, rows)
    (1, 0.75)
    """

    name: str
    rows: str
    score: str
    side_information: str
    upper_bound: bool = False

    def applies_to(self, selection_sets):
        """Whether the rule's rows exist, with minority groups if it scores groups.

        Parameters
        ----------
        selection_sets : dict of str to Bunch
            Held-out rows by name, each a Bunch ``X``, ``y``, ``groups``.

        Returns
        -------
        applies : bool
        """
        rows = selection_sets.get(self.rows)
        if rows is None:
            return False
        return self.score != "worst-group accuracy" or has_minority_groups(rows.y, rows.groups)

    def scores(self, candidates, selection_sets):
        """The rule's score of every candidate on its rows.

        Parameters
        ----------
        candidates : list of (str, estimator)
            Named fitted candidates, as :func:`candidates` lists them.
        selection_sets : dict of str to Bunch
            Held-out rows by name, each a Bunch ``X``, ``y``, ``groups``.

        Returns
        -------
        scores : list of float
        """
        rows = selection_sets[self.rows]
        return [selection_score(estimator, rows, self.score) for _, estimator in candidates]

    def choose(self, candidates, selection_sets):
        """``(index, score)`` of the best candidate; ties go to the earliest.

        Parameters
        ----------
        candidates : list of (str, estimator)
            Named fitted candidates, as :func:`candidates` lists them.
        selection_sets : dict of str to Bunch
            Held-out rows by name, each a Bunch ``X``, ``y``, ``groups``.

        Returns
        -------
        index : int
        score : float
        """
        scores = self.scores(candidates, selection_sets)
        best = int(np.argmax(scores))
        return best, float(scores[best])


SELECTION_RULES = {
    rule.name: rule for rule in (
        SelectionRule("oracle", "decorrelated test", "accuracy", "oracle_test_selection",
                      upper_bound=True),
        SelectionRule("decorrelated-validation", "decorrelated validation", "accuracy",
                      "labeled_ood_selection"),
        SelectionRule("in-distribution-validation", "in-distribution validation", "accuracy",
                      "none"),
        SelectionRule("worst-group-validation", "in-distribution validation",
                      "worst-group accuracy", "validation_group_labels"),
    )
}


def has_minority_groups(y, groups):
    """Whether some label spans several groups (so that some group is a minority)."""
    if groups is None:
        return False
    pairs = np.unique(np.column_stack([np.asarray(y), np.asarray(groups)]), axis=0)
    return len(pairs) > len(np.unique(y))


def selection_score(estimator, rows, score):
    """``estimator``'s ``score`` ('accuracy' or 'worst-group accuracy') on ``rows``."""
    from ..inspection import worst_group_accuracy

    predictions = estimator.predict(rows.X)
    if score == "worst-group accuracy":
        return worst_group_accuracy(rows.y, predictions, groups=rows.groups)
    return float(np.mean(predictions == rows.y))


def candidates(model):
    """``[(name, estimator)]``: the fitted model, then each member of an ensemble.

    The model predicts as it does by default (an ensemble's mean logits, or
    the member its own default rule picks); a member or head of an ensemble
    of several is a model of its own, which a selection rule may prefer.
    """
    from ..mitigation import BaseNetworkEnsemble

    found = [("model", model)]
    if isinstance(model, BaseNetworkEnsemble) and len(model.estimators_) > 1:
        found += [(f"member {index}", member) for index, member in enumerate(model.estimators_)]
    return found
