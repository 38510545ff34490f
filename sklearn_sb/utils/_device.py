"""The device a network runs on."""

import torch


def resolve_device(device):
    """The torch device for ``device='auto'``: CUDA when available, else the CPU.

    Any other value is returned unchanged.
    """
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device
