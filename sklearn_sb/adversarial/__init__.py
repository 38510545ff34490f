"""Fragility: per-example and universal adversarial perturbations, adversarial training."""

from ._pgd import make_robust_accuracy_scorer, pgd_perturb, robust_accuracy_score
from ._plot import PerturbationDisplay
from ._training import AdversarialTraining
from ._universal import UniversalPerturbation

__all__ = [
    "AdversarialTraining",
    "PerturbationDisplay",
    "UniversalPerturbation",
    "make_robust_accuracy_scorer",
    "pgd_perturb",
    "robust_accuracy_score",
]
