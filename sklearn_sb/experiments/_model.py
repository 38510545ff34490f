"""The network a recipe describes, with its training method."""

import inspect
import math

# Learning-rate rules a recipe may name instead of a number.
LR_RULES = {"1/sqrt(log d)": lambda n_features: 1 / math.sqrt(math.log(n_features))}


def make_model(run, data=None, **overrides):
    """The recipe's network, trained with the recipe's method if it names one.

    ``data`` is the catalog dataset the network is for (the run's own by
    default): the learning-rate rules read its training rows, and an image
    network that is not told its ``input_shape`` reads the dataset's
    ``image_shape``. ``overrides`` replace the recipe's network parameters.
    """
    from .._classifier import SBNetClassifier
    from ..mitigation import make_method

    data = run.data if data is None else data
    params = {**run.model_params, **overrides}
    if params.get("lr") in LR_RULES:
        params["lr"] = LR_RULES[params["lr"]](data.X_train.shape[1])
    if "image_shape" in data and "module__input_shape" not in params \
            and _takes_input_shape(params.get("module")):
        params["module__input_shape"] = tuple(data.image_shape)
    net = SBNetClassifier(**params)
    if run.recipe.method is None:
        return net
    method = make_method(run.recipe.method, **run.options.method)
    if "random_state" in method.get_params(deep=False):
        method.set_params(random_state=run.seed)
    return method.apply_to(net)


def _takes_input_shape(module):
    from ..networks import get_network

    if isinstance(module, str):
        module = get_network(module)
    return module is not None and "input_shape" in inspect.signature(module).parameters
