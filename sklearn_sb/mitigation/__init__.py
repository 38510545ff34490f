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
from ._group_dro import GroupDROClassifier
from ._jtt import JTTClassifier
from ._logit_ensemble import LogitEnsembleClassifier
from ._margin_control import MarginControl
from ._orthop import OrthoPClassifier
from ._registry import available_methods, make_method, register_method, side_data_table
from ._sam import SAM
from ._side_data import SIDE_INFORMATION, Depends, SideDatum
from ._spectral_decoupling import SpectralDecoupling
from ._useful import USEFULClassifier

__all__ = [
    "AdversarialTraining",
    "BaseNetworkEnsemble",
    "DBATClassifier",
    "Depends",
    "DFRClassifier",
    "DivDisClassifier",
    "GradientDiversityClassifier",
    "GroupDROClassifier",
    "JTTClassifier",
    "LogitEnsembleClassifier",
    "MarginControl",
    "OrthoPClassifier",
    "SAM",
    "SIDE_INFORMATION",
    "SideDatum",
    "SpectralDecoupling",
    "TrainingMethod",
    "USEFULClassifier",
    "available_methods",
    "make_method",
    "register_method",
    "side_data_table",
]
