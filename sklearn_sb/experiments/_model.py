"""The network a recipe describes, with its training method."""

import math

# Learning-rate rules a recipe may name instead of a number.
LR_RULES = {"1/sqrt(log d)": lambda n_features: 1 / math.sqrt(math.log(n_features))}


def make_model(run, X=None, **overrides):
    """The recipe's network, trained with the recipe's method if it names one.

    ``X`` is the training data the learning-rate rules read (the run's own
    by default); ``overrides`` replace the recipe's network parameters.
    """
    from .._classifier import SBNetClassifier
    from ..mitigation import make_method

    params = {**run.model_params, **overrides}
    if params.get("lr") in LR_RULES:
        X = run.X_train if X is None else X
        params["lr"] = LR_RULES[params["lr"]](X.shape[1])
    net = SBNetClassifier(**params)
    if run.recipe.method is None:
        return net
    method = make_method(run.recipe.method, **run.options.get("method", {}))
    if "random_state" in method.get_params(deep=False):
        method.set_params(random_state=run.seed)
    return method.apply_to(net)
