"""The paper's datasets: synthetic LMS, MS and LSN data, and MNIST-CIFAR."""

from ._mnist_cifar import fetch_mnist_cifar
from ._synthetic import make_lms, make_lsn, make_slabs

__all__ = ["fetch_mnist_cifar", "make_lms", "make_lsn", "make_slabs"]
