"""A picture of an image dataset: sample images of every class and group."""

from numbers import Integral

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params


def _as_rgb(image):
    """An image as matplotlib shows it: (H, W) gray, or (H, W, 3) in [0, 1]."""
    image = np.asarray(image)
    image = image / 255 if np.issubdtype(image.dtype, np.integer) else image.astype(np.float64)
    if image.ndim == 2:
        return np.clip(image, 0, 1)
    channels = image.shape[0]
    if channels == 1:
        return np.clip(image[0], 0, 1)
    if channels == 2:  # Colored MNIST: red and green.
        image = np.concatenate([image, np.zeros_like(image[:1])])
    return np.clip(np.moveaxis(image[:3], 0, -1), 0, 1)


class DatasetSamplesDisplay:
    """Sample images of an image dataset, one row per class and group.

    Each row shows ``n_per_group`` images drawn at random among the rows of
    one class and one group (a label x spurious-attribute pair on the
    testbed's datasets: the majority groups, where the simple block agrees
    with the label, and the minority ones), titled with the class, the
    group and how many rows it holds. Without groups, one row per class.
    Create it with :meth:`from_dataset`.

    Parameters
    ----------
    images : ndarray of shape (n_samples, C, H, W) or (n_samples, H, W)
        The images: uint8, or floats in [0, 1]. One channel is shown in
        gray, two as red and green (Colored MNIST), three as RGB.
    target : ndarray of shape (n_samples,)
    groups : ndarray of shape (n_samples,), default=None
    target_names : sequence of str, default=None
        The name of each class, in the order of ``np.unique(target)``.
    n_per_group : int, default=6
    random_state : int, RandomState instance or None, default=None
        Draws the images shown.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes of shape (n_rows, n_per_group)
    figure_ : matplotlib Figure
    rows_ : list of dict
        For every row of the grid: its ``'class'``, ``'group'`` (None
        without groups), ``'count'`` (rows of the dataset in it) and
        ``'indices'`` (the rows shown).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_sb.datasets import DatasetSamplesDisplay, make_dominoes
    >>> rng = np.random.default_rng(0)
    >>> digits = rng.integers(0, 256, (40, 8, 8), dtype=np.uint8), np.arange(40) % 2
    >>> photos = rng.integers(0, 256, (40, 3, 8, 8), dtype=np.uint8), np.arange(40) % 2
    >>> data = make_dominoes(digits, photos, top_classes=(0, 1), bottom_classes=(0, 1),
    ...                      correlation=0.8, random_state=0)
    >>> display = DatasetSamplesDisplay.from_dataset(data, n_per_group=3, random_state=0)
    >>> [(row["class"], row["group"], row["count"]) for row in display.rows_]
    [(0, 0, 16), (0, 1, 4), (1, 2, 4), (1, 3, 16)]
    """

    def __init__(self, images, target, groups=None, *, target_names=None, n_per_group=6,
                 random_state=None):
        self.images = images
        self.target = target
        self.groups = groups
        self.target_names = target_names
        self.n_per_group = n_per_group
        self.random_state = random_state

    @classmethod
    @validate_params(
        {"data": [dict], "n_per_group": [Interval(Integral, 1, None, closed="left")],
         "groups": ["array-like", str, None], "random_state": ["random_state"],
         "ax": "no_validation"},
        prefer_skip_nested_validation=True,
    )
    def from_dataset(cls, data, *, n_per_group=6, groups=None, random_state=None, ax=None):
        """Plot samples of a dataset Bunch of images.

        Parameters
        ----------
        data : Bunch
            A dataset with ``images`` and ``target``, as
            :func:`fetch_dominoes`, :func:`make_dominoes`,
            :func:`fetch_colored_mnist` and :func:`fetch_collages` return.
        n_per_group : int, default=6
            Images shown for every class and group.
        groups : array-like of shape (n_samples,) or str, default=None
            The groups of the rows, or the name of a field of ``data``
            holding them (``'color'`` for Colored MNIST, whose ``groups``
            are its environments). None uses ``data.groups`` when it has
            them.
        random_state : int, RandomState instance or None, default=None
            Draws the images shown.
        ax : ndarray of matplotlib Axes of shape (n_rows, n_per_group), default=None
            New axes in a new figure when None.

        Returns
        -------
        display : DatasetSamplesDisplay
        """
        missing = [key for key in ("images", "target") if key not in data]
        if missing:
            raise ValueError(
                f"DatasetSamplesDisplay.from_dataset needs a dataset of images, with "
                f"'images' and 'target'; this one has no {' or '.join(map(repr, missing))} "
                f"(its fields: {', '.join(data)}). Pass the Bunch a fetch_* or "
                "make_dominoes function returns, with return_X_y=False.")
        if isinstance(groups, str):
            if groups not in data:
                raise ValueError(f"groups={groups!r} names no field of the dataset; its "
                                 f"fields are {', '.join(data)}.")
            groups = data[groups]
        elif groups is None:
            groups = data.get("groups")
        return cls(data["images"], data["target"], groups,
                   target_names=data.get("target_names"), n_per_group=n_per_group,
                   random_state=random_state).plot(ax=ax)

    def plot(self, ax=None):
        """Draw the grid.

        Parameters
        ----------
        ax : ndarray of matplotlib Axes of shape (n_rows, n_per_group), default=None
            New axes in a new figure when None.

        Returns
        -------
        display : DatasetSamplesDisplay
        """
        import matplotlib.pyplot as plt

        target = np.asarray(self.target)
        groups = None if self.groups is None else np.asarray(self.groups)
        if len(self.images) != len(target) or (groups is not None and len(groups) != len(target)):
            raise ValueError(
                f"images, target and groups need one entry per row; got {len(self.images)}, "
                f"{len(target)} and {'no groups' if groups is None else len(groups)}.")
        rng = check_random_state(self.random_state)
        classes = np.unique(target)
        self.rows_ = []
        for label in classes:
            of_class = target == label
            for group in ([None] if groups is None else np.unique(groups[of_class])):
                rows = np.flatnonzero(of_class if group is None else of_class & (groups == group))
                shown = rng.choice(rows, min(self.n_per_group, len(rows)), replace=False)
                self.rows_.append({"class": label.item(), "group": None if group is None
                                   else group.item(), "count": len(rows),
                                   "indices": np.sort(shown)})
        if ax is None:
            shape = np.shape(self.images)[-2:]
            height = 1.4 * shape[0] / shape[1]
            _, ax = plt.subplots(len(self.rows_), self.n_per_group, squeeze=False,
                                 figsize=(1.4 * self.n_per_group + 1.6,
                                          height * len(self.rows_) + 0.4))
        ax = np.asarray(ax).reshape(len(self.rows_), self.n_per_group)
        for row, axes in zip(self.rows_, ax):
            for column, axis in enumerate(axes):
                axis.set_xticks([])
                axis.set_yticks([])
                if column < len(row["indices"]):
                    image = _as_rgb(self.images[row["indices"][column]])
                    axis.imshow(image, cmap="gray" if image.ndim == 2 else None,
                                vmin=0, vmax=1, interpolation="nearest")
                else:
                    axis.set_axis_off()
            axes[0].set_ylabel(self._row_title(row), rotation=0, ha="right", va="center",
                               fontsize="small")
        self.axes_ = ax
        self.figure_ = ax.flat[0].figure
        return self

    def _row_title(self, row):
        classes = list(np.unique(np.asarray(self.target)))
        name = f"y = {row['class']}"
        if self.target_names is not None:
            name += f": {self.target_names[classes.index(row['class'])]}"
        group = "" if row["group"] is None else f"\ngroup {row['group']}"
        return f"{name}{group}\n({row['count']:,} rows)"
