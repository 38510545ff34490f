"""USEFULClassifier: retrain with the examples not learned early up-sampled."""

import warnings

import numpy as np
import pytest
import torch
from sklearn.cluster import KMeans
from sklearn.frozen import FrozenEstimator

from sklearn_sb import make_lms
from sklearn_sb.mitigation import SpectralDecoupling, USEFULClassifier, make_method
from sklearn_sb.mitigation._upsampling import upsampled_rows
from sklearn_sb.mitigation._useful import cross_entropy, split_class
from sklearn_sb.utils._param_validation import InvalidParameterError
from sklearn_sb.utils._random import draw_seed

from ._recording import recorded, recording_net

NET = dict(module__width=32, max_epochs=6, lr=0.05, optimizer__momentum=0.9, device="cpu")


def net(**params):
    return recording_net(NET, **params)


def same_weights(a, b):
    return all(torch.equal(p, q) for p, q in zip(a.module_.parameters(),
                                                  b.module_.parameters()))


@pytest.fixture(scope="module")
def lms():
    """LMS-5 at 100 % correlation."""
    return make_lms(1500, 6, random_state=0)


@pytest.fixture(scope="module")
def useful(lms):
    return USEFULClassifier(net(), separating_epochs=2, upsampling_factor=3,
                            random_state=0).fit(*lms)


# -- the clusters ---------------------------------------------------------------------


def test_the_early_network_trains_for_separating_epochs(useful):
    early, final = useful.estimators_
    assert useful.separating_epochs_ == 2 and len(early.history_) == 2
    assert len(final.history_) == NET["max_epochs"]


def test_each_class_is_split_by_kmeans_of_the_early_networks_logits(lms, useful):
    X, y = lms
    early = useful.estimators_[0]
    kmeans_seed = draw_seed(0, size=3)[2]
    for label in (0, 1):
        rows = np.flatnonzero(y == label)
        expected = KMeans(n_clusters=2, n_init=10, random_state=int(kmeans_seed)) \
            .fit_predict(early.predict_logits(X[rows]))
        np.testing.assert_array_equal(useful.clusters_[rows], expected)
        assert set(useful.clusters_[rows]) == {0, 1}


def test_cluster_losses_are_the_early_networks_mean_cross_entropy(lms, useful):
    X, y = lms
    logits = torch.as_tensor(useful.estimators_[0].predict_logits(X), dtype=torch.float64)
    losses = torch.nn.functional.cross_entropy(logits, torch.as_tensor(y),
                                               reduction="none").numpy()
    for label in (0, 1):
        for cluster in (0, 1):
            rows = (y == label) & (useful.clusters_ == cluster)
            assert useful.cluster_losses_[label, cluster] == pytest.approx(
                losses[rows].mean(), rel=1e-6)


def test_the_higher_loss_cluster_of_every_class_is_upsampled(lms, useful):
    _, y = lms
    higher = np.argmax(useful.cluster_losses_, axis=1)
    expected = np.flatnonzero(useful.clusters_ == higher[y])
    np.testing.assert_array_equal(useful.upsampled_, expected)
    # At 100 % correlation, with no rows of a minority, USEFUL still changes
    # the distribution (JTT's error set would be near empty).
    assert 0 < len(useful.upsampled_) < len(y)


def test_the_final_network_trained_with_the_upsampled_rows_factor_times(lms, useful):
    X, y = lms
    counts = useful.upsampling_counts_
    assert set(counts[useful.upsampled_]) == {3}
    assert np.all(np.delete(counts, useful.upsampled_) == 1)
    rows, labels = recorded(useful.estimators_[1])
    assert len(rows) == len(X) + 2 * len(useful.upsampled_)
    np.testing.assert_array_equal(rows, X[upsampled_rows(counts)].astype(np.float32))
    np.testing.assert_array_equal(labels, y[upsampled_rows(counts)])


def test_the_final_network_predicts(lms, useful):
    X, _ = lms
    final = useful.estimators_[1]
    assert (useful.selected_, useful.predicting_estimators_) == (1, [final])
    np.testing.assert_allclose(useful.predict_logits(X[:10]), final.predict_logits(X[:10]))
    assert useful.side_information_ == ("none",)


def _conflicting_rows():
    """Two points per class: 400 easy rows far on the class's side, 100 on the other side.

    Class 0 is 400 rows at x = -2 and 100 at x = +0.3, class 1 400 at +2 and
    100 at -0.3: the early network's logits take two values per class, and
    the 100 rows on the other class's side have the higher loss.
    """
    x = np.r_[np.full(400, -2.0), np.full(100, 0.3), np.full(400, 2.0), np.full(100, -0.3)]
    X = np.column_stack([x, np.zeros_like(x)])
    y = np.r_[np.zeros(500, int), np.ones(500, int)]
    return X, y, np.r_[np.arange(400, 500), np.arange(900, 1000)]


