"""Methods that change how networks are trained or combined, to fight simplicity bias.

Two kinds, one interface: a :class:`TrainingMethod` plugs into one network
(``SBNetClassifier(method=...)``) through two hooks, on the batch and on the
loss; a network ensemble is a meta-estimator over member networks. Both
offer ``apply_to(network)``, so experiments treat every method alike.
"""

from ._adversarial_training import AdversarialTraining
from ._base import NetworkEnsembleMixin, TrainingMethod
from ._dbat import DBATClassifier
from ._dfr import DFRClassifier
from ._divdis import DivDisClassifier
from ._gradient_diversity import GradientDiversityClassifier
from ._logit_ensemble import LogitEnsembleClassifier
from ._orthop import OrthoPClassifier
from ._registry import available_methods, make_method, register_method
from ._side_data import SIDE_INFORMATION
from ._spectral_decoupling import SpectralDecoupling

__all__ = [
    "AdversarialTraining",
    "DBATClassifier",
    "DFRClassifier",
    "DivDisClassifier",
    "GradientDiversityClassifier",
    "LogitEnsembleClassifier",
    "NetworkEnsembleMixin",
    "OrthoPClassifier",
    "SIDE_INFORMATION",
    "SpectralDecoupling",
    "TrainingMethod",
    "available_methods",
    "make_method",
    "register_method",
]
