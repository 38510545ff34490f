"""Taking a network apart at its last linear layer."""

import copy

import torch

from ..networks._single_logit import SingleLogit


def split_last_linear(module, owner):
    """A copy of ``module`` whose last ``Linear`` layer is the identity, and that layer.

    The copy maps inputs to the embeddings the last layer reads (the
    penultimate layer), in eval mode; the layer maps them to the logits. A
    one-logit network's ``SingleLogit`` goes with its layer. ``owner`` names
    the caller in the error raised when the network has no ``Linear`` layer.
    """
    names = [name for name, child in module.named_modules() if isinstance(child, torch.nn.Linear)]
    if not names:
        raise ValueError(
            f"{owner} works on the last Linear layer of the network; "
            f"{type(module).__name__} has none."
        )
    body = copy.deepcopy(module)
    replaced = [names[-1]]
    if getattr(module, "single_logit", False):
        # The logits (0, z) of a one-logit network: the embedding feeds z.
        replaced += [name for name, child in module.named_modules()
                     if isinstance(child, SingleLogit)]
    head = body.get_submodule(names[-1])
    for name in replaced:
        parent_name, _, child = name.rpartition(".")
        parent = body.get_submodule(parent_name) if parent_name else body
        setattr(parent, child, torch.nn.Identity())
    if len(replaced) > 1:
        head = torch.nn.Sequential(head, SingleLogit())
    return body.eval(), head


def check_last_step(module, body, head, sample, owner):
    """Refuse a network that computes something after its last Linear layer.

    ``head(body(x))`` must be ``module(x)`` on the rows ``sample`` (a tensor
    on the module's device), or the layer ``owner`` replaces is not where the
    logits come from.
    """
    error = ValueError(
        f"{owner} works on the last Linear layer of the network, so that layer must be "
        f"the network's last step; {type(module).__name__} computes something after it."
    )
    was_training = module.training
    module.eval()
    try:
        with torch.no_grad():
            try:
                rebuilt = head(body(sample))
            except RuntimeError as failure:
                # The layer's output feeds something that cannot read the embedding.
                raise error from failure
            if not torch.allclose(rebuilt, module(sample), rtol=1e-4, atol=1e-4):
                raise error
    finally:
        module.train(was_training)
