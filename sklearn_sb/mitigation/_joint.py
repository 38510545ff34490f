"""Several networks, or several heads, trained jointly in one SBNetClassifier loop.

A method whose members train together (gradient diversity, DivDis) fits
one ``SBNetClassifier`` whose module returns the logits of all members,
of shape ``(n, n_members, n_classes)``, with :class:`MembersLoss` as its
criterion; its penalty is a training method on that network. Afterwards
:func:`member_view` gives each member as a fitted network of its own
(with the members' base criterion).
"""

import copy
import inspect

import torch
from sklearn.base import clone

from ..networks import get_network


def build_networks(network, n_members, from_data, options):
    """``n_members`` independently initialized networks of one kind."""
    if isinstance(network, str):
        network = get_network(network)
    if isinstance(network, torch.nn.Module):
        members = [copy.deepcopy(network) for _ in range(n_members)]
        for member in members:
            for layer in member.modules():
                if hasattr(layer, "reset_parameters"):
                    layer.reset_parameters()
        return members
    accepted = inspect.signature(network).parameters
    from_data = {key: value for key, value in from_data.items()
                 if key in accepted and value is not None}
    return [network(**from_data, **options) for _ in range(n_members)]


class JointNetworks(torch.nn.Module):
    """``n_members`` networks side by side: logits of shape (n, n_members, n_classes).

    Parameters
    ----------
    network : str, torch.nn.Module subclass or instance
        The members' network, as ``SBNetClassifier``'s ``module`` takes it
        (an instance is copied and re-initialized per member).
    n_members : int
    n_features, n_classes, input_shape : optional
        From the data, passed on where the network takes them.
    **options
        The network's own options (``module__width`` of the template).
    """

    def __init__(self, network, n_members, n_features=None, n_classes=None, input_shape=None,
                 **options):
        super().__init__()
        from_data = {"n_features": n_features, "n_classes": n_classes,
                     "input_shape": input_shape}
        self.members = torch.nn.ModuleList(build_networks(network, n_members, from_data, options))

    def forward(self, x):
        return torch.stack([member(x) for member in self.members], dim=1)


class MembersLoss(torch.nn.Module):
    """A criterion applied to each member's logits, summed or averaged over the members.

    Summed (the default), every member's parameters get the gradient of its
    own loss, as if it trained alone; averaged suits heads that share a
    backbone. The base criterion must average over the rows it is given
    (as ``reduction='mean'`` losses do).

    Parameters
    ----------
    base : torch.nn.Module subclass, default=torch.nn.CrossEntropyLoss
    reduction : {'sum', 'mean'}, default='sum'
    """

    def __init__(self, base=torch.nn.CrossEntropyLoss, reduction="sum"):
        super().__init__()
        self.base = base()
        self.reduction = reduction

    def forward(self, logits, y):
        # One call over every (row, member) pair: for a criterion that
        # averages over its rows, the mean over the members of their losses.
        n_members = logits.shape[1]
        mean = self.base(logits.flatten(0, 1), y.repeat_interleave(n_members))
        return mean * n_members if self.reduction == "sum" else mean


def joint_network(template, n_members, module=JointNetworks, reduction="sum", *, owner):
    """An unfitted copy of ``template`` whose module holds ``n_members`` members.

    ``module`` is the joint module class, constructed with ``network`` (the
    template's module), ``n_members``, the data's sizes and the template's
    ``module__`` options; ``reduction`` combines the members' losses
    (:class:`MembersLoss`). A template with a validation split is refused,
    naming ``owner``: the joint network's scores on it would be of all the
    members at once.
    """
    if template.get_params(deep=False).get("train_split") is not None:
        raise ValueError(
            f"{owner} trains its members as one network, which cannot score a validation "
            "split (the network's train_split): set train_split=None on the network "
            "template, and give a labeled set as X_val and y_val to select a member.")
    base = template.criterion
    if base is None:
        base = torch.nn.CrossEntropyLoss
    return clone(template).set_params(
        module=module, module__network=template.module, module__n_members=n_members,
        criterion=MembersLoss, criterion__base=base, criterion__reduction=reduction,
    )


def member_view(network, module, criterion=None):
    """The fitted ``network``, but computing ``module`` (one member, a head, a new last layer).

    Shares the network's fitted state (classes, input shape, device,
    history); its ``module_`` is ``module`` in eval mode and its criterion
    ``criterion`` (a joint network's members' base criterion), by default
    the network's, so it predicts, scores and is attacked as any fitted
    ``SBNetClassifier``.
    """
    # Not copy.copy: skorch's __getstate__ would copy the whole module.
    view = object.__new__(type(network))
    view.__dict__.update(network.__dict__)
    view.module_ = module.eval()
    view.criterion_ = network.criterion_ if criterion is None else criterion
    return view
