"""The benchmark's datasets: sizes, knobs, training rows, side data and selection sets.

The seeding rule: the rows, the side data and the selection sets of a cell
depend on its dataset, size, knob values and seed only, never on the method,
so every method of one seed sees the same rows.
"""

import os
from dataclasses import dataclass
from functools import partial
from numbers import Integral

import numpy as np
from sklearn.base import clone
from sklearn.utils import Bunch

from ..utils._param_validation import Interval, StrOptions, validate_params
from ._recipes import _MNIST_CIFAR_CNN

#: The l2 budget of the universal perturbations of each benchmark dataset
#: (the paper's: LMS-5 1.0, MS-(5,7) 0.5, MNIST-CIFAR 5.0).
UAP_BUDGETS = {"lms5": 1.0, "ms57": 0.5, "noisy-lms7": 1.0, "mnist-cifar": 5.0,
               "mf-dominoes": 5.0}
DATASETS = tuple(UAP_BUDGETS)


@dataclass(frozen=True)
class BenchmarkSize:
    """Rows and epochs of a benchmark size (images use their sources' sizes).

    Parameters
    ----------
    name : {'quick', 'default', 'full'}
    n_train, n_side, n_test : int
        Synthetic rows for training, for the side data and for the test.
    n_features : int
        Dimension of the synthetic data.
    max_epochs, image_epochs : int
        Epochs of the member network on synthetic data and on images.
    n_repeats : int, default=3
        Repeats of every randomization.
    """

    name: str
    n_train: int
    n_side: int
    n_test: int
    n_features: int
    max_epochs: int
    image_epochs: int
    n_repeats: int = 3


SIZES = {
    # MS-(5,7)'s 5-slab takes about 450 SGD steps: 3,000 rows, 40 epochs.
    "quick": BenchmarkSize("quick", 3_000, 1_000, 1_000, 10, 40, 1, n_repeats=1),
    # D-BAT's second member learns the slabs of LMS-5, MS-(5,7) and noisy
    # LMS-7 from 30,000 rows in 10 dimensions within 25 epochs; in 50
    # dimensions it needs the full size (with 50,000 rows it stays on S).
    "default": BenchmarkSize("default", 30_000, 5_000, 5_000, 10, 25, 10),
    "full": BenchmarkSize("full", 100_000, 20_000, 10_000, 50, 40, 30),
}
# FCN(100, 2), SGD with momentum 0.9 at lr 0.05 (without momentum MS-(5,7)'s
# slabs stay at chance), weight decay 5e-5, batch 256, a fixed number of
# epochs: every method trains as long, so the wall times compare.
_DENSE_NETWORK = {
    "module": "fcn", "module__width": 100, "module__depth": 2, "lr": 0.05,
    "optimizer__momentum": 0.9, "optimizer__weight_decay": 5e-5, "batch_size": 256,
}


@dataclass(frozen=True)
class BenchmarkDataset:
    """One benchmark dataset at one size: what a method's benchmark factory reads.

    Parameters
    ----------
    name : str
        A name of the dataset catalog.
    eps : float
        The l2 budget of its universal perturbations.
    image_shape : tuple of int or None
        The shape of an image, None for synthetic data.
    network : SBNetClassifier
        The benchmark's member network for it: FCN(100, 2) on synthetic
        data, the small CNN on images.
    dense_network : SBNetClassifier
        The FCN(100, 2), for methods that need a fully connected network.
    """

    name: str
    eps: float
    image_shape: tuple
    network: object
    dense_network: object


def benchmark_dataset(name, size, image_shape=None):
    """The :class:`BenchmarkDataset` of ``name`` at ``size``."""
    from .._classifier import SBNetClassifier

    size = SIZES[size] if isinstance(size, str) else size
    epochs = size.max_epochs if image_shape is None else size.image_epochs
    dense = SBNetClassifier(**_DENSE_NETWORK, max_epochs=epochs)
    network = dense if image_shape is None else SBNetClassifier(
        **_MNIST_CIFAR_CNN, max_epochs=epochs, module__input_shape=tuple(image_shape))
    return BenchmarkDataset(name, UAP_BUDGETS[name], image_shape, network, clone(dense))


@dataclass(frozen=True)
class Knob:
    """A property of a benchmark dataset that a sweep varies.

    Parameters
    ----------
    name : str
    description : str
    datasets : tuple of str or None
        The datasets it applies to; None for all.
    """

    name: str
    description: str
    datasets: tuple = None

    def applies_to(self, dataset):
        return self.datasets is None or dataset in self.datasets


