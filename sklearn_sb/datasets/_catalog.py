"""The paper's datasets by name, for the command line and the experiments.

A loader takes the keyword arguments of :func:`load_dataset` (``n_train``,
``n_test``, ``n_features``, ``generator_params``, ``random_state``,
``data_home``, ``download_if_missing``, ``verbose``), uses those that apply to
it, and returns a Bunch with ``X_train``, ``X_test``, ``y_train``, ``y_test``,
``simple_features``, ``complex_features``, ``rotation``, ``feature_info`` and
``DESCR``. ``generator_params`` is a dict, empty unless the caller gave one;
a loader with no generator to pass it to refuses a non-empty one.
"""

import inspect
import os
from dataclasses import dataclass
from functools import partial
from numbers import Integral
from typing import Callable

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch, check_random_state

from ..utils._param_validation import Interval, RegisteredName, validate_params
from ..utils._registry import Registry

from ._collages import fetch_collages
from ._colored_mnist import fetch_colored_mnist
from ._dominoes import fetch_dominoes
from ._mnist_cifar import fetch_mnist_cifar
from ._sources import SOURCES
from ._synthetic import make_lms, make_lsn, make_slabs


@dataclass(frozen=True)
class DatasetEntry:
    """A registered dataset.

    Parameters
    ----------
    name : str
    description : str
        One line, shown by ``sklearn-sb list`` and ``sklearn-sb describe``.
    loader : callable
        Called with the keyword arguments of :func:`load_dataset` but ``name``.
    needs_download : bool
        Whether the loader reads sources that may have to be downloaded.
    dominoes : tuple or None
        For a dominoes dataset, the arguments of
        :func:`~sklearn_sb.datasets.fetch_dominoes` that define it: ``(top,
        bottom, top_classes, bottom_classes)``; experiments that need its
        holdout reserve fetch it with them.
    """

    name: str
    description: str
    loader: Callable
    needs_download: bool = False
    dominoes: tuple = None


_DATASETS = Registry("dataset")


def register_dataset(name, loader=None, *, description, needs_download=False, dominoes=None):
    """Add a dataset to the catalog; usable as a decorator of its loader.

    Parameters
    ----------
    name : str
        The name :func:`load_dataset` and ``sklearn-sb describe`` take.
    loader : callable, default=None
        See the module docstring for its arguments and return value. None
        returns a decorator that registers the function it decorates.
    description : str
        One line describing the dataset.
    needs_download : bool, default=False
        Whether the loader reads sources that may have to be downloaded.
    dominoes : tuple, default=None
        ``(top, bottom, top_classes, bottom_classes)`` of a dominoes dataset.

    Returns
    -------
    loader : callable
        ``loader`` itself, or the decorator when ``loader`` is None.
    """
    if loader is None:
        return partial(register_dataset, name, description=description,
                       needs_download=needs_download, dominoes=dominoes)
    _DATASETS.register(name)(DatasetEntry(name, description, loader, needs_download, dominoes))
    return loader


def available_datasets():
    """The registered datasets, in registration order.

    Returns
    -------
    datasets : dict of str to DatasetEntry
    """
    return _DATASETS.entries()


