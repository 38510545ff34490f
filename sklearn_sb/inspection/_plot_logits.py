"""Figure 3a: histograms of the logits on standard and randomized data."""

import numpy as np

from ._logits import randomized_logits
from ._scores import CONDITIONS


class LogitHistogramDisplay:
    """Histograms of the positive-class logits, per class and per condition.

    One panel per condition (standard, S-randomized, S^c-randomized), the
    two classes overlaid. Extreme simplicity bias reads: the S-randomized
    classes overlap, the S^c-randomized panel looks like the standard one.
    Create it with :meth:`from_estimator`.

    Parameters
    ----------
    logits : dict
        From condition to logits of shape (n_samples,), as returned by
        :func:`randomized_logits`.
    y : ndarray of shape (n_samples,)
    summary : pandas.DataFrame, default=None
        :func:`randomized_logits`'s statistics, shown in the titles.

    Attributes
    ----------
    axes_ : ndarray of matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.inspection import LogitHistogramDisplay
    >>> data = make_lms(1000, 10, random_state=0, return_X_y=False)
    >>> model = LogisticRegression().fit(data.X, data.y)
    >>> display = LogitHistogramDisplay.from_estimator(
    ...     model, data.X, data.y, simple_features=data, random_state=0)
    >>> len(display.axes_)
    3
    """

    def __init__(self, logits, y, *, summary=None):
        self.logits = logits
        self.y = np.asarray(y)
        self.summary = summary

    @classmethod
    def from_estimator(
        cls, estimator, X, y, *, simple_features, rotation=None, random_state=None,
        ax=None, bins=40,
    ):
        """Compute the logits of ``estimator`` and plot them.

        Parameters
        ----------
        estimator : fitted binary classifier
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        simple_features : array-like of int or bool, or dataset Bunch
        rotation : ndarray of shape (n_features, n_features), default=None
        random_state : int, RandomState instance or None, default=None
        ax : array of 3 matplotlib Axes, default=None
            New axes in a new figure when None.
        bins : int, default=40

        Returns
        -------
        display : LogitHistogramDisplay
        """
        result = randomized_logits(
            estimator, X, y, simple_features=simple_features, rotation=rotation,
            random_state=random_state,
        )
        return cls(result.logits, result.y, summary=result.summary).plot(ax=ax, bins=bins)

    def plot(self, ax=None, *, bins=40):
        """Draw the histograms.

        Parameters
        ----------
        ax : array of 3 matplotlib Axes, default=None
        bins : int, default=40

        Returns
        -------
        display : LogitHistogramDisplay
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(1, 3, figsize=(12, 3.4), sharex=True, sharey=True)
        axes = np.asarray(ax).ravel()
        if len(axes) != len(CONDITIONS):
            raise ValueError(f"ax must hold {len(CONDITIONS)} Axes; got {len(axes)}.")
        values = np.concatenate([self.logits[c] for c in CONDITIONS])
        edges = np.histogram_bin_edges(values, bins=bins)
        classes = np.unique(self.y)
        for axis, condition in zip(axes, CONDITIONS):
            for label in classes:
                axis.hist(self.logits[condition][self.y == label], bins=edges, alpha=0.55,
                          label=f"y = {label}")
            title = condition
            if self.summary is not None:
                title += f"\nclass KS = {self.summary.loc[condition, 'class_ks']:.2f}"
            axis.set_title(title)
            axis.set_xlabel("positive-class logit")
        axes[0].set_ylabel("samples")
        axes[0].legend()
        self.axes_ = axes
        self.figure_ = axes[0].figure
        return self
