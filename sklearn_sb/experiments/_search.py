"""The benchmark's hyperparameter search: declared distributions, fixed-budget random draws.

As in DomainBed (Gulrajani and Lopez-Paz, ICLR 2021) and SubpopBench (Yang
et al., ICML 2023), every method gets the same number of settings, drawn
with a fixed seed: setting 0 is the method's defaults, the others are drawn
from the distributions declared next to each method (its class's
``hyperparameters``) and, for every network in the model, from
:data:`NETWORK_HYPERPARAMETERS`.
"""

from numbers import Integral

import numpy as np
from scipy.stats import loguniform
from sklearn.base import BaseEstimator
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import ParameterSampler

from ..utils._param_validation import HasMethods, Interval, validate_params

#: What every network of a model draws, ERM's included. With SGD and momentum
#: 0.9, the benchmark's FCN(100, 2) learned the 5-slab of MS-(5,7) (training
#: accuracy 1.0, default size, one seed) at lr 0.02 to 0.3 with batches of 128
#: or 512; at 0.01 with 512 it stayed at 0.66, at 0.5 (quick size) and 1.0 it
#: lost it (0.76, 0.50). So a decade around the default 0.05, clear of both
#: failures. The batch sizes halve and double the default 256.
NETWORK_HYPERPARAMETERS = {"lr": loguniform(0.02, 0.2), "batch_size": [128, 256, 512]}


class EpochShares(list):
    """Shares of a network's epochs: a drawn share times its ``max_epochs``, at least 1.

    The epochs the benchmark gives a network are its budget; the search
    chooses how much of it to use, so the selection rule chooses the
    epochs as it chooses every other hyperparameter.
    """


NETWORK_HYPERPARAMETERS["max_epochs"] = EpochShares([0.5, 0.75, 1.0])

# Marks the network's entries of a search space, which no parameter path holds.
_NETWORK = "network:"


def _searched(model):
    """The declaring objects of ``model`` by path prefix, and the networks' prefixes.

    The model and every estimator among its deep parameters are looked at,
    except inside a FrozenEstimator (a fitted network, not trained again).
    """
    from .._classifier import SBNetClassifier

    objects = {"": model, **{f"{path}__": value
                             for path, value in model.get_params(deep=True).items()
                             if isinstance(value, BaseEstimator)}}
    frozen = [prefix for prefix, value in objects.items()
              if isinstance(value, FrozenEstimator)]
    objects = {prefix: value for prefix, value in objects.items()
               if not any(prefix.startswith(f) and prefix != f for f in frozen)}
    declaring = {prefix: value for prefix, value in objects.items()
                 if getattr(value, "hyperparameters", None)}
    networks = [prefix for prefix, value in objects.items()
                if isinstance(value, SBNetClassifier)]
    return declaring, networks


def _plain(value):
    """A drawn value as a plain Python scalar, a float to 4 significant digits."""
    if isinstance(value, np.generic):
        value = value.item()
    return float(f"{value:.4g}") if isinstance(value, float) else value


