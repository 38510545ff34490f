"""Measuring simplicity bias: randomized features, scores, logits and plots."""

from ._conflict import make_conflict_data
from ._detectors import in_distribution_scores
from ._groups import (
    expected_calibration_error,
    group_balanced_accuracy,
    group_scores,
    make_group_scorer,
    worst_group_accuracy,
)
from ._logits import positive_logits, randomized_logits
from ._plot_boundary import ProjectedBoundaryDisplay
from ._plot_logits import LogitHistogramDisplay
from ._plot_scores import RandomizedScoreCurveDisplay
from ..utils._randomize import randomize_block
from ._s_removed import s_removed_control
from ._scorer import RandomizedFeatureScorer
from ._scores import coordinatewise_randomized_scores, randomized_scores

__all__ = [
    "LogitHistogramDisplay",
    "ProjectedBoundaryDisplay",
    "RandomizedFeatureScorer",
    "RandomizedScoreCurveDisplay",
    "coordinatewise_randomized_scores",
    "expected_calibration_error",
    "group_balanced_accuracy",
    "group_scores",
    "in_distribution_scores",
    "make_conflict_data",
    "make_group_scorer",
    "positive_logits",
    "randomize_block",
    "randomized_logits",
    "randomized_scores",
    "s_removed_control",
    "worst_group_accuracy",
]
