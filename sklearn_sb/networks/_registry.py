"""Networks by name, for ``SBNetClassifier(module=NAME)``."""

_NETWORKS = {}


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

    def decorator(module_class):
        registered = _NETWORKS.get(name)
        if registered is not None and registered is not module_class:
            raise ValueError(
                f"A network is already registered as {name!r}: {registered!r}."
            )
        _NETWORKS[name] = module_class
        return module_class

    return decorator


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
    try:
        return _NETWORKS[name]
    except KeyError:
        raise ValueError(
            f"Unknown network {name!r}; registered networks are "
            f"{available_networks()}."
        ) from None


def available_networks():
    """Names of the registered networks, sorted.

    Returns
    -------
    names : list of str
    """
    return sorted(_NETWORKS)
