"""Measuring simplicity bias: randomized features, scores, logits and plots."""

from ._logits import positive_logits, randomized_logits
from ._plot_boundary import ProjectedBoundaryDisplay
from ._plot_logits import LogitHistogramDisplay
from ._plot_scores import RandomizedScoreCurveDisplay
from ._randomize import randomize_block
from ._scorer import RandomizedFeatureScorer
from ._scores import coordinatewise_randomized_scores, randomized_scores

__all__ = [
    "LogitHistogramDisplay",
    "ProjectedBoundaryDisplay",
    "RandomizedFeatureScorer",
    "RandomizedScoreCurveDisplay",
    "coordinatewise_randomized_scores",
    "positive_logits",
    "randomize_block",
    "randomized_logits",
    "randomized_scores",
]
