"""Figure 3c: the decision boundary on S and on one S^c coordinate."""

import numpy as np
from sklearn.utils import check_random_state

from ._logits import binary_margin
from ..utils._blocks import simple_and_complex
from ._scores import _validated_inputs, coordinatewise_randomized_scores


class ProjectedBoundaryDisplay:
    """The decision function on a plane spanned by S and one S^c coordinate.

    A slice of the input space through one sample: the two chosen
    unrotated coordinates vary over the data's range, the others keep that
    sample's values. A model with extreme simplicity bias has a boundary
    perpendicular to the S axis, although the data is separable along the
    S^c coordinate too. Create it with :meth:`from_estimator`.

    Parameters
    ----------
    s_values, c_values : ndarray of shape (grid_resolution,)
        The grid along S and along the S^c coordinate.
    decision : ndarray of shape (grid_resolution, grid_resolution)
        The margin on the grid, ``logit[1] - logit[0]`` for a network (rows
        follow ``c_values``): the prediction flips where it crosses 0, the
        black line.
    points : ndarray of shape (n_points, 2)
        The data projected on the two coordinates.
    y : ndarray of shape (n_points,)
    simple_feature, complex_feature : int
        The two unrotated coordinates.

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.inspection import ProjectedBoundaryDisplay
    >>> data = make_lms(1000, 5, random_state=0, return_X_y=False)
    >>> model = LogisticRegression().fit(data.X, data.y)
    >>> display = ProjectedBoundaryDisplay.from_estimator(
    ...     model, data.X, data.y, simple_features=data, random_state=0)
    >>> display.decision.shape
    (100, 100)
    """

    def __init__(self, s_values, c_values, decision, points, y, *, simple_feature,
                 complex_feature):
        self.s_values = s_values
        self.c_values = c_values
        self.decision = decision
        self.points = points
        self.y = y
        self.simple_feature = simple_feature
        self.complex_feature = complex_feature

    @classmethod
    def from_estimator(
        cls, estimator, X, y, *, simple_features, rotation=None, complex_feature=None,
        grid_resolution=100, max_points=1000, random_state=None, ax=None,
    ):
        """Evaluate ``estimator`` on the plane and plot it.

        Parameters
        ----------
        estimator : fitted binary classifier
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        simple_features : array-like of int or bool, or dataset Bunch
            S; its first coordinate spans the horizontal axis.
        rotation : ndarray of shape (n_features, n_features), default=None
        complex_feature : int, default=None
            The S^c coordinate of the vertical axis; None picks the most
            influential one (largest accuracy drop when randomized alone).
        grid_resolution : int, default=100
        max_points : int, default=1000
            Data points drawn (a random subset) and used to pick
            ``complex_feature``.
        random_state : int, RandomState instance or None, default=None
            Picks the sample the slice goes through and the subset.
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : ProjectedBoundaryDisplay
        """
        X, y = _validated_inputs(estimator, X, y, [])
        if len(np.unique(y)) != 2:
            raise ValueError(
                "ProjectedBoundaryDisplay draws the boundary of a binary classifier; "
                f"y has {len(np.unique(y))} classes."
            )
        simple, others, rotation = simple_and_complex(simple_features, rotation, X.shape[1])
        rng = check_random_state(random_state)
        subset = rng.choice(len(X), size=min(max_points, len(X)), replace=False)
        X_sub, y_sub = X[subset], y[subset]
        if complex_feature is None:
            drops = coordinatewise_randomized_scores(
                estimator, X_sub, y_sub, rotation=rotation, n_repeats=1, random_state=rng
            ).importances_mean
            complex_feature = int(others[np.argmax(drops[others])])
        elif complex_feature not in others:
            raise ValueError(
                f"complex_feature={complex_feature} is not an S^c coordinate; "
                f"choose one of {others.tolist()}."
            )
        s = int(simple[0])
        Z = X_sub @ rotation.T if rotation is not None else X_sub
        s_values = np.linspace(Z[:, s].min(), Z[:, s].max(), grid_resolution)
        c_values = np.linspace(Z[:, complex_feature].min(), Z[:, complex_feature].max(),
                               grid_resolution)
        grid = np.repeat(Z[rng.randint(len(Z))][None, :], grid_resolution**2, axis=0)
        S, C = np.meshgrid(s_values, c_values)
        grid[:, s], grid[:, complex_feature] = S.ravel(), C.ravel()
        grid_X = grid @ rotation if rotation is not None else grid
        decision = np.asarray(binary_margin(estimator, grid_X), dtype=np.float64).reshape(S.shape)
        display = cls(s_values, c_values, decision, Z[:, [s, complex_feature]], y_sub,
                      simple_feature=s, complex_feature=complex_feature)
        return display.plot(ax=ax)

    def plot(self, ax=None):
        """Draw the decision regions, the boundary and the data.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : ProjectedBoundaryDisplay
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(4.8, 4.2))
        limit = np.abs(self.decision).max() or 1.0
        ax.contourf(self.s_values, self.c_values, self.decision, levels=20,
                    cmap="RdBu_r", vmin=-limit, vmax=limit, alpha=0.5)
        if self.decision.min() < 0 < self.decision.max():
            ax.contour(self.s_values, self.c_values, self.decision, levels=[0.0],
                       colors="k", linewidths=1.5)
        for label, color in zip(np.unique(self.y), ("tab:blue", "tab:red")):
            points = self.points[self.y == label]
            ax.scatter(points[:, 0], points[:, 1], s=6, c=color, label=f"y = {label}")
        ax.set_xlabel(f"S: unrotated coordinate {self.simple_feature}")
        ax.set_ylabel(f"S^c: unrotated coordinate {self.complex_feature}")
        ax.legend(loc="upper right", fontsize="small")
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