_SYNTHETIC = ("lms5", "ms57", "noisy-lms7")
#: What ``--sweep`` varies.
KNOBS = {knob.name: knob for knob in (
    Knob("correlation", "share of training rows whose simple block S agrees with the label "
                        "(rows where it disagrees form the minority groups)"),
    Knob("label_noise", "share of training labels flipped at random"),
    Knob("margin", "margin of the slabs and of the linear block (smaller: harder)",
         _SYNTHETIC),
    Knob("n_slabs", "slabs of the complex coordinates of LMS data (more: harder)",
         ("lms5", "noisy-lms7")),
)}


def check_knobs(knobs):
    """``knobs`` as a dict of known knob names to values, or a ValueError."""
    knobs = dict(knobs or {})
    unknown = sorted(set(knobs) - set(KNOBS))
    if unknown:
        raise ValueError(f"Unknown knobs {unknown}; the knobs are {list(KNOBS)}.")
    for name in ("correlation", "label_noise"):
        if name in knobs and not 0 <= knobs[name] <= 1:
            raise ValueError(f"The knob {name!r} is a share in [0, 1]; got {knobs[name]!r}.")
    if "label_noise" in knobs and knobs["label_noise"] >= 0.5:
        raise ValueError("The knob 'label_noise' must be below 0.5 (at 0.5 the labels are "
                         f"random); got {knobs['label_noise']!r}.")
    return knobs


_SIZE = [StrOptions(set(SIZES)), BenchmarkSize]


@validate_params(
    {
        "name": [StrOptions(set(DATASETS))],
        "size": _SIZE,
        "seed": [Interval(Integral, 0, 2**32 - 1, closed="both")],
        "data_home": [str, os.PathLike, None],
        "knobs": [dict, None],
    },
    prefer_skip_nested_validation=True,
)
def benchmark_data(name, size, seed, data_home=None, knobs=None):
    """Training, side, selection and test rows of one dataset for one seed.

    Synthetic datasets draw ``n_train + n_side`` training rows of the
    catalog dataset (with ``n_test`` test rows) and keep the last ``n_side``
    as a reserve: ``X_ood`` is the reserve with its simple block S permuted
    across rows (an oracle: it knows S), ``X_val`` the same rows with S
    permuted by another permutation, labeled (``y_val``). Image datasets
    reserve 20 % of every training source (``fetch_dominoes(holdout=0.2)``)
    and pair the reserve at random (correlation 0.5): ``X_ood`` unlabeled
    and, with its labels, ``X_val``, ``y_val``. Images must be cached: the
    benchmark never downloads.

    Groups are label x the label that S points to (the convention of
    :func:`~sklearn_sb.datasets.make_dominoes`): rows where S disagrees with
    the label are the minority groups.

    Parameters
    ----------
    name : str
        A benchmark dataset (:data:`DATASETS`).
    size : {'quick', 'default', 'full'} or BenchmarkSize
    seed : int
    data_home : str or path-like, default=None
        Where the image sources are cached.
    knobs : dict, default=None
        Values of :data:`KNOBS` that change the dataset: ``correlation``
        (training, in-distribution and test rows), ``label_noise`` (training
        rows only), ``margin`` and ``n_slabs`` (synthetic data).

    Returns
    -------
    data : Bunch
        ``name``, ``X_train``, ``y_train``, ``X_test``, ``y_test``,
        ``groups_test``, ``blocks`` (S and the rotation), ``image_shape``,
        ``side_data`` (the keywords a method's fit may take: ``X_ood``,
        ``X_val``, ``y_val``, ``groups`` (label x S-label of the training
        rows), ``simple_features``), ``selection_sets``
        (Bunches ``X``, ``y``, ``groups`` of the rows the selection rules
        score: ``'decorrelated test'``, ``'decorrelated validation'``,
        ``'in-distribution validation'``), ``knobs`` and ``made_with``
        (side information that the side data carries beyond its name:
        ``{'unlabeled_ood': 'oracle_simple_block'}`` where ``X_ood`` was
        made with S).
    """
    from ..datasets._catalog import available_datasets

    size = SIZES[size] if isinstance(size, str) else size
    knobs = check_knobs(knobs)
    inapplicable = [knob for knob in knobs if not KNOBS[knob].applies_to(name)]
    if inapplicable:
        raise ValueError(f"The knobs {inapplicable} do not apply to {name!r}.")
    dominoes = available_datasets()[name].dominoes
    data = (_synthetic_data if dominoes is None else _image_data)(
        name, size, seed, data_home, knobs, dominoes)
    if knobs.get("label_noise"):
        data.y_train = _flipped(data.y_train, knobs["label_noise"], seed)
        # A flipped label moves its row to the group of its new label.
        n_labels = len(np.unique(data.y_test))
        data.side_data["groups"] = (data.y_train * n_labels
                                    + _s_labels(data.side_data["groups"], n_labels))
    data.selection_sets["decorrelated test"] = _decorrelated(
        data.X_test, data.y_test, data.groups_test, data.blocks,
        _rng(seed, 1).permutation(len(data.y_test)))
    data.knobs = knobs
    return data


