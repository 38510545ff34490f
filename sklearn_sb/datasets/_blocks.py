"""Class-conditional samplers for the one-dimensional blocks of the testbed.

Every block of the paper (linear, k-slab, the LSN singletons) is, given the
label, a mixture of uniform segments (a segment of width zero is a point
mass). Such a mixture is sampled by its inverse CDF from one uniform number
per entry, which keeps the generators free of per-sample Python loops.
"""

import numpy as np

# Reference slab probabilities of the paper's code, per slab count: the
# probabilities of the negative slabs and of the positive slabs, each listed
# left to right.
REFERENCE_SLAB_PROBABILITIES = {
    3: ((1.0,), (0.5, 0.5)),
    5: ((1 / 8, 3 / 4, 1 / 8), (0.5, 0.5)),
    7: ((1 / 4, 1 / 2, 1 / 4), (1 / 16, 7 / 16, 7 / 16, 1 / 16)),
}


def slab_layout(n_slabs, margin):
    """Left edges, common width and label of the slabs tiling ``[-1, 1]``.

    Parameters
    ----------
    n_slabs : int
        Odd number of slabs, at least 3.
    margin : float
        Half the gap between neighbouring slabs.

    Returns
    -------
    left_edges : ndarray of shape (n_slabs,)
    width : float
    labels : ndarray of shape (n_slabs,)
        Slab labels, alternating, with the centre slab negative (0).
    """
    width = (2 - 2 * (n_slabs - 1) * margin) / n_slabs
    index = np.arange(n_slabs)
    left_edges = -1 + index * (width + 2 * margin)
    labels = (index - n_slabs // 2) % 2
    return left_edges, width, labels


def default_slab_probabilities(n_slabs):
    """Reference probabilities for ``n_slabs``, equal ones for other counts."""
    if n_slabs in REFERENCE_SLAB_PROBABILITIES:
        return REFERENCE_SLAB_PROBABILITIES[n_slabs]
    _, _, labels = slab_layout(n_slabs, 0.0)
    return tuple(
        tuple(np.full(np.sum(labels == c), 1 / np.sum(labels == c)))
        for c in (0, 1)
    )


class SegmentMixture:
    """Given the label ``c``, a mixture of uniform segments.

    Parameters
    ----------
    kind : str
        Name of the block, as reported in a dataset's ``feature_info``.
    segments : tuple of two sequences of (start, width, probability)
        The segments of class 0 and of class 1.
    """

    def __init__(self, kind, segments):
        self.kind = kind
        # Class c owns the interval [c, c + 1) of the shifted uniform
        # v = u + y; each kept segment owns a sub-interval of length equal to
        # its probability, starting at `lower`. On that sub-interval the
        # inverse CDF is the affine map v -> slope * v + intercept.
        lower, slope, intercept = [], [], []
        for c, class_segments in enumerate(segments):
            offset = float(c)
            for start, width, prob in class_segments:
                if prob <= 0:
                    continue
                lower.append(offset)
                slope.append(width / prob)
                intercept.append(start - width / prob * offset)
                offset += prob
        self._thresholds = np.asarray(lower[1:])
        self._slope = np.asarray(slope)
        self._intercept = np.asarray(intercept)

    def transform(self, u, y):
        """Map uniforms ``u`` (n, k) to samples given labels ``y`` (n,), in place."""
        u += y[:, None]
        segment = (u >= self._thresholds[0]).astype(np.intp)
        for threshold in self._thresholds[1:]:
            segment += u >= threshold
        u *= np.take(self._slope, segment)
        u += np.take(self._intercept, segment)
        return u


def linear_block(margin, kind="linear"):
    """Positives uniform on ``[margin, 1]``, negatives on ``[-1, -margin]``."""
    return SegmentMixture(
        kind, (((-1.0, 1 - margin, 1.0),), ((margin, 1 - margin, 1.0),))
    )


def slab_block(n_slabs, margin, probabilities):
    """The k-slab block; ``probabilities`` is (negatives, positives), left to right."""
    left_edges, width, labels = slab_layout(n_slabs, margin)
    segments = tuple(
        tuple(
            (float(start), width, float(prob))
            for start, prob in zip(left_edges[labels == c], probabilities[c])
        )
        for c in (0, 1)
    )
    return SegmentMixture(f"slab-{n_slabs}", segments)


def linear_singleton_block(margin):
    """LSN's linear coordinate: ``x = (2y - 1) * margin``."""
    return SegmentMixture("linear", (((-margin, 0.0, 1.0),), ((margin, 0.0, 1.0),)))


def slab_singleton_block(margin):
    """LSN's 3-slab coordinate: negatives at 0, positives at ``±margin``."""
    return SegmentMixture(
        "slab-3",
        (((0.0, 0.0, 1.0),), ((-margin, 0.0, 0.5), (margin, 0.0, 0.5))),
    )


class GaussianNoise:
    """Standard Gaussian coordinates, independent of the label."""

    kind = "noise"
