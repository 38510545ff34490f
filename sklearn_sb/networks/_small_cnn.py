"""A small image CNN that trains in seconds on a CPU."""

from torch import nn

from ._image_input import ImageInput
from ._registry import register_network


@register_network("small_cnn")
class SmallCNN(ImageInput):
    """Three 3x3 convolutions (ReLU, two max-pools), global pooling, a linear head.

    Made for the 3 x 64 x 32 MNIST-CIFAR images, it accepts any image shape
    and flat rows (reshaped to ``input_shape``). Defaults: 16, 32 and 64
    filters, about 24k weights.

    Parameters
    ----------
    n_features : int, default=None
        Flattened input size; checked against ``input_shape`` when given.
    n_classes : int, default=2
        Number of output logits.
    input_shape : tuple of int, default=(3, 64, 32)
        Channels, height and width of one image.
    channels : tuple of int, default=(16, 32, 64)
        Filters of the three convolutions.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import SmallCNN
    >>> SmallCNN()(torch.zeros(2, 3, 64, 32)).shape
    torch.Size([2, 2])
    >>> SmallCNN()(torch.zeros(2, 3 * 64 * 32)).shape
    torch.Size([2, 2])
    """

    def __init__(self, n_features=None, n_classes=2, input_shape=(3, 64, 32),
                 channels=(16, 32, 64)):
        super().__init__(n_features, input_shape)
        c1, c2, c3 = channels
        self.backbone = nn.Sequential(
            nn.Conv2d(self.input_shape[0], c1, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c1, c2, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(c2, c3, 3, padding=1), nn.ReLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(),
            nn.Linear(c3, n_classes),
        )
