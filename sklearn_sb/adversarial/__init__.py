"""Fragility: per-example and universal adversarial perturbations.

Adversarial *training* is a training method: see :mod:`sklearn_sb.mitigation`.
"""

from ._pgd import make_robust_accuracy_scorer, pgd_perturb, robust_accuracy_score
from ._plot import PerturbationDisplay
from ._universal import UniversalPerturbation

__all__ = [
    "PerturbationDisplay",
    "UniversalPerturbation",
    "make_robust_accuracy_scorer",
    "pgd_perturb",
    "robust_accuracy_score",
]
