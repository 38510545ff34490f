"""Methods by name, as experiment recipes, the benchmark and the command line name them."""

from dataclasses import dataclass, field
from typing import Callable

from sklearn.base import clone

from ..utils._registry import Registry

_METHODS = Registry("method")


def _qualified_name(obj):
    return None if obj is None else (obj.__module__, obj.__qualname__)


@dataclass(frozen=True, eq=False)
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

    def __eq__(self, other):
        # A reloaded module registers new objects of the same names: the same method.
        return isinstance(other, MethodEntry) and self._key() == other._key()

    def _key(self):
        return _qualified_name(self.cls), self.params, _qualified_name(self.benchmark)

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


def side_data_table():
    """The side data of every registered method, from the methods' declarations.

    One row per keyword that a registered method's ``fit`` takes with the
    parameters its name fixes (its declared ``side_data``, resolved), and
    one row for a method that takes none, such as a training method, whose
    side information is then its ``side_information``.

    Returns
    -------
    table : pandas.DataFrame
        Columns ``method``, ``class``, ``keyword``, ``kind``, ``required``,
        ``side information`` and ``description``.

    Examples
    --------
    >>> from sklearn_sb.mitigation import side_data_table
    >>> table = side_data_table().set_index(["method", "keyword"])
    >>> table.loc[("dfr", "X_val"), "side information"]
    'labeled_decorrelated_fit'
    >>> table.loc[("spectral-decoupling", ""), "side information"]
    'none'
    """
    import pandas as pd

    from ._side_data import accepted_side_data, resolve

    rows = []
    for name, entry in _METHODS.entries().items():
        method = entry.make()
        base = {"method": name, "class": entry.cls.__name__}
        accepted = accepted_side_data(method)
        if not accepted:
            rows.append({**base, "keyword": "", "kind": "", "required": False,
                         "side information": "+".join(getattr(method, "side_information",
                                                              ("none",))),
                         "description": "takes no side data in fit"})
        for keyword in accepted:
            datum = method.side_data[keyword]
            information = resolve(datum.information, method)
            rows.append({**base, "keyword": keyword, "kind": datum.kind,
                         "required": bool(resolve(datum.required, method)),
                         "side information": information or "",
                         "description": datum.description})
    return pd.DataFrame(rows)
