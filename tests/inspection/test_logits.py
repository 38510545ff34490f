"""Logit distributions on randomized data and the statistics that read them."""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier

from sklearn_sb.inspection import positive_logits, randomized_logits


def test_model_reading_only_s(simple_rule, lms_data):
    result = randomized_logits(simple_rule, lms_data.X, lms_data.y, simple_features=lms_data,
                               random_state=0)
    summary = result.summary
    assert summary.loc["standard", "class_ks"] == pytest.approx(1.0)
    assert summary.loc["S-randomized", "class_ks"] < 0.1  # shuffled across classes
    # Identical up to rounding: a logit that moves by 1e-16 can cross its
    # neighbour, worth 1/n of KS distance.
    assert summary.loc["S^c-randomized", "ks_to_standard"] < 0.01
    # Randomizing S keeps the marginal of the logits, only its link to y goes.
    assert summary.loc["S-randomized", "ks_to_standard"] < 0.01


def test_logits_per_condition(simple_rule, lms_data):
    result = randomized_logits(simple_rule, lms_data.X, lms_data.y, simple_features=lms_data,
                               random_state=0)
    assert set(result.logits) == {"standard", "S-randomized", "S^c-randomized"}
    Z0 = (lms_data.X @ lms_data.rotation.T)[:, 0]
    np.testing.assert_allclose(result.logits["standard"], Z0)


def test_positive_logits_falls_back_to_probability_log_odds(lms_data):
    forest = RandomForestClassifier(n_estimators=5, random_state=0).fit(lms_data.X, lms_data.y)
    logits = positive_logits(forest, lms_data.X)
    proba = np.clip(forest.predict_proba(lms_data.X)[:, 1], 1e-12, 1 - 1e-12)
    np.testing.assert_allclose(1 / (1 + np.exp(-logits)), proba)


def test_binary_targets_only(simple_rule, lms_data):
    with pytest.raises(ValueError, match="binary"):
        randomized_logits(simple_rule, lms_data.X, np.arange(len(lms_data.y)) % 3,
                          simple_features=lms_data)
