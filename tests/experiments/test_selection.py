"""Model-selection rules: each scores every candidate on its own rows and keeps the best."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils import Bunch

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.experiments._selection import (
    SELECTION_RULES,
    candidates,
    has_minority_groups,
    selection_score,
)
from sklearn_sb.mitigation import LogitEnsembleClassifier


class Lookup(ClassifierMixin, BaseEstimator):
    """Predicts the label stored for each row index (X is the row index)."""

    def __init__(self, answers=None):
        self.answers = answers

    def predict(self, X):
        return np.asarray(self.answers)[np.asarray(X)[:, 0].astype(int)]


def _sets(y, groups):
    rows = Bunch(X=np.arange(len(y))[:, None], y=np.asarray(y), groups=np.asarray(groups))
    return {"decorrelated test": rows, "decorrelated validation": rows,
            "in-distribution validation": rows}


Y = np.array([0, 0, 0, 0, 1, 1, 1, 1])
GROUPS = np.array([0, 0, 0, 1, 3, 3, 3, 2])  # one minority row per label


def test_accuracy_rules_pick_the_candidate_with_the_most_correct_rows():
    right_on_majority = Y.copy()
    right_on_majority[[3, 7]] = 1 - Y[[3, 7]]          # 6 / 8, minority rows wrong
    right_on_minority = Y.copy()
    right_on_minority[[0, 1, 4]] = 1 - Y[[0, 1, 4]]    # 5 / 8, minority rows right
    found = [("model", Lookup(1 - Y)), ("member 0", Lookup(right_on_majority)),
             ("member 1", Lookup(right_on_minority))]
    sets = _sets(Y, GROUPS)
    for name in ("oracle", "decorrelated-validation", "in-distribution-validation"):
        assert SELECTION_RULES[name].choose(found, sets) == (1, 6 / 8)
    # Worst-group accuracy: the model gets every row wrong, member 0 the one
    # row of group 1, and member 1's worst group is group 0 (1 of 3 right).
    assert SELECTION_RULES["worst-group-validation"].scores(found, sets) == \
        pytest.approx([0.0, 0.0, 1 / 3])
    assert SELECTION_RULES["worst-group-validation"].choose(found, sets) == (2, 1 / 3)


def test_ties_go_to_the_earliest_candidate():
    found = [("model", Lookup(Y)), ("member 0", Lookup(Y))]
    assert SELECTION_RULES["oracle"].choose(found, _sets(Y, GROUPS))[0] == 0


def test_the_worst_group_rule_applies_only_where_some_label_has_a_minority_group():
    assert SELECTION_RULES["worst-group-validation"].applies_to(_sets(Y, GROUPS))
    majority_only = _sets(Y, 3 * Y)
    assert not SELECTION_RULES["worst-group-validation"].applies_to(majority_only)
    assert SELECTION_RULES["in-distribution-validation"].applies_to(majority_only)
    assert not SELECTION_RULES["oracle"].applies_to({})


def test_minority_groups_are_labels_spanning_several_groups():
    assert has_minority_groups([0, 0, 1], [0, 1, 3])
    assert not has_minority_groups([0, 0, 1], [0, 0, 3])
    assert not has_minority_groups([0, 1], None)


def test_selection_scores_are_accuracy_or_worst_group_accuracy():
    rows = _sets(Y, GROUPS)["decorrelated test"]
    wrong_minority = Y.copy()
    wrong_minority[[3]] = 1
    model = Lookup(wrong_minority)
    assert selection_score(model, rows, "accuracy") == 7 / 8
    assert selection_score(model, rows, "worst-group accuracy") == 0.0


def test_candidates_are_the_model_then_each_member_of_an_ensemble_of_several():
    X, y = make_lms(200, 4, random_state=0)
    network = SBNetClassifier(module__width=8, max_epochs=1, random_state=0)
    ensemble = LogitEnsembleClassifier(network, n_estimators=2).fit(X, y)
    names = [name for name, _ in candidates(ensemble)]
    assert names == ["model", "member 0", "member 1"]
    assert candidates(ensemble)[2][1] is ensemble.estimators_[1]
    single = network.fit(X, y)
    assert candidates(single) == [("model", single)]


def test_every_rule_names_its_side_information_and_the_oracle_is_an_upper_bound():
    from sklearn_sb.mitigation._side_data import SIDE_INFORMATION

    assert [rule for rule in SELECTION_RULES.values() if rule.upper_bound] == \
        [SELECTION_RULES["oracle"]]
    assert all(rule.side_information in SIDE_INFORMATION for rule in SELECTION_RULES.values())
