"""LogitEnsembleClassifier averages the logits of independently seeded networks."""

import numpy as np
from sklearn.base import clone

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.adversarial import UniversalPerturbation, robust_accuracy_score
from sklearn_sb.inspection import randomized_scores
from sklearn_sb.mitigation import LogitEnsembleClassifier, make_method


def test_members_differ_and_logits_are_their_mean():
    X, y = make_lms(1000, 10, random_state=0)
    ensemble = LogitEnsembleClassifier(
        SBNetClassifier(module__width=20, max_epochs=10), n_estimators=3, random_state=0
    ).fit(X, y)
    seeds = [member.random_state for member in ensemble.estimators_]
    assert len(set(seeds)) == 3
    logits = np.mean([m.predict_logits(X) for m in ensemble.estimators_], axis=0)
    np.testing.assert_allclose(ensemble.predict_logits(X), logits, rtol=1e-6)
    np.testing.assert_allclose(ensemble.decision_function(X), logits[:, 1] - logits[:, 0],
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ensemble.predict_proba(X).sum(axis=1), 1.0)
    assert ensemble.score(X, y) > 0.9
    assert clone(ensemble).get_params()["n_estimators"] == 3


def test_ensemble_of_three_fcns_keeps_extreme_simplicity_bias(lms):
    data, X_train, X_test, y_train, y_test = lms
    ensemble = LogitEnsembleClassifier(
        SBNetClassifier(module__width=100, module__depth=2, max_epochs=10,
                        target_accuracy=0.9999),
        n_estimators=3, random_state=0,
    ).fit(X_train, y_train)
    table = randomized_scores(ensemble, X_test, y_test, simple_features=data, random_state=0)
    assert table.loc["S-randomized", "roc_auc_mean"] <= 0.6
    assert table.loc["S^c-randomized", "roc_auc_mean"] >= 0.99
    # The attacks treat the ensemble as one model.
    assert robust_accuracy_score(ensemble, X_test, y_test, eps=1.0, random_state=0) <= 0.05
    uap = UniversalPerturbation(ensemble, eps=1.0, random_state=0).fit(X_train[:2000], y_train[:2000])
    assert uap.accuracy_ <= 0.1 and uap.budget_fraction(data) >= 0.95


def test_applied_to_a_network_the_ensemble_takes_it_as_member_template():
    net = SBNetClassifier(module__width=20, max_epochs=3)
    ensemble = make_method("logit-ensemble", n_estimators=2, random_state=0).apply_to(net)
    assert isinstance(ensemble, LogitEnsembleClassifier)
    assert ensemble.estimator is not net
    assert ensemble.estimator.get_params()["module__width"] == 20
    assert ensemble.n_estimators == 2
