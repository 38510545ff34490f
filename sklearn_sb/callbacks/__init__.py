"""skorch callbacks for the paper's training recipes."""

from ._accuracy import ValidationAccuracy
from ._best import KeepBestValidation
from ._progress import EpochProgressBar
from ._finite import RaiseOnNonFiniteLoss
from ._target import StopAtTarget, StopTraining

__all__ = [
    "EpochProgressBar",
    "KeepBestValidation",
    "RaiseOnNonFiniteLoss",
    "StopAtTarget",
    "StopTraining",
    "ValidationAccuracy",
]
