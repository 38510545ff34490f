"""Figure 3b: randomized scores against a swept setting."""

import numpy as np

from ._scores import CONDITIONS


class RandomizedScoreCurveDisplay:
    """Standard, S- and S^c-randomized scores against a swept quantity.

    The paper's Figure 3b plots the randomized AUC against the number of
    complex features. Build it from a results table with
    :meth:`from_results`.

    Parameters
    ----------
    x : ndarray of shape (n_points,)
    means : dict
        From condition to scores of shape (n_points,).
    stds : dict
        From condition to standard deviations of shape (n_points,).
    x_label : str
    metric : str

    Attributes
    ----------
    ax_ : matplotlib Axes
    figure_ : matplotlib Figure

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn_sb import make_lms
    >>> from sklearn_sb.inspection import RandomizedScoreCurveDisplay, randomized_scores
    >>> tables = []
    >>> for d in (5, 10):
    ...     data = make_lms(500, d, random_state=0, return_X_y=False)
    ...     model = LogisticRegression().fit(data.X, data.y)
    ...     table = randomized_scores(model, data.X, data.y, simple_features=data)
    ...     tables.append(table.assign(n_complex_features=d - 1))
    >>> display = RandomizedScoreCurveDisplay.from_results(
    ...     pd.concat(tables), x="n_complex_features")
    >>> display.ax_.get_xlabel()
    'n_complex_features'
    """

    def __init__(self, x, means, stds, *, x_label, metric):
        self.x = np.asarray(x)
        self.means = means
        self.stds = stds
        self.x_label = x_label
        self.metric = metric

    @classmethod
    def from_results(cls, results, *, x, metric="roc_auc", ax=None):
        """Plot a table of :func:`randomized_scores` results.

        Parameters
        ----------
        results : pandas.DataFrame
            :func:`randomized_scores` tables concatenated, each with a
            column ``x`` added: the conditions in the index (or a ``data``
            column), ``{metric}_mean`` and ``{metric}_std`` columns.
        x : str
            The swept column.
        metric : str, default='roc_auc'
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RandomizedScoreCurveDisplay
        """
        table = results.reset_index() if "data" not in results.columns else results
        missing = {x, "data", f"{metric}_mean"} - set(table.columns)
        if missing:
            raise ValueError(f"results lacks the columns {sorted(missing)}.")
        means, stds = {}, {}
        xs = np.sort(table[x].unique())
        for condition in CONDITIONS:
            rows = table[table["data"] == condition].set_index(x).reindex(xs)
            means[condition] = rows[f"{metric}_mean"].to_numpy()
            stds[condition] = (
                rows[f"{metric}_std"].to_numpy()
                if f"{metric}_std" in rows
                else np.zeros(len(xs))
            )
        return cls(xs, means, stds, x_label=x, metric=metric).plot(ax=ax)

    def plot(self, ax=None):
        """Draw one line per condition, with error bars.

        Parameters
        ----------
        ax : matplotlib Axes, default=None

        Returns
        -------
        display : RandomizedScoreCurveDisplay
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots(figsize=(5, 3.6))
        for condition, marker in zip(CONDITIONS, "os^"):
            ax.errorbar(self.x, self.means[condition], yerr=self.stds[condition],
                        marker=marker, capsize=3, label=condition)
        ax.set_xlabel(self.x_label)
        ax.set_ylabel(self.metric)
        ax.legend()
        self.ax_ = ax
        self.figure_ = ax.figure
        return self
