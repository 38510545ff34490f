"""A model that learned nothing: its training accuracy is near the majority class's share."""

import numpy as np

#: Within this of the majority class's share, a training accuracy is near chance.
NEAR_CHANCE = 0.05


def majority_share(y):
    """The share of the most frequent label of ``y``: the accuracy of a constant guess."""
    return np.unique(y, return_counts=True)[1].max() / len(y)


def near_chance(accuracy, y):
    """Whether ``accuracy`` on labels ``y`` is within :data:`NEAR_CHANCE` of a constant guess."""
    return accuracy < majority_share(y) + NEAR_CHANCE