@validate_params(
    {
        "name": [RegisteredName(lambda: _DATASETS.names())],
        "n_train": [Interval(Integral, 1, None, closed="left")],
        "n_test": [Interval(Integral, 0, None, closed="left")],
        "n_features": [Interval(Integral, 2, None, closed="left")],
        "generator_params": [dict, None],
        "random_state": ["random_state"],
        "data_home": [str, os.PathLike, None],
        "download_if_missing": ["boolean"],
        "verbose": ["verbose"],
    },
    # The generators validate generator_params.
    prefer_skip_nested_validation=False,
)
def load_dataset(name, *, n_train, n_test, n_features=50, generator_params=None,
                 random_state=None, data_home=None, download_if_missing=True, verbose=0):
    """Load a registered dataset, split into training and test rows.

    Parameters
    ----------
    name : str
        A key of :func:`available_datasets`.
    n_train : int
        Number of training rows. A fetched dataset gives at most as many as
        its source has.
    n_test : int
        Number of test rows; 0 gives empty test arrays.
    n_features : int, default=50
        Dimension of a synthetic dataset; fetched datasets ignore it.
    generator_params : dict, default=None
        Options of a synthetic dataset's generator, such as
        ``{"correlation": 0.9}``, ``{"noise": 0.2}`` or ``{"n_slabs": 7}``,
        that override the catalog's own (``'lms5'`` is
        ``make_lms(n_slabs=5)``). A fetched dataset has no generator and
        refuses a non-empty dict.
    random_state : int, RandomState instance or None, default=None
        Determines the rows drawn and the split. Pass an int for
        reproducible output.
    data_home : str or path-like, default=None
        Cache folder of a fetched dataset; synthetic datasets ignore it.
    download_if_missing : bool, default=True
        If False, a fetched dataset that is not cached raises an OSError.
    verbose : int, default=0
        0 is silent; otherwise progress bars while fetching.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        X_train, X_test : ndarray
            Training and test inputs, of shapes ``(n_train, n_features)``
            and ``(n_test, n_features)``.
        y_train, y_test : ndarray
            Their labels, of shapes ``(n_train,)`` and ``(n_test,)``.
        groups_train, groups_test : ndarray
            The group of every row, aligned with ``y_train`` and ``y_test``:
            ``2 * y + s`` for a synthetic dataset, where ``s`` is the label
            the simple block S points to (see
            :func:`~sklearn_sb.datasets.make_lms`), so that groups 1 and 2
            are the minority ones. A fetched dataset has them only when its
            fetcher gives ``groups``: the dominoes' (same convention) and
            Colored MNIST's environments.
        simple_features, complex_features : ndarray of int
            The columns of the simple block S and of S^c, in unrotated
            coordinates.
        rotation : ndarray of shape (n_features, n_features) or None
            ``X = Z @ rotation`` for the unrotated data ``Z``; None when the
            data is not rotated.
        feature_info : ndarray of str
            The kind of every unrotated column, such as 'linear' or 'slab-5'.
        DESCR : str
            The source's full description.
        description : str
            The catalog's one-line description.

        Sources may add attributes: the generators' ``parameters``, the
        fetched datasets' ``image_shape`` (``(C, H, W)`` of the images the
        rows flatten) and the dominoes' ``target_names``.

    Raises
    ------
    ValueError
        If ``generator_params`` names an option the generator does not take
        or gives one a bad value (an ``InvalidParameterError`` naming it),
        or is not empty for a fetched dataset.
    OSError
        If a fetched dataset is not cached and ``download_if_missing=False``,
        or its download fails.

    Examples
    --------
    >>> from sklearn_sb.datasets import load_dataset
    >>> data = load_dataset("lms5", n_train=100, n_test=20, n_features=10,
    ...                     random_state=0)
    >>> data.X_train.shape, data.X_test.shape
    ((100, 10), (20, 10))

    The same dataset where the linear coordinate S agrees with the label on
    90 % of the rows only (groups 1 and 2):

    >>> data = load_dataset("lms5", n_train=100, n_test=20, n_features=10,
    ...                     generator_params={"correlation": 0.9}, random_state=0)
    >>> data.parameters["correlation"], data.groups_train.shape
    (0.9, (100,))
    """
    entry = _DATASETS.get(name)
    data = entry.loader(
        n_train=n_train, n_test=n_test, n_features=n_features,
        generator_params=dict(generator_params or {}),
        random_state=random_state, data_home=data_home,
        download_if_missing=download_if_missing, verbose=verbose,
    )
    data.description = entry.description
    return data


def _load_synthetic(make, options, *, n_train, n_test, n_features, generator_params,
                    random_state, **_):
    """``make`` on all the rows, split as the experiments always have.

    ``generator_params`` override the catalog's ``options``.
    """
    accepted = [
        name for name, parameter in inspect.signature(make).parameters.items()
        if parameter.kind is parameter.KEYWORD_ONLY
        and name not in ("random_state", "return_X_y")
    ]
    unknown = sorted(set(generator_params) - set(accepted))
    if unknown:
        raise ValueError(
            f"The 'generator_params' of load_dataset name {unknown}, which "
            f"{make.__name__} does not take; its options are {accepted}."
        )
    generated = make(n_train + n_test, n_features, **{**options, **generator_params},
                     random_state=random_state, return_X_y=False)
    X, y, groups = generated.pop("X"), generated.pop("y"), generated.pop("groups")
    if n_test:
        X_train, X_test, y_train, y_test, groups_train, groups_test = train_test_split(
            X, y, groups, test_size=n_test, random_state=random_state
        )
    else:
        # train_test_split refuses an empty test set; the generators
        # already shuffle the rows.
        X_train, X_test, y_train, y_test = X, X[:0], y, y[:0]
        groups_train, groups_test = groups, groups[:0]
    return Bunch(X_train=X_train, X_test=X_test, y_train=y_train, y_test=y_test,
                 groups_train=groups_train, groups_test=groups_test, **generated)


register_dataset("lms5", partial(_load_synthetic, make_lms, {"n_slabs": 5}),
                 description="LMS-5: a linear coordinate and 5-slab ones")
register_dataset("lms7", partial(_load_synthetic, make_lms, {"n_slabs": 7}),
                 description="LMS-7: a linear coordinate and 7-slab ones")
