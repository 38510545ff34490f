"""The public API of sklearn_sb, found by walking the package.

Public means: a name in the ``__all__`` of ``sklearn_sb`` or of one of its
public modules, those whose dotted names have no component starting with an
underscore (``sklearn_sb.mitigation``, not ``sklearn_sb.mitigation._base``
nor ``sklearn_sb.__main__``). The private modules count only through what
the public ``__init__`` files re-export. Public modules without ``__all__``
(``sklearn_sb.utils``, ``sklearn_sb.base`` today) export nothing.

Each object is named by its shortest public path, without the leading
``sklearn_sb.``: ``SBNetClassifier``, ``mitigation.TrainingMethod``.

The common tests parametrize over these lists, so a new public name is
covered without editing them.
"""

import importlib
import inspect
import pkgutil

from sklearn.base import BaseEstimator

import sklearn_sb

PACKAGE = "sklearn_sb"


def _raise(name):
    # pkgutil.walk_packages calls this inside its ``except ImportError``
    # handler: a public subpackage that fails to import fails the tests
    # instead of vanishing from them.
    raise


def public_module_names():
    """``sklearn_sb`` and its public modules, sorted."""
    names = {PACKAGE}
    for info in pkgutil.walk_packages(sklearn_sb.__path__, PACKAGE + ".", onerror=_raise):
        if not any(part.startswith("_") for part in info.name.split(".")):
            names.add(info.name)
    return sorted(names)


def public_objects():
    """``(name, object)`` for every public name, each object once, sorted by name."""
    found = {}
    for module_name in public_module_names():
        module = importlib.import_module(module_name)
        for attribute in getattr(module, "__all__", ()):
            obj = getattr(module, attribute)
            path = f"{module_name}.{attribute}".removeprefix(PACKAGE + ".")
            known = found.get(id(obj))
            if known is None or (len(path), path) < (len(known[0]), known[0]):
                found[id(obj)] = (path, obj)
    return sorted(found.values(), key=lambda item: item[0])


def _is_estimator_class(obj):
    return (
        inspect.isclass(obj) and issubclass(obj, BaseEstimator) and not inspect.isabstract(obj)
    )


def all_estimators():
    """``(name, class)`` of the public BaseEstimator subclasses with ``fit``."""
    return [(n, o) for n, o in public_objects() if _is_estimator_class(o) and hasattr(o, "fit")]


def all_parameter_objects():
    """``(name, class)`` of the public BaseEstimator subclasses without ``fit``.

    Training methods today: objects with validated, clonable parameters that
    an estimator uses (``SBNetClassifier(method=...)``), not estimators.
    """
    return [
        (n, o) for n, o in public_objects() if _is_estimator_class(o) and not hasattr(o, "fit")
    ]


def all_functions():
    """``(name, function)`` of the public callables that are not classes."""
    return [
        (n, o) for n, o in public_objects() if callable(o) and not inspect.isclass(o)
    ]
