"""The experiments' summary figure: a grouped bar chart of means with error bars."""


def bar_figure(means, errors=None, *, ylabel, ylim, title=None, xlabel=None, reference=None,
               rotation=0, width=0.5, legend_loc="lower left", figsize=(6, 3.2), ax=None):
    """Draw one group of bars per row of ``means``, one bar per column.

    Parameters
    ----------
    means : DataFrame
        Bar heights. Its index labels the groups along the x axis, its
        columns name the bars of every group in the legend.
    errors : DataFrame of the same shape as ``means``, default=None
        Half-lengths of the error bars, such as standard deviations; None
        draws none.
    ylabel : str
    ylim : tuple of (float, float)
    title : str, default=None
    xlabel : str, default=None
        None labels the x axis with the name of ``means``' index; ``''``
        leaves it blank.
    reference : float, default=None
        Height of a dashed horizontal line, such as chance level; None
        draws none.
    rotation : float, default=0
        Angle of the group labels in degrees; a rotated label ends at its
        tick.
    width : float, default=0.5
        Share of each group's slot that its bars fill.
    legend_loc : str or None, default='lower left'
        A matplotlib legend location; None draws no legend (for a legend
        shared by several axes).
    figsize : tuple of (float, float), default=(6, 3.2)
        Size of a new figure, in inches; unused with ``ax``.
    ax : matplotlib Axes, default=None
        Draw on this axes of an existing figure, which is then left for its
        owner to lay out; None draws on a new figure, laid out tightly.

    Returns
    -------
    figure : matplotlib.figure.Figure
        The figure drawn on.

    Examples
    --------
    >>> import pandas as pd
    >>> from sklearn_sb.experiments._figures import bar_figure
    >>> means = pd.DataFrame({"test": [0.9, 0.8], "S-randomized": [0.5, 0.7]},
    ...                      index=pd.Index(["ERM", "D-BAT"], name="model"))
    >>> figure = bar_figure(means, ylabel="accuracy", ylim=(0, 1), reference=0.5)
    >>> len(figure.axes[0].patches)
    4
    """
    import matplotlib.pyplot as plt

    new_figure = ax is None
    if new_figure:
        figure, ax = plt.subplots(figsize=figsize)
    means.plot.bar(ax=ax, yerr=errors, rot=rotation, ylim=ylim, width=width, capsize=2,
                   legend=legend_loc is not None)
    if rotation:
        plt.setp(ax.get_xticklabels(), ha="right")
    if reference is not None:
        ax.axhline(reference, color="grey", lw=0.8, ls="--")
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)
    if legend_loc is not None:
        ax.legend(loc=legend_loc, fontsize="small")
    if new_figure:
        ax.figure.tight_layout()
    return ax.figure
