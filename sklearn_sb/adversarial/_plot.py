"""Figure 4: a universal perturbation over unrotated coordinates, or as an image."""

import numpy as np
from sklearn.exceptions import NotFittedError

from ..utils._blocks import check_rotation, resolve_block, unpack_dataset


class PerturbationDisplay:
    """A perturbation as a bar chart over unrotated coordinates, or as an image.

    Create it with :meth:`from_estimator` from a fitted
    :class:`UniversalPerturbation` (or any vector with :meth:`plot`).

    Parameters
    ----------
    perturbation : ndarray
        In the unrotated basis for bars; shaped like an image for images.
    simple_features : ndarray of int, default=None
        Coordinates drawn in the S colour.
    image_shape : tuple of int, default=None
        ``(C, H, W)``: draw as an image.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_sb.adversarial import PerturbationDisplay
    >>> display = PerturbationDisplay(np.array([0.9, 0.1, -0.2]),
    ...                               simple_features=np.array([0])).plot()
    >>> len(display.ax_.patches)
    3
    """

    def __init__(self, perturbation, *, simple_features=None, image_shape=None):
        self.perturbation = np.asarray(perturbation)
        self.simple_features = simple_features
        self.image_shape = image_shape

    @classmethod
    def from_estimator(cls, uap, *, simple_features=None, rotation=None, image_shape=None,
                       ax=None):
        """Plot the ``perturbation_`` of a fitted :class:`UniversalPerturbation`.

        Parameters
        ----------
        uap : fitted UniversalPerturbation
        simple_features : array-like of int or bool, or dataset Bunch, default=None
            Highlighted block; a dataset Bunch also gives the rotation.
        rotation : ndarray of shape (n_features, n_features), default=None
            Bars show ``perturbation_ @ rotation.T``, the unrotated coordinates.
        image_shape : tuple of int, default=None
            ``(C, H, W)`` to draw the perturbation as an image instead (e.g.
            ``(3, 64, 32)`` for MNIST-CIFAR).
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : PerturbationDisplay
        """
        if not hasattr(uap, "perturbation_"):
            raise NotFittedError(
                f"This {type(uap).__name__} has no perturbation_ yet: call fit first."
            )
        delta = np.asarray(uap.perturbation_, dtype=np.float64)
        if image_shape is not None:
            return cls(delta.reshape(image_shape), image_shape=tuple(image_shape)).plot(ax=ax)
        simple_features, rotation = unpack_dataset(simple_features, rotation)
        delta = delta.ravel()
        rotation = check_rotation(rotation, delta.size)
        unrotated = delta @ rotation.T if rotation is not None else delta
        block = (resolve_block(simple_features, delta.size, name="simple_features")
                 if simple_features is not None else None)
        return cls(unrotated, simple_features=block).plot(ax=ax)

    def plot(self, ax=None):
        """Draw the bars or the image.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : PerturbationDisplay
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3) if self.image_shape is None else (3, 5))
        if self.image_shape is not None:
            image = np.moveaxis(self.perturbation, 0, -1)
            span = np.ptp(image) or 1.0
            ax.imshow(np.squeeze((image - image.min()) / span), cmap="gray" if
                      image.shape[-1] == 1 else None)
            ax.set_axis_off()
            ax.set_title("perturbation (rescaled to [0, 1])")
        else:
            colors = np.full(self.perturbation.size, "tab:gray", dtype=object)
            if self.simple_features is not None:
                colors[self.simple_features] = "tab:red"
            ax.bar(np.arange(self.perturbation.size), self.perturbation, color=colors)
            ax.set_xlabel("unrotated coordinate")
            ax.set_ylabel("perturbation")
            if self.simple_features is not None:
                ax.set_title("S in red, S^c in grey")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
