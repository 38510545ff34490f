"""Adversarial training does not cure simplicity bias."""

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from sklearn_sb import SBNetClassifier
from sklearn_sb.mitigation import AdversarialTraining
from sklearn_sb.inspection import randomized_scores


def test_adversarially_trained_fcn_still_ignores_s_complement(lms):
    data, X_train, X_test, y_train, y_test = lms
    net = SBNetClassifier(
        module__width=100, module__depth=2, max_epochs=10, random_state=0,
        method=AdversarialTraining(eps=0.05, norm=2, step_size=0.02),
    ).fit(X_train, y_train)
    table = randomized_scores(net, X_test, y_test, simple_features=data, random_state=0)
    assert table.loc["standard", "accuracy_mean"] >= 0.99
    assert table.loc["S-randomized", "roc_auc_mean"] <= 0.6


def test_training_batches_are_replaced_by_their_pgd_examples(lms, monkeypatch):
    _, X_train, _, y_train, _ = lms
    recipe = AdversarialTraining(eps=0.3, norm="inf")
    seen = []
    original = AdversarialTraining.transform_batch

    def spy(self, net, X, y):
        X_adv, y_adv = original(self, net, X, y)
        assert y_adv is y
        seen.append(float((X_adv - X).abs().max()))
        return X_adv, y_adv

    monkeypatch.setattr(AdversarialTraining, "transform_batch", spy)
    options = dict(module__width=50, max_epochs=3, batch_size=250, random_state=0)
    adversarial = SBNetClassifier(**options, method=recipe).fit(X_train[:2000], y_train[:2000])
    plain = SBNetClassifier(**options).fit(X_train[:2000], y_train[:2000])
    assert len(seen) == 3 * 8  # every batch of every epoch
    assert max(seen) == pytest.approx(0.3, abs=1e-6)
    # Training on linf-0.3 examples is harder than on the clean data.
    assert np.all(
        np.array(adversarial.history[:, "train_loss"]) > np.array(plain.history[:, "train_loss"])
    )


def test_defaults_are_the_papers_linf_recipe():
    recipe = AdversarialTraining()
    assert (recipe.eps, recipe.norm, recipe.step_size, recipe.n_iter) == (0.3, "inf", 0.12, 7)


def test_adversarial_options_are_grid_searchable(lms):
    _, X_train, _, y_train, _ = lms
    net = SBNetClassifier(module__width=20, max_epochs=1, random_state=0,
                          method=AdversarialTraining(norm=2))
    assert net.get_params()["method__eps"] == 0.3
    grid = GridSearchCV(net, {"method__eps": [0.01, 0.05]}, cv=2)
    grid.fit(X_train[:1000], y_train[:1000])
    assert [p["method__eps"] for p in grid.cv_results_["params"]] == [0.01, 0.05]
    assert grid.best_estimator_.method.eps in (0.01, 0.05)


def test_seeded_adversarial_training_is_deterministic(lms):
    _, X_train, _, y_train, _ = lms
    options = dict(module__width=20, max_epochs=1, random_state=4,
                   method=AdversarialTraining(eps=0.05, norm=2))
    first = SBNetClassifier(**options).fit(X_train[:1000], y_train[:1000])
    second = SBNetClassifier(**options).fit(X_train[:1000], y_train[:1000])
    for a, b in zip(first.module_.parameters(), second.module_.parameters()):
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
