"""The side data mitigation methods take in ``fit``, and its vocabulary.

Side data goes to ``fit`` as keywords (``X_ood``, ``X_val``, ``y_val``,
``groups``, ``simple_features``), never to the constructor. A method
declares each keyword it takes as a :class:`SideDatum`: what kind of data it
is, whether it is required, and what side information its use amounts to.
A fitted method records in ``side_information_`` what it used, in the words
of :data:`SIDE_INFORMATION`.
"""

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.exceptions import DataConversionWarning
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_array

from ..utils._warnings import warn

#: What a method may use besides the labelled training rows.
SIDE_INFORMATION = {
    "none": "labels only",
    "unlabeled_ood": "unlabeled inputs where the features are decorrelated",
    "oracle_simple_block": "such inputs made by permuting the simple block S, which "
                           "uses knowledge of which block is simple",
    "labeled_ood_selection": "a labeled decorrelated set used only to choose a member, "
                             "head or epoch",
    "labeled_decorrelated_fit": "a labeled decorrelated set used for fitting",
    "group_labels": "the group of every training row (label x spurious attribute), used "
                    "for fitting",
    "validation_group_labels": "group labels of held-out training-distribution rows, used "
                               "only to choose a member, head or setting",
    "oracle_test_selection": "the decorrelated test rows, used to choose (an upper bound, "
                             "not a result)",
}

#: The kinds of side data, and how they are checked against the training rows.
SIDE_DATA_KINDS = {
    "inputs": "rows shaped like X's",
    "labels": "one label per row of an inputs datum, among y's classes",
    "groups": "one group per row of an inputs datum (or of X)",
    "blocks": "the simple block S: its column indices, or the dataset Bunch",
}


@dataclass(frozen=True)
class Depends:
    """A declared value that depends on one of the method's parameters.

    ``Depends("ood", {"given": True})`` is True when the method's ``ood`` is
    ``'given'``, ``default`` for any other value.

    Parameters
    ----------
    param : str
        The method's parameter.
    values : dict
        The declared value for each value of the parameter.
    default : object, default=None
        The declared value for any other value of the parameter.
    """

    param: str
    values: dict
    default: object = None

    def resolve(self, method):
        """The declared value for ``method``'s parameter.

        Parameters
        ----------
        method : estimator

        Returns
        -------
        value : object
        """
        return self.values.get(getattr(method, self.param), self.default)

    def setting(self, method):
        """The parameter as the method has it, as in ``"(ood='given')"``.

        Parameters
        ----------
        method : estimator

        Returns
        -------
        text : str
        """
        return f"({self.param}={getattr(method, self.param)!r})"


def resolve(value, method):
    """``value`` itself, or what it resolves to for ``method`` if it is a :class:`Depends`."""
    return value.resolve(method) if isinstance(value, Depends) else value


@dataclass(frozen=True)
class SideDatum:
    """One keyword a method's ``fit`` takes besides ``X`` and ``y``.

    Parameters
    ----------
    kind : {'inputs', 'labels', 'groups', 'blocks'}
        How the datum is checked (see :data:`SIDE_DATA_KINDS`).
    description : str
        What the method does with it, one sentence.
    information : str, Depends or None
        The key of :data:`SIDE_INFORMATION` its use amounts to; None when it
        adds nothing of its own (it only qualifies another datum).
    required : bool or Depends, default=False
        Whether ``fit`` needs it.
    accepted : bool or Depends, default=True
        Whether ``fit`` takes it at all under the method's parameters; a
        datum given where it is not accepted is an error, not ignored.
    rows_of : str, default=None
        For labels and groups: the inputs datum whose rows they describe;
        None means ``X``.
    """

    kind: str
    description: str
    information: object = None
    required: object = False
    accepted: object = True
    rows_of: str = None


#: The side data of a method whose only use of it is to select a member.
SELECTION_SET = {
    "X_val": SideDatum("inputs", "a labeled decorrelated set, used only to select a member.",
                       information="labeled_ood_selection"),
    "y_val": SideDatum("labels", "the labels of X_val.", information="labeled_ood_selection",
                       rows_of="X_val"),
}


def accepted_side_data(model):
    """The side data keywords ``model``'s fit takes under its current parameters.

    Those its ``accepted_side_data()`` names (every ensemble of the
    package); none for a model without that method, such as a network
    trained with a training method, or an estimator from elsewhere.
    """
    return model.accepted_side_data() if hasattr(model, "accepted_side_data") else []


def as_row_values(values, name):
    """``values`` (labels or groups) as a 1-D array; a column vector is raveled, with a warning.

    As scikit-learn treats ``y``: one value per row given as a column is
    what was meant, and ``DataConversionWarning`` says it was converted.
    """
    values = np.asarray(values)
    if values.ndim == 2 and values.shape[1] == 1:
        warn(f"A column-vector {name} was passed when a 1d array was expected. Please "
             "change its shape to (n_samples,), for example using ravel().",
             DataConversionWarning)
        values = values.ravel()
    return values


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
