"""skorch callbacks for the paper's training recipes."""

from ._accuracy import ValidationAccuracy
from ._best import KeepBestValidation
from ._progress import EpochProgressBar
from ._target import StopAtTarget

__all__ = ["EpochProgressBar", "KeepBestValidation", "StopAtTarget", "ValidationAccuracy"]
