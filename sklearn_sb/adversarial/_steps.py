"""Steps and projections shared by the attacks, for l2 and linf balls."""

import torch


def ascent_step(delta, grad, step_size, norm):
    """Move ``delta`` (a batch) up the gradient: normalized (l2) or signed (linf)."""
    if norm == "inf":
        return delta + step_size * grad.sign()
    flat = grad.flatten(1)
    unit = flat / flat.norm(dim=1, keepdim=True).clamp_min(1e-12)
    return delta + step_size * unit.view_as(delta)


def project(delta, eps, norm):
    """Project every row of ``delta`` onto the ball of radius ``eps``."""
    if norm == "inf":
        return delta.clamp(-eps, eps)
    flat = delta.flatten(1)
    scale = (eps / flat.norm(dim=1, keepdim=True).clamp_min(1e-12)).clamp(max=1.0)
    return (flat * scale).view_as(delta)


def clip(X, bounds):
    """Clip to ``bounds`` = (low, high) tensors, or leave X when None."""
    if bounds is None:
        return X
    return torch.maximum(torch.minimum(X, bounds[1]), bounds[0])


def tiny_random_start(shape, eps, generator, device, dtype):
    """A random perturbation of size 1e-3 eps: a start off any ReLU kink.

    ``generator=None`` draws from torch's global generator.
    """
    noise = torch.randn(shape, generator=generator, dtype=dtype)
    flat = noise.flatten(1)
    noise = (flat / flat.norm(dim=1, keepdim=True).clamp_min(1e-12)).view(shape)
    return (1e-3 * eps * noise).to(device)
