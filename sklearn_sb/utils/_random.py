"""Seeds for torch, drawn from scikit-learn's ``random_state``.

torch is imported by the functions that use it: drawing seeds, which the
dataset functions do, must not load it.
"""

import contextlib

import numpy as np
from sklearn.utils import check_random_state

_SEED_BOUND = np.iinfo(np.int32).max


def draw_seed(random_state, size=None):
    """Integer seeds in ``[0, 2**31 - 1)`` drawn from ``random_state``.

    Parameters
    ----------
    random_state : int, RandomState instance or None
    size : int or None, default=None
        None draws one seed (an int), an int that many (an array).
    """
    seeds = check_random_state(random_state).randint(_SEED_BOUND, size=size)
    return int(seeds) if size is None else seeds


def torch_generator(random_state):
    """A CPU torch generator seeded from ``random_state``."""
    import torch

    return torch.Generator().manual_seed(draw_seed(random_state))


@contextlib.contextmanager
def seeded_torch(random_state, device):
    """Seed torch's global generators from ``random_state``, restoring them after.

    ``random_state=None`` leaves the generators alone.
    """
    if random_state is None:
        yield
        return
    import torch

    seed = draw_seed(random_state)
    device = torch.device(device)
    cuda_devices = []
    if device.type == "cuda":
        cuda_devices = [device.index if device.index is not None else torch.cuda.current_device()]
    with torch.random.fork_rng(devices=cuda_devices):
        torch.manual_seed(seed)
        yield
