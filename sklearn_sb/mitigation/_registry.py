"""Methods by name, as experiment recipes, the benchmark and the command line name them."""

from dataclasses import dataclass, field
from typing import Callable

from sklearn.base import clone

from ..utils._registry import Registry

_METHODS = Registry("method")


@dataclass(frozen=True)
class MethodEntry:
    """A registered method: its class, fixed parameters, and its benchmark setting.

    Attributes
    ----------
    cls : type
        A :class:`TrainingMethod` or network-ensemble class.
    params : dict
        Parameters the name fixes (one class can be registered under
        several names, e.g. D-BAT and its adversarial variant).
    benchmark : callable or None
        ``benchmark(size, dataset) -> estimator``: the model the benchmark
        fits for this method (see :func:`~sklearn_sb.experiments.run_benchmark`);
        None applies ``cls(**params)`` to the dataset's network.
    """

    cls: type
    params: dict = field(default_factory=dict)
    benchmark: Callable = None

    def make(self, **params):
        """An unfitted instance with the entry's parameters, then ``params``."""
        return self.cls(**{**self.params, **params})


def register_method(name, *, params=None, benchmark=None):
    """Register a method class under ``name``.

    Used as a class decorator. A registered method can be named in an
    experiment recipe instead of being constructed, and in
    ``sklearn-sb benchmark --methods``.

    Parameters
    ----------
    name : str
        The name, unique among registered methods.
    params : dict, default=None
        Parameters this name fixes.
    benchmark : callable, default=None
        ``benchmark(size, dataset) -> estimator``, the model the benchmark
        fits for this name on one dataset at one size (``dataset.network``
        is the benchmark's member network for it). None applies the method,
        with ``params``, to ``dataset.network``.

    Returns
    -------
    decorator : callable
        Registers the class it decorates and returns it unchanged.

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

    def decorator(cls):
        _METHODS.register(name)(MethodEntry(cls, dict(params or {}), benchmark))
        return cls

    return decorator


def available_methods():
    """Names of the registered methods, sorted.

    Returns
    -------
    names : list of str
    """
    return _METHODS.names()


def method_entry(name):
    """The :class:`MethodEntry` registered as ``name``; a ValueError listing the names otherwise."""
    return _METHODS.get(name)


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
        return method_entry(method).make(**params)
    return clone(method).set_params(**params)
