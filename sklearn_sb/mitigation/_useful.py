"""USEFUL, UpSample Early For Uniform Learning (Nguyen et al., NeurIPS 2024)."""

from numbers import Integral

import numpy as np
from scipy.special import logsumexp
from scipy.stats import uniform
from sklearn.cluster import KMeans

from ..utils._param_validation import HasMethods, Interval, RealNotInt
from ..utils._random import draw_seed
from ._base import BaseNetworkEnsemble
from ._registry import register_method
from ._upsampling import (
    early_epochs,
    fit_early,
    fit_upsampled,
    network_template,
    upsampling_counts,
)


def cross_entropy(logits, classes, y):
    """Each row's cross-entropy loss: ``logsumexp(logits) - logits[label]``."""
    columns = np.searchsorted(classes, y)
    logits = np.asarray(logits, dtype=np.float64)
    return logsumexp(logits, axis=1) - logits[np.arange(len(logits)), columns]


def split_class(outputs, losses, seed):
    """Two k-means clusters of one class's outputs, and each cluster's mean loss.

    Returns the cluster of every row (0 or 1) and the two mean losses; a
    class with fewer than two distinct outputs is one cluster, 0, and the
    mean loss of cluster 1 is nan.
    """
    if len(np.unique(outputs, axis=0)) < 2:
        return np.zeros(len(outputs), dtype=np.int64), np.array([losses.mean(), np.nan])
    labels = KMeans(n_clusters=2, n_init=10, random_state=seed).fit_predict(outputs)
    return labels.astype(np.int64), np.array([losses[labels == k].mean() for k in (0, 1)])


