"""Validation of the attack options shared by the fragility tools."""

from numbers import Real

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import InvalidParameterError


def check_norm(norm, caller):
    """2 or 'inf' from the accepted spellings (2, 'l2', 'inf', 'linf', np.inf)."""
    if isinstance(norm, str):
        key = norm.lower()
    elif isinstance(norm, Real) and not isinstance(norm, bool):
        key = "inf" if np.isinf(norm) else str(norm).rstrip("0").rstrip(".")
    else:
        key = None
    if key in ("2", "l2"):
        return 2
    if key in ("inf", "linf"):
        return "inf"
    raise InvalidParameterError(
        f"The 'norm' parameter of {caller} must be 2 or 'inf'. Got {norm!r} instead."
    )


def check_eps(eps, caller, name="eps"):
    if isinstance(eps, bool) or not isinstance(eps, Real) or not eps > 0:
        raise InvalidParameterError(
            f"The '{name}' parameter of {caller} must be a float > 0. Got {eps!r} instead."
        )
    return float(eps)


def check_bounds(bounds, caller, device, dtype=torch.float32):
    """``(low, high)`` as tensors on ``device``, or None."""
    if bounds is None:
        return None
    try:
        low, high = bounds
        low, high = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    except (TypeError, ValueError):
        raise InvalidParameterError(
            f"The 'bounds' parameter of {caller} must be a pair (low, high) or None. "
            f"Got {bounds!r} instead."
        ) from None
    if np.any(low >= high):
        raise InvalidParameterError(
            f"The 'bounds' parameter of {caller} needs low < high. Got {bounds!r} instead."
        )
    return (torch.as_tensor(low, dtype=dtype, device=device),
            torch.as_tensor(high, dtype=dtype, device=device))


def torch_generator(random_state):
    """A CPU torch generator seeded from a scikit-learn ``random_state``."""
    seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    return torch.Generator().manual_seed(seed)
