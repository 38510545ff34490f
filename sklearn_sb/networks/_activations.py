"""Hidden-layer activations by name, shared by the networks that take ``activation``."""

from torch import nn

ACTIVATIONS = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
}


def hidden_block(activation, dropout):
    """The layers after each hidden layer: the activation, then dropout if any.

    No dropout layer is added at ``dropout=0``, so the layers, and the names
    of the weights in the state dict, are those of a network without the
    option.
    """
    layers = [ACTIVATIONS[activation]()]
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    return layers