def _rng(seed, stream):
    """The ``stream``-th random generator of a cell's ``seed``, one per use."""
    from ..utils._random import draw_seed

    return np.random.RandomState(draw_seed(seed, size=stream + 1)[stream])


def _s_labels(groups, n_labels):
    """The label S points to in every row, from label x S-label groups."""
    return np.asarray(groups) % n_labels


def _decorrelated(X, y, groups, blocks, permutation, *, X_randomized=None):
    """Rows with S permuted by ``permutation``, their labels and label x S groups."""
    from ..utils._randomize import randomize_validated

    n_labels = len(np.unique(y))
    if X_randomized is None:
        X_randomized = randomize_validated(X, blocks.simple_features, blocks.rotation,
                                           permutation, dtype=np.float32)
    s_labels = _s_labels(groups, n_labels)[permutation]
    return Bunch(X=X_randomized, y=y, groups=y * n_labels + s_labels)


def _flipped(y, share, seed):
    """``y`` with ``round(share * len(y))`` labels, at random rows, changed to another."""
    rng = _rng(seed, 2)
    labels = np.unique(y)
    rows = rng.permutation(len(y))[:round(share * len(y))]
    flipped = y.copy()
    shift = rng.randint(1, len(labels), size=len(rows))
    positions = np.searchsorted(labels, y[rows])
    flipped[rows] = labels[(positions + shift) % len(labels)]
    return flipped


def _synthetic_data(name, size, seed, data_home, knobs, dominoes):
    from ..datasets import load_dataset
    from ..utils._randomize import randomize_validated

    generator_params = {key: knobs[key] for key in ("correlation", "margin", "n_slabs")
                        if key in knobs}
    data = load_dataset(name, n_train=size.n_train + size.n_side, n_test=size.n_test,
                        n_features=size.n_features, random_state=seed,
                        generator_params=generator_params or None)
    train, side = slice(None, size.n_train), slice(size.n_train, None)
    X_side, y_side, groups_side = data.X_train[side], data.y_train[side], data.groups_train[side]
    permuted = partial(randomize_validated, X_side, data.simple_features, data.rotation,
                       dtype=np.float32)
    ood_permutation = _rng(seed, 0).permutation(len(X_side))
    val_permutation = np.random.RandomState(seed).permutation(len(X_side))
    X_val = permuted(val_permutation)
    side_data = {"X_ood": permuted(ood_permutation), "X_val": X_val, "y_val": y_side,
                 "groups": data.groups_train[train], "simple_features": data}
    selection_sets = {
        "decorrelated validation": _decorrelated(X_side, y_side, groups_side, data,
                                                 val_permutation, X_randomized=X_val),
        "in-distribution validation": Bunch(X=X_side, y=y_side, groups=groups_side),
    }
    return Bunch(name=name, X_train=data.X_train[train], y_train=data.y_train[train],
                 X_test=data.X_test, y_test=data.y_test, groups_test=data.groups_test,
                 blocks=data, image_shape=None, side_data=side_data,
                 selection_sets=selection_sets,
                 made_with={"unlabeled_ood": "oracle_simple_block"})


def _image_data(name, size, seed, data_home, knobs, dominoes):
    from ..datasets import fetch_dominoes

    top, bottom, top_classes, bottom_classes = dominoes
    correlation = knobs.get("correlation", 1.0)
    fetch = partial(fetch_dominoes, top, bottom, top_classes=top_classes,
                    bottom_classes=bottom_classes, holdout=0.2, data_home=data_home,
                    download_if_missing=False, random_state=seed, verbose=0)
    train = fetch(correlation=correlation)
    reserve = fetch(subset="holdout", correlation=0.5)
    held_out = fetch(subset="holdout", correlation=correlation)
    test = fetch(subset="test", correlation=correlation)
    side_data = {"X_ood": reserve.data, "X_val": reserve.data, "y_val": reserve.target,
                 "groups": train.groups, "simple_features": train}
    selection_sets = {
        "decorrelated validation": Bunch(X=reserve.data, y=reserve.target,
                                         groups=reserve.groups),
        "in-distribution validation": Bunch(X=held_out.data, y=held_out.target,
                                            groups=held_out.groups),
    }
    return Bunch(name=name, X_train=train.data, y_train=train.target, X_test=test.data,
                 y_test=test.target, groups_test=test.groups, blocks=train,
                 image_shape=train.images.shape[1:], side_data=side_data,
                 selection_sets=selection_sets, made_with={})
