"""The side data mitigation methods take in ``fit``, and its vocabulary.

Side data goes to ``fit`` as keywords (``X_ood``, ``X_val``, ``y_val``,
``groups``), never to the constructor. A fitted method records in
``side_information_`` what it used, in the words of MITIGATION.md section 0:
"""

import numpy as np
import torch
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array, check_consistent_length

#: What a method may use besides the labelled training rows.
SIDE_INFORMATION = {
    "none": "labels only",
    "unlabeled_ood": "unlabeled inputs where the features are decorrelated",
    "oracle_simple_block": "such inputs made by permuting the simple block S, which "
                           "uses knowledge of which block is simple",
    "labeled_ood_selection": "a labeled decorrelated set used only to choose a member, "
                             "head or epoch",
    "labeled_decorrelated_fit": "a labeled decorrelated set used for fitting",
}


def check_unlabeled(X_ood, X, name="X_ood"):
    """``X_ood`` as a float32 array of X's sample shape, with at least one row."""
    if len(X_ood) == 0:
        raise ValueError(f"{name} is empty: give at least one row of side data.")
    X_ood = check_array(X_ood, dtype=np.float32, allow_nd=True, input_name=name)
    if X_ood.shape[1:] != X.shape[1:]:
        raise ValueError(
            f"{name} has samples of shape {X_ood.shape[1:]}, but X has samples of "
            f"shape {X.shape[1:]}: side data must be inputs like the training rows."
        )
    return X_ood


def check_labeled(X_val, y_val, X, name="X_val"):
    """``(X_val, y_val)``, both given or both None, X_val shaped like X."""
    if (X_val is None) != (y_val is None):
        raise ValueError(f"Give both {name} and y_{name.split('_')[1]}, or neither.")
    if X_val is None:
        return None, None
    X_val = check_unlabeled(X_val, X, name)
    y_val = np.asarray(y_val)
    check_consistent_length(X_val, y_val)
    return X_val, y_val


def check_two_classes(y, owner):
    """The classes of ``y``, which must be class labels of at least two classes."""
    check_classification_targets(y)
    classes = np.unique(y)
    if len(classes) < 2:
        raise ValueError(
            f"{owner} needs at least two classes in y; got one class only: {classes!r}."
        )
    return classes


class OODBatches:
    """Batches of an unlabeled set drawn alongside training batches.

    Every call returns the next ``size`` rows of ``X_ood`` (and the same
    rows of every array in ``aligned``), as tensors on ``device``: the rows
    are visited in an order reshuffled every pass, with torch's generator
    (seeded by the network's fit), and a batch larger than what is left
    continues into the next pass.
    """

    def __init__(self, X_ood, device, aligned=()):
        self._X = torch.as_tensor(X_ood, device=device)
        self._aligned = [torch.as_tensor(a, device=device) for a in aligned]
        self._order, self._cursor = None, 0

    def __len__(self):
        return len(self._X)

    def next(self, size):
        n = len(self._X)
        taken = []
        while size > 0:
            if self._order is None or self._cursor == n:
                self._order, self._cursor = torch.randperm(n).to(self._X.device), 0
            rows = self._order[self._cursor:self._cursor + size]
            self._cursor += len(rows)
            size -= len(rows)
            taken.append(rows)
        rows = taken[0] if len(taken) == 1 else torch.cat(taken)
        return self._X[rows], [a[rows] for a in self._aligned]
