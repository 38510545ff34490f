"""scikit-learn's parameter validation, and the constraints this package adds.

scikit-learn's helpers are private (``sklearn.utils._param_validation``):
every module of the package imports them from here, so a change upstream is
mended in this one place.
"""

from abc import abstractmethod
from numbers import Real

import numpy as np
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    InvalidParameterError,
    Options,
    RealNotInt,
    StrOptions,
    generate_invalid_param_val,
    generate_valid_param,
    make_constraint,
    validate_parameter_constraints,
    validate_params,
)


class _PackageConstraint(Options):
    """Base of the constraints this package adds.

    ``make_constraint`` accepts only scikit-learn's own constraint classes;
    deriving from :class:`Options` lets these through, with their own test
    and description.
    """

    def __init__(self):
        super().__init__(object, set())

    @abstractmethod
    def is_satisfied_by(self, val):
        """Whether ``val`` satisfies the constraint."""

    @abstractmethod
    def __str__(self):
        """What the constraint accepts, for error messages."""


class RegisteredName(_PackageConstraint):
    """A name among those a registry offers when the value is checked.

    Parameters
    ----------
    available : callable
        Returns the registered names; called at every check, so names
        registered after import are accepted.
    """

    def __init__(self, available):
        super().__init__()
        self.available = available

    def is_satisfied_by(self, val):
        return isinstance(val, str) and val in self.available()

    def __str__(self):
        return f"a str among {sorted(self.available())}"


class SubclassOf(_PackageConstraint):
    """A class derived from ``base``."""

    def __init__(self, base):
        super().__init__()
        self.base = base

    def is_satisfied_by(self, val):
        return isinstance(val, type) and issubclass(val, self.base)

    def __str__(self):
        return f"a subclass of {self.base.__module__}.{self.base.__qualname__}"


class TorchDevice(_PackageConstraint):
    """A torch device, or a string torch parses as one ('cpu', 'cuda:1', ...)."""

    def is_satisfied_by(self, val):
        # Imported here: the modules that validate without torch stay light.
        import torch

        if isinstance(val, torch.device):
            return True
        if not isinstance(val, str):
            return False
        try:
            torch.device(val)
        except RuntimeError:
            return False
        return True

    def __str__(self):
        return "a torch device such as 'cpu', 'cuda' or 'cuda:1'"


class HasAttributes(_PackageConstraint):
    """An object with all of the given attributes (a dataset Bunch, say)."""

    def __init__(self, attributes):
        super().__init__()
        self.attributes = tuple(attributes)

    def is_satisfied_by(self, val):
        return all(hasattr(val, name) for name in self.attributes)

    def __str__(self):
        return f"an object with the attributes {list(self.attributes)}"


class InputBounds(_PackageConstraint):
    """A pair ``(low, high)`` of numbers or arrays with ``low < high`` everywhere."""

    def is_satisfied_by(self, val):
        if not isinstance(val, (tuple, list)) or len(val) != 2:
            return False
        try:
            low, high = (np.asarray(side, dtype=float) for side in val)
            return bool(np.all(low < high))
        except (TypeError, ValueError):
            return False

    def __str__(self):
        return "a pair (low, high) of numbers or arrays with low < high"


#: The accepted spellings of the two norms of the attacks, and what they mean.
NORMS = {2: 2, "l2": 2, "inf": "inf", "linf": "inf", np.inf: "inf"}
NORM_CONSTRAINTS = [Options(Real, {2, np.inf}), StrOptions({"l2", "inf", "linf"})]

__all__ = [
    "NORMS",
    "NORM_CONSTRAINTS",
    "HasAttributes",
    "HasMethods",
    "InputBounds",
    "Interval",
    "InvalidParameterError",
    "Options",
    "RealNotInt",
    "RegisteredName",
    "StrOptions",
    "SubclassOf",
    "TorchDevice",
    "generate_invalid_param_val",
    "generate_valid_param",
    "make_constraint",
    "validate_parameter_constraints",
    "validate_params",
]
