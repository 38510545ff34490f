"""Methods that change how networks are trained or combined, to fight simplicity bias.

Two kinds, one contract: a :class:`TrainingMethod` plugs into one network
(``SBNetClassifier(method=...)``) through two hooks, on the batch and on the
loss; a :class:`BaseNetworkEnsemble` subclass is a meta-estimator over
member networks that declares its side data (:class:`SideDatum`). Both
offer ``apply_to(network)``, so experiments treat every method alike, and
every fitted model declares the torch modules it predicts with
(``torch_model()``).
"""

from ._adversarial_training import AdversarialTraining
from ._base import BaseNetworkEnsemble, TrainingMethod
from ._dbat import DBATClassifier
from ._dfr import DFRClassifier
from ._divdis import DivDisClassifier
from ._gradient_diversity import GradientDiversityClassifier
from ._logit_ensemble import LogitEnsembleClassifier
from ._orthop import OrthoPClassifier
from ._registry import available_methods, make_method, register_method, side_data_table
from ._side_data import SIDE_INFORMATION, Depends, SideDatum
from ._spectral_decoupling import SpectralDecoupling

__all__ = [
    "AdversarialTraining",
    "BaseNetworkEnsemble",
    "DBATClassifier",
    "Depends",
    "DFRClassifier",
    "DivDisClassifier",
    "GradientDiversityClassifier",
    "LogitEnsembleClassifier",
    "OrthoPClassifier",
    "SIDE_INFORMATION",
    "SideDatum",
    "SpectralDecoupling",
    "TrainingMethod",
    "available_methods",
    "make_method",
    "register_method",
    "side_data_table",
]
