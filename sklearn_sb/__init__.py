"""sklearn-sb: simplicity bias in neural networks, the scikit-learn way.

Datasets, estimators and scorers to reproduce and extend "The Pitfalls of
Simplicity Bias in Neural Networks" (Shah et al., NeurIPS 2020).

Public names are imported on first use, so ``import sklearn_sb`` stays fast
and torch is loaded only by the parts that need it.
"""

import importlib

__version__ = "0.1.0.dev0"

_PUBLIC_NAMES = {
    "make_lms": "sklearn_sb.datasets",
    "make_slabs": "sklearn_sb.datasets",
    "make_lsn": "sklearn_sb.datasets",
    "fetch_mnist_cifar": "sklearn_sb.datasets",
    "SBNetClassifier": "sklearn_sb._classifier",
    "RandomizedFeatureScorer": "sklearn_sb.inspection",
    "randomized_scores": "sklearn_sb.inspection",
    "UniversalPerturbation": "sklearn_sb.adversarial",
    "LogitEnsembleClassifier": "sklearn_sb.mitigation",
}

__all__ = sorted(_PUBLIC_NAMES)


def __getattr__(name):
    try:
        module = _PUBLIC_NAMES[name]
    except KeyError:
        raise AttributeError(f"module 'sklearn_sb' has no attribute {name!r}") from None
    return getattr(importlib.import_module(module), name)


def __dir__():
    return sorted(set(globals()) | set(__all__))
