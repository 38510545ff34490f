"""Valid input ranges, as the attacks clip to them."""

import numpy as np
import torch


def bounds_tensors(bounds, device, dtype=torch.float32):
    """A validated ``(low, high)`` pair as tensors on ``device``, or None."""
    if bounds is None:
        return None
    low, high = (torch.as_tensor(np.asarray(side, dtype=float), dtype=dtype, device=device)
                 for side in bounds)
    return low, high
