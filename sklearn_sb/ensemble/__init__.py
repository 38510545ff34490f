"""Ensembles of networks."""

from ._logit import LogitEnsembleClassifier

__all__ = ["LogitEnsembleClassifier"]
