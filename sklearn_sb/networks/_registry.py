"""Networks by name, for ``SBNetClassifier(module=NAME)``."""

from ..utils._registry import Registry

_NETWORKS = Registry("network")


def register_network(name):
    """Register a :class:`torch.nn.Module` subclass under ``name``.

    Used as a class decorator. Registered networks are selected by name in
    :class:`~sklearn_sb.SBNetClassifier`, and receive ``n_features``,
    ``n_classes`` and ``input_shape`` from the training data when their
    constructor takes them.

    Parameters
    ----------
    name : str
        The name, unique among registered networks.

    Returns
    -------
    decorator : callable

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import register_network
    >>> @register_network("linear")
    ... class Linear(torch.nn.Linear):
    ...     def __init__(self, n_features, n_classes=2):
    ...         super().__init__(n_features, n_classes)
    >>> from sklearn_sb.networks import get_network
    >>> get_network("linear") is Linear
    True
    """
    return _NETWORKS.register(name)


def get_network(name):
    """Return the network class registered under ``name``.

    Parameters
    ----------
    name : str

    Returns
    -------
    module_class : type
        A :class:`torch.nn.Module` subclass.

    Raises
    ------
    ValueError
        If no network has that name; the message lists the known ones.
    """
    return _NETWORKS.get(name)


def available_networks():
    """Names of the registered networks, sorted.

    Returns
    -------
    names : list of str
    """
    return _NETWORKS.names()
