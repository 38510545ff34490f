"""The input side of the image networks: flat rows or images, shapes checked."""

import math

from torch import nn


class ImageInput(nn.Module):
    """Shape checks, and flat rows reshaped to images before ``self.backbone``."""

    def __init__(self, n_features, input_shape):
        super().__init__()
        input_shape = tuple(input_shape)
        name = type(self).__name__
        if len(input_shape) != 3:
            raise ValueError(
                f"{name} reads images of shape (channels, height, width); got "
                f"input_shape={input_shape}."
            )
        if n_features is not None and n_features != math.prod(input_shape):
            raise ValueError(
                f"{name} reads images of shape {input_shape} "
                f"({math.prod(input_shape)} values) but the data has "
                f"{n_features} features; set module__input_shape to the shape "
                "of one image."
            )
        self.input_shape = input_shape

    def forward(self, x):
        return self.backbone(x.reshape(len(x), *self.input_shape))
