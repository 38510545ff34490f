"""The testbed's datasets: synthetic LMS, MS and LSN data, dominoes, Colored MNIST, collages.

Every dataset is also registered by name in a catalog
(:func:`available_datasets`), from which :func:`load_dataset` draws a train
and a test split: the command line and the experiments use it.
"""

from ._catalog import available_datasets, load_dataset, register_dataset
from ._collages import fetch_collages
from ._colored_mnist import fetch_colored_mnist, make_colored_mnist
from ._decorrelated import make_decorrelated
from ._display import DatasetSamplesDisplay
from ._dominoes import fetch_dominoes, make_dominoes
from ._mnist_cifar import fetch_mnist_cifar
from ._synthetic import make_lms, make_lsn, make_slabs

__all__ = [
    "DatasetSamplesDisplay",
    "available_datasets",
    "fetch_collages",
    "fetch_colored_mnist",
    "fetch_dominoes",
    "fetch_mnist_cifar",
    "load_dataset",
    "make_colored_mnist",
    "make_decorrelated",
    "make_dominoes",
    "make_lms",
    "make_lsn",
    "make_slabs",
    "register_dataset",
]