register_dataset(
    "noisy-lms7", partial(_load_synthetic, make_lms, {"n_slabs": 7, "noise": 0.1}),
    description="noisy LMS-7: 10% of the linear coordinate replaced by noise",
)
register_dataset("ms5", partial(_load_synthetic, make_slabs, {"n_slabs": 5}),
                 description="MS-5: 5-slab coordinates, all equally simple")
register_dataset("ms57", partial(_load_synthetic, make_slabs, {"n_slabs": (5, 7)}),
                 description="MS-(5,7): a 5-slab coordinate and 7-slab ones")
register_dataset("lsn", partial(_load_synthetic, make_lsn, {}),
                 description="LSN: linear and 3-slab singletons, Gaussian noise (Theorem 1)")


def _load_fetched(fetch, feature_info, *, n_train, n_test, generator_params, random_state,
                  data_home, download_if_missing, verbose, **_):
    """Random rows of a fetcher's training and test sets.

    ``feature_info(train)`` names the kind of every column of the fetched
    training Bunch.
    """
    if generator_params:
        raise ValueError(
            f"The 'generator_params' of load_dataset apply to synthetic datasets; "
            f"this one is fetched, not generated. Got {generator_params!r}."
        )
    options = dict(data_home=data_home, random_state=random_state,
                   download_if_missing=download_if_missing, verbose=verbose)
    train = fetch(subset="train", **options)
    test = fetch(subset="test", **options)
    rng = check_random_state(random_state)
    keep_train = rng.permutation(len(train.target))[:n_train]
    keep_test = rng.permutation(len(test.target))[:n_test]
    n_features = train.data.shape[1]
    # Colored MNIST's simple feature is the colour, a choice of channel, not
    # a block of columns: its S is empty.
    simple = train.get("simple_features", np.array([], dtype=np.intp))
    return Bunch(
        X_train=train.data[keep_train],
        X_test=test.data[keep_test],
        y_train=train.target[keep_train],
        y_test=test.target[keep_test],
        **{f"groups_{subset}": part.groups[keep]
           for subset, part, keep in (("train", train, keep_train), ("test", test, keep_test))
           if "groups" in part},
        simple_features=simple,
        complex_features=np.setdiff1d(np.arange(n_features), simple),
        rotation=None,
        feature_info=feature_info(train),
        image_shape=train.images.shape[1:],
        DESCR=train.DESCR,
        **{key: train[key] for key in ("target_names",) if key in train},
    )


def _pixels_of_blocks(names):
    """``feature_info`` of a dominoes Bunch: the top and bottom sources' pixels."""
    top, bottom = names

    def feature_info(data):
        info = np.full(data.data.shape[1], f"{bottom} pixel", dtype=object)
        info[data.simple_features] = f"{top} pixel"
        return info

    return feature_info


def _pixels_of_channels(data):
    """``feature_info`` of Colored MNIST: which colour channel a pixel is on."""
    channels = np.array(["red pixel", "green pixel"], dtype=object)
    return np.repeat(channels, data.images[0, 0].size)


def _pixels_of_collage_blocks(data):
    titles = {key: source.title for key, source in SOURCES.items()}
    info = np.empty(data.data.shape[1], dtype=object)
    for key, columns in data.blocks.items():
        info[columns] = f"{titles[key]} pixel"
    return info


register_dataset(
    "mnist-cifar",
    partial(_load_fetched, fetch_mnist_cifar, _pixels_of_blocks(("MNIST", "CIFAR-10"))),
    description="MNIST-CIFAR: an MNIST digit (S) stacked on a CIFAR-10 image (S^c)",
    needs_download=True,
    dominoes=("mnist", "cifar10", (0, 1), (1, 9)),
)
register_dataset(
    "mf-dominoes",
    partial(_load_fetched,
            partial(fetch_dominoes, "mnist", "fashion_mnist", bottom_classes=(4, 3)),
            _pixels_of_blocks(("MNIST", "Fashion-MNIST"))),
    description="M/F-Dominoes: MNIST 0/1 (S) stacked on Fashion-MNIST coat/dress (S^c)",
    needs_download=True,
    dominoes=("mnist", "fashion_mnist", (0, 1), (4, 3)),
)
register_dataset(
    "colored-mnist",
    partial(_load_fetched, fetch_colored_mnist, _pixels_of_channels),
    description="Colored MNIST: digit < 5 with 25% label noise; a colour that "
                "predicts it in training and misleads in test",
    needs_download=True,
)
register_dataset(
    "collages",
    partial(_load_fetched, fetch_collages, _pixels_of_collage_blocks),
    description="Collages: MNIST (S), CIFAR-10, Fashion-MNIST and SVHN blocks, "
                "all predictive, tiled 2 x 2 at 16 x 16",
    needs_download=True,
)