@register_method("useful")
class USEFULClassifier(BaseNetworkEnsemble):
    """USEFUL: retrain with the examples not learned early up-sampled.

    The early network is a plain fit of ``estimator`` for
    ``separating_epochs`` epochs. The training rows of every class are
    split in two by k-means on the early network's outputs (its logits);
    the cluster whose rows have the higher mean cross-entropy loss under
    the early network holds the examples whose features are learned late
    (slow-learnable), the other those learned early. The final network is
    a fresh copy of ``estimator`` (its own ``max_epochs``, another seed)
    trained from scratch on the training set with the higher-loss cluster
    of every class repeated ``upsampling_factor`` times and every other row
    once (Nguyen et al., "Changing the Training Data Distribution to
    Reduce Simplicity Bias Improves In-distribution Generalization",
    NeurIPS 2024): the features learned late are learned sooner and more
    evenly with the early ones. Training uses the labels only.

    Unlike JTT, the up-sampled rows are not the misclassified ones: every
    class has a higher-loss cluster, even when the early network makes no
    training error, so USEFUL changes the training distribution at any
    correlation.

    The final network predicts: ``estimators_`` is ``[early, final]`` and
    ``selected_`` is 1.

    Read more in the :ref:`User Guide <useful-method>`.

    Parameters
    ----------
    estimator : SBNetClassifier, default=None
        The network template; None means ``SBNetClassifier()``. A template
        with a training method (sharpness-aware minimization, say) trains
        both networks with it, as the paper pairs USEFUL with SAM. The
        final network trains for its ``max_epochs``, each epoch a pass over
        the up-sampled set.
    separating_epochs : int or float, default=0.1
        Epochs of the early network. An int counts epochs; a float in
        (0, 1) is a share of the template's ``max_epochs`` (rounded down,
        at least 1). The paper separates "early in training", 5 to 10 % of
        the epochs in practice, where the decrease of the training error
        starts to slow down.
    upsampling_factor : int, default=2
        How many times each row of a higher-loss cluster appears in the
        final network's training set, in all: 2, the paper's "upsample
        once", adds one copy (1: no up-sampling).
    random_state : int, RandomState instance or None, default=None
        Draws the two networks' seeds and that of k-means.

    Attributes
    ----------
    estimators_ : list of SBNetClassifier
        ``[early, final]``: the early network, trained for
        ``separating_epochs_`` epochs, and the final network.
    clusters_ : ndarray of shape (n_samples,)
        Each training row's k-means cluster within its class, 0 or 1.
    cluster_losses_ : ndarray of shape (n_classes, 2)
        The early network's mean cross-entropy loss on each class's two
        clusters, classes in the order of ``classes_`` (nan for a class
        with fewer than two distinct outputs, which is not split).
    upsampled_ : ndarray of shape (n_upsampled,)
        Indices, in increasing order, of the rows up-sampled: the
        higher-loss cluster of every class.
    upsampling_counts_ : ndarray of shape (n_samples,)
        How many times each training row appears in the final network's
        training set: ``upsampling_factor`` for ``upsampled_``, 1 for the
        others.
    separating_epochs_ : int
        The epochs the early network trained for.
    selected_ : int
        1, the final network, which makes the predictions.
    selection_ : str
        'last member'.
    validation_scores_ : None
    side_information_ : tuple of str
        ``('none',)``.
    classes_ : ndarray
    n_features_in_ : int

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier, make_lms
    >>> from sklearn_sb.mitigation import USEFULClassifier
    >>> X, y = make_lms(2000, 10, random_state=0)
    >>> network = SBNetClassifier(module__width=50, max_epochs=10, device="cpu")
    >>> useful = USEFULClassifier(network, separating_epochs=1, random_state=0).fit(X, y)
    >>> len(useful.estimators_), useful.selected_, useful.side_information_
    (2, 1, ('none',))
    >>> useful.cluster_losses_.shape
    (2, 2)
    >>> int(useful.upsampling_counts_.sum()) == len(X) + len(useful.upsampled_)
    True
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict_logits", "set_params"]), None],
        "separating_epochs": [Interval(Integral, 1, None, closed="left"),
                              Interval(RealNotInt, 0, 1, closed="neither")],
        "upsampling_factor": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    default_selection = "last member"
    predicts_with_selected = True
    # The separating epoch: "5-10 % of the total training epochs" in the
    # paper (Nguyen et al., NeurIPS 2024, Section 5 and Figure 7); the
    # up-sampling factor: "once" (2 in all) in the paper, which ablates
    # larger factors.
    hyperparameters = {
        "separating_epochs": uniform(0.05, 0.05),
        "upsampling_factor": [2, 3, 4],
    }

    def __init__(self, estimator=None, *, separating_epochs=0.1, upsampling_factor=2,
                 random_state=None):
        self.estimator = estimator
        self.separating_epochs = separating_epochs
        self.upsampling_factor = upsampling_factor
        self.random_state = random_state

    def _fit_members(self, X, y):
        template = network_template(self.estimator, type(self).__name__,
                                    allow_method=True)
        early_seed, final_seed, kmeans_seed = draw_seed(self.random_state, size=3)
        self.separating_epochs_ = early_epochs(self.separating_epochs, template)
        early = fit_early(template, X, y, self.separating_epochs_, early_seed)
        outputs = early.predict_logits(X)
        losses = cross_entropy(outputs, early.classes_, y)
        self.clusters_ = np.zeros(len(X), dtype=np.int64)
        self.cluster_losses_ = np.full((len(early.classes_), 2), np.nan)
        upsampled = []
        for index, label in enumerate(early.classes_):
            rows = np.flatnonzero(y == label)
            clusters, cluster_losses = split_class(outputs[rows], losses[rows],
                                                   int(kmeans_seed))
            self.clusters_[rows] = clusters
            self.cluster_losses_[index] = cluster_losses
            if not np.isnan(cluster_losses[1]):
                upsampled.append(rows[clusters == np.argmax(cluster_losses)])
        self.upsampled_ = np.sort(np.concatenate(upsampled)) if upsampled else \
            np.zeros(0, dtype=np.int64)
        self.upsampling_counts_ = upsampling_counts(len(X), self.upsampled_,
                                                    self.upsampling_factor)
        final = fit_upsampled(template, X, y, self.upsampling_counts_, final_seed)
        return [early, final]
