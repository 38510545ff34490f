"""Group labels of rows as codes: one validation for the metrics and the methods."""

import numpy as np
import pandas as pd


def group_codes(groups):
    """Each row's group as a code into the sorted group labels, and the labels."""
    try:
        groups = pd.Series(groups)
    except ValueError as error:
        raise ValueError(
            "groups must be 1-d, one hashable label per row; to combine several "
            "attributes, give one label each, such as 2 * y + s or a tuple (y, s)."
        ) from error
    if len(groups) == 0:
        raise ValueError("groups is empty: there are no rows to score.")
    missing = groups.isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"groups has no label (NaN or None) for {missing.sum()} of {len(groups)} "
            f"rows, the first at position {np.flatnonzero(missing)[0]}: give those rows "
            "a group of their own (say 'unknown') or drop them."
        )
    return pd.factorize(groups, sort=True)
