"""Training methods by name, as experiment recipes and the command line name them."""

from sklearn.base import clone

from ..utils._registry import Registry

_METHODS = Registry("method")


def register_method(name):
    """Register a training method class under ``name``.

    Used as a class decorator. A registered method can be named in an
    experiment recipe instead of being constructed.

    Parameters
    ----------
    name : str
        The name, unique among registered methods.

    Returns
    -------
    decorator : callable

    Examples
    --------
    >>> from sklearn_sb.mitigation import TrainingMethod, register_method
    >>> @register_method("noop")
    ... class NoOp(TrainingMethod):
    ...     pass
    >>> from sklearn_sb.mitigation import make_method
    >>> make_method("noop")
    NoOp()
    """
    return _METHODS.register(name)


def available_methods():
    """Names of the registered training methods, sorted.

    Returns
    -------
    names : list of str
    """
    return _METHODS.names()


def make_method(method, **params):
    """An unfitted method from a registered name or a method object.

    Parameters
    ----------
    method : str or estimator
        A name of :func:`available_methods`, or a method (cloned).
    **params
        Parameters set on the method.

    Returns
    -------
    method : estimator
        A :class:`TrainingMethod` or a network ensemble; either has
        ``apply_to(network)``.

    Raises
    ------
    ValueError
        If no method has that name; the message lists the known ones.
    """
    if isinstance(method, str):
        return _METHODS.get(method)(**params)
    return clone(method).set_params(**params)