@validate_params(
    {
        "model": [HasMethods(["get_params", "set_params"])],
        "n_draws": [Interval(Integral, 1, None, closed="left")],
        "random_state": [Interval(Integral, 0, 2**32 - 1, closed="both")],
    },
    prefer_skip_nested_validation=True,
)
def hyperparameter_draws(model, n_draws, *, random_state=0):
    """``n_draws`` hyperparameter settings of ``model``, each a dict for ``set_params``.

    Setting 0 is ``{}``: the model as built, with its methods' defaults
    (DomainBed's convention, so ``n_draws=1`` runs the default setting).
    Settings 1 to ``n_draws - 1`` are drawn by
    :class:`~sklearn.model_selection.ParameterSampler` from

    * the declared ``hyperparameters`` of the model and of every estimator
      among its parameters (a training method, an ensemble), under the path
      of their owner: ``alpha`` for a D-BAT model, ``method__strength`` for
      a network trained with spectral decoupling;
    * :data:`NETWORK_HYPERPARAMETERS`, for every ``SBNetClassifier`` in the
      model (the model itself, ``estimator``, ``later_estimator``, ...):
      one value per setting, given to all of them. A network inside a
      ``FrozenEstimator`` is fitted already and draws nothing.

    The settings depend on the model's declarations and ``random_state``
    only. Values are plain Python scalars, floats rounded to 4 significant
    digits, so a setting serializes as JSON.

    Parameters
    ----------
    model : estimator
        The model as the benchmark builds it
        (:func:`~sklearn_sb.experiments.method_factory`).
    n_draws : int
        Number of settings, at least 1. When nothing drawn has a
        continuous distribution, the draws are without replacement
        (:class:`~sklearn.model_selection.ParameterSampler`'s rule) and
        stop at the number of distinct settings.
    random_state : int, default=0
        The seed of the draws.

    Returns
    -------
    draws : list of dict
        Parameter path to value; the first is ``{}``.

    Examples
    --------
    >>> from sklearn_sb import SBNetClassifier
    >>> from sklearn_sb.experiments import hyperparameter_draws
    >>> from sklearn_sb.mitigation import DBATClassifier
    >>> model = DBATClassifier(SBNetClassifier())
    >>> draws = hyperparameter_draws(model, 3, random_state=0)
    >>> draws[0]
    {}
    >>> sorted(draws[1])
    ['alpha', 'estimator__batch_size', 'estimator__lr', 'estimator__max_epochs']
    >>> model.set_params(**draws[1]).alpha == draws[1]["alpha"]
    True
    """
    declaring, networks = _searched(model)
    params = model.get_params(deep=True)
    space = {f"{prefix}{name}": distribution for prefix, owner in declaring.items()
             for name, distribution in owner.hyperparameters.items()}
    if networks:
        space.update({_NETWORK + name: distribution
                      for name, distribution in NETWORK_HYPERPARAMETERS.items()})
    if not space:
        return [{} for _ in range(n_draws)]
    draws = [{}]
    for drawn in ParameterSampler(space, n_draws - 1, random_state=random_state):
        setting = {}
        for key, value in drawn.items():
            name = key.removeprefix(_NETWORK)
            paths = [prefix + name for prefix in networks] if name != key else [key]
            if isinstance(space[key], EpochShares):
                setting.update({path: max(1, round(value * params[path])) for path in paths})
            else:
                setting.update(dict.fromkeys(paths, _plain(value)))
        draws.append(dict(sorted(setting.items())))
    return draws


def describe_distribution(distribution):
    """A declared distribution as text, as :func:`hyperparameter_table` shows it.

    Parameters
    ----------
    distribution : list or scipy.stats frozen distribution
        A value of a ``hyperparameters`` declaration.

    Returns
    -------
    text : str
        The values of a list; a distribution's name and support.

    Examples
    --------
    >>> from scipy.stats import loguniform
    >>> from sklearn_sb.experiments._search import describe_distribution
    >>> describe_distribution(loguniform(0.01, 10))
    'log-uniform [0.01, 10]'
    >>> describe_distribution([128, 256, 512])
    'one of 128, 256, 512'
    """
    if isinstance(distribution, EpochShares):
        return "one of " + ", ".join(f"{value:g}" for value in distribution) + " x the epochs"
    if isinstance(distribution, list):
        return "one of " + ", ".join(str(value) for value in distribution)
    low, high = distribution.support()
    name = {"loguniform": "log-uniform"}.get(distribution.dist.name, distribution.dist.name)
    return f"{name} [{low:g}, {high:g}]"


@validate_params({}, prefer_skip_nested_validation=True)
def hyperparameter_table():
    """The hyperparameters the search draws, for ERM and every registered method.

    The rows of ``'erm'`` are :data:`NETWORK_HYPERPARAMETERS`, which every
    method's networks draw as well; then, for every registered method
    (:func:`~sklearn_sb.mitigation.available_methods`), one row per
    hyperparameter its class declares, or one row with an empty parameter
    when it declares none.

    Returns
    -------
    table : pandas.DataFrame
        Columns ``method``, ``class``, ``parameter`` and ``distribution``.

    Examples
    --------
    >>> from sklearn_sb.experiments import hyperparameter_table
    >>> table = hyperparameter_table().set_index(["method", "parameter"])
    >>> table.loc[("d-bat", "alpha"), "distribution"]
    'log-uniform [0.01, 10]'
    >>> table.loc[("erm", "batch_size"), "distribution"]
    'one of 128, 256, 512'
    """
    import pandas as pd

    from .._classifier import SBNetClassifier
    from ..mitigation import available_methods
    from ..mitigation._registry import method_entry

    rows = [{"method": "erm", "class": SBNetClassifier.__name__, "parameter": name,
             "distribution": describe_distribution(distribution)}
            for name, distribution in NETWORK_HYPERPARAMETERS.items()]
    for method in available_methods():
        cls = method_entry(method).cls
        declared = cls.hyperparameters or {"": None}
        rows.extend({"method": method, "class": cls.__name__, "parameter": name,
                     "distribution": "none declared" if distribution is None
                     else describe_distribution(distribution)}
                    for name, distribution in declared.items())
    return pd.DataFrame(rows)