def test_on_constructed_data_the_rows_on_the_other_side_are_upsampled():
    X, y, conflicting = _conflicting_rows()
    useful = USEFULClassifier(net(max_epochs=4), separating_epochs=2,
                              random_state=0).fit(X, y)
    np.testing.assert_array_equal(useful.upsampled_, conflicting)
    assert np.all(useful.upsampling_counts_[conflicting] == 2)
    lower, higher = np.sort(useful.cluster_losses_, axis=1).T
    assert np.all(higher > lower)


def test_a_class_with_one_distinct_output_is_not_split():
    outputs = np.ones((5, 2))
    losses = np.arange(5.0)
    clusters, cluster_losses = split_class(outputs, losses, 0)
    np.testing.assert_array_equal(clusters, 0)
    assert cluster_losses[0] == 2.0 and np.isnan(cluster_losses[1])


def test_split_class_upsamples_the_cluster_of_higher_mean_loss():
    outputs = np.r_[np.zeros((6, 2)), np.full((4, 2), 5.0)]
    losses = np.r_[np.full(6, 0.1), np.full(4, 2.0)]
    clusters, cluster_losses = split_class(outputs, losses, 0)
    assert len(set(clusters[:6])) == 1 and len(set(clusters[6:])) == 1
    assert np.argmax(cluster_losses) == clusters[6]
    assert cluster_losses[clusters[6]] == pytest.approx(2.0)


def test_cross_entropy_matches_torch():
    rng = np.random.RandomState(0)
    logits, y = rng.randn(20, 3), rng.randint(3, size=20)
    expected = torch.nn.functional.cross_entropy(torch.as_tensor(logits), torch.as_tensor(y),
                                                 reduction="none").numpy()
    np.testing.assert_allclose(cross_entropy(logits, np.arange(3), y), expected)
    labels = np.array(["a", "b", "c"])
    np.testing.assert_allclose(cross_entropy(logits, labels, labels[y]), expected)


# -- parameters -----------------------------------------------------------------------


@pytest.mark.parametrize("share, epochs", [(0.5, 3), (0.1, 1)])
def test_a_float_separating_epochs_is_a_share_of_the_templates_epochs(lms, share, epochs):
    X, y = lms
    useful = USEFULClassifier(net(), separating_epochs=share, random_state=0) \
        .fit(X[:300], y[:300])
    assert useful.separating_epochs_ == epochs
    assert len(useful.estimators_[0].history_) == epochs


def test_the_same_random_state_gives_the_same_networks_and_clusters(lms):
    X, y = lms[0][:500], lms[1][:500]
    fit = lambda seed: USEFULClassifier(net(max_epochs=2), separating_epochs=1,  # noqa: E731
                                        random_state=seed).fit(X, y)
    a, b, c = fit(0), fit(0), fit(1)
    assert all(same_weights(p, q) for p, q in zip(a.estimators_, b.estimators_))
    np.testing.assert_array_equal(a.upsampled_, b.upsampled_)
    assert not same_weights(a.estimators_[1], c.estimators_[1])


def test_a_template_with_a_training_method_trains_both_networks_with_it(lms):
    X, y = lms
    method = SpectralDecoupling(0.01)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        useful = USEFULClassifier(net(max_epochs=2, method=method), separating_epochs=1,
                                  random_state=0).fit(X[:300], y[:300])
    assert all(isinstance(m.method, SpectralDecoupling) for m in useful.estimators_)


@pytest.mark.parametrize("params, match", [
    ({"separating_epochs": 0}, "separating_epochs"),
    ({"separating_epochs": 1.5}, "separating_epochs"),
    ({"upsampling_factor": 0}, "upsampling_factor"),
    ({"upsampling_factor": 1.5}, "upsampling_factor"),
])
def test_invalid_parameters_are_refused(lms, params, match):
    with pytest.raises(InvalidParameterError, match=match):
        USEFULClassifier(net(), **params).fit(*lms)


def test_a_fitted_frozen_network_is_refused(lms):
    X, y = lms
    frozen = FrozenEstimator(net(max_epochs=1).fit(X[:100], y[:100]))
    with pytest.raises(ValueError, match="max_epochs"):
        USEFULClassifier(frozen).fit(X, y)


def test_three_classes_are_split_per_class():
    rng = np.random.RandomState(0)
    X = rng.randn(300, 4)
    y = np.arange(300) % 3
    useful = USEFULClassifier(net(max_epochs=2), separating_epochs=1,
                              random_state=0).fit(X, y)
    assert useful.cluster_losses_.shape == (3, 2)
    for label in range(3):
        assert set(useful.clusters_[y == label]) == {0, 1}
        assert np.isin(np.flatnonzero(y == label), useful.upsampled_).any()


def test_registered_as_useful_and_applied_to_a_network():
    method = make_method("useful", upsampling_factor=3)
    assert isinstance(method, USEFULClassifier) and method.upsampling_factor == 3
    model = method.apply_to(net(max_epochs=3))
    assert isinstance(model, USEFULClassifier) and model.estimator.max_epochs == 3


def test_default_parameters():
    useful = USEFULClassifier()
    assert (useful.separating_epochs, useful.upsampling_factor) == (0.1, 2)
    assert useful.accepted_side_data() == []
