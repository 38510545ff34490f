"""CIFAR-style image networks built on torchvision's model definitions.

torchvision's ImageNet models shrink a 224-pixel image by 4 before their
first stage; for 32-pixel-wide images the stems are adapted (first
convolution 3x3, stride 1). All end with adaptive average pooling, so they
take the 3 x 64 x 32 MNIST-CIFAR images, or any other size. torchvision is
imported when a network is built, not when this module is.
"""

from torch import nn

from ._image_input import ImageInput
from ._registry import register_network


def _stem(conv, in_channels, init):
    """A 3x3 stride-1 convolution to replace ``conv``, initialized by ``init``."""
    stem = nn.Conv2d(
        in_channels, conv.out_channels, kernel_size=3, stride=1, padding=1,
        bias=conv.bias is not None,
    )
    init(stem.weight)
    return stem


def _kaiming_fan_out(weight):
    nn.init.kaiming_normal_(weight, mode="fan_out", nonlinearity="relu")


class _ResNet(ImageInput):
    def __init__(self, depth, n_features, n_classes, input_shape):
        super().__init__(n_features, input_shape)
        from torchvision import models

        self.backbone = getattr(models, f"resnet{depth}")(num_classes=n_classes)
        self.backbone.conv1 = _stem(self.backbone.conv1, self.input_shape[0], _kaiming_fan_out)


@register_network("resnet18")
class ResNet18(_ResNet):
    """CIFAR-style ResNet-18 on torchvision's definition (about 11.2M weights).

    The first convolution is 3x3 with stride 1; the max-pool after it is
    kept, as in the paper's reference ResNet, so the residual stages start
    on 32 x 16 maps of a 3 x 64 x 32 image. Randomly initialized as
    torchvision does; no pretrained weights.

    Parameters
    ----------
    n_features : int, default=None
        Flattened input size; checked against ``input_shape`` when given.
    n_classes : int, default=2
        Number of output logits.
    input_shape : tuple of int, default=(3, 64, 32)
        Channels, height and width of one image; flat rows are reshaped to it.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import ResNet18
    >>> ResNet18()(torch.zeros(2, 3 * 64 * 32)).shape
    torch.Size([2, 2])
    """

    def __init__(self, n_features=None, n_classes=2, input_shape=(3, 64, 32)):
        super().__init__(18, n_features, n_classes, input_shape)


@register_network("resnet50")
class ResNet50(_ResNet):
    """CIFAR-style ResNet-50 on torchvision's definition (about 23.5M weights).

    The network of the paper's MNIST-CIFAR experiments. The first
    convolution is 3x3 with stride 1; the max-pool after it is kept, as in
    the paper's reference ResNet. Randomly initialized as torchvision does;
    no pretrained weights.

    Parameters
    ----------
    n_features : int, default=None
        Flattened input size; checked against ``input_shape`` when given.
    n_classes : int, default=2
        Number of output logits.
    input_shape : tuple of int, default=(3, 64, 32)
        Channels, height and width of one image; flat rows are reshaped to it.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import ResNet50
    >>> ResNet50(n_classes=3)(torch.zeros(2, 3, 64, 32)).shape
    torch.Size([2, 3])
    """

    def __init__(self, n_features=None, n_classes=2, input_shape=(3, 64, 32)):
        super().__init__(50, n_features, n_classes, input_shape)


@register_network("mobilenet_v2")
class MobileNetV2(ImageInput):
    """CIFAR-style MobileNetV2 on torchvision's definition (about 2.2M weights).

    The first convolution has stride 1 instead of 2; the inverted residual
    blocks keep torchvision's strides, so a 3 x 64 x 32 image ends on 4 x 2
    maps. Randomly initialized as torchvision does; no pretrained weights.

    Parameters
    ----------
    n_features : int, default=None
        Flattened input size; checked against ``input_shape`` when given.
    n_classes : int, default=2
        Number of output logits.
    input_shape : tuple of int, default=(3, 64, 32)
        Channels, height and width of one image; flat rows are reshaped to it.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import MobileNetV2
    >>> MobileNetV2()(torch.zeros(2, 3, 64, 32)).shape
    torch.Size([2, 2])
    """

    def __init__(self, n_features=None, n_classes=2, input_shape=(3, 64, 32)):
        super().__init__(n_features, input_shape)
        from torchvision import models

        self.backbone = models.mobilenet_v2(num_classes=n_classes)
        first = self.backbone.features[0]
        first[0] = _stem(
            first[0], self.input_shape[0],
            lambda weight: nn.init.kaiming_normal_(weight, mode="fan_out"),
        )


@register_network("googlenet")
class GoogLeNet(ImageInput):
    """CIFAR-style GoogLeNet on torchvision's definition (about 5.6M weights).

    torchvision's GoogLeNet without auxiliary classifiers and without input
    transform. Its stem downsamples by 8 (a 7x7 stride-2 convolution and two
    stride-2 max-pools); here the first convolution is 3x3 with stride 1 and
    both stem max-pools are removed, so the inception blocks see the image
    at full size, then at 1/2 and 1/4 as in the CIFAR GoogLeNet. Randomly
    initialized as torchvision does; no pretrained weights.

    Parameters
    ----------
    n_features : int, default=None
        Flattened input size; checked against ``input_shape`` when given.
    n_classes : int, default=2
        Number of output logits.
    input_shape : tuple of int, default=(3, 64, 32)
        Channels, height and width of one image; flat rows are reshaped to it.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import GoogLeNet
    >>> GoogLeNet()(torch.zeros(2, 3, 64, 32)).shape
    torch.Size([2, 2])
    """

    def __init__(self, n_features=None, n_classes=2, input_shape=(3, 64, 32)):
        super().__init__(n_features, input_shape)
        from torchvision import models

        self.backbone = models.GoogLeNet(
            num_classes=n_classes, aux_logits=False, transform_input=False,
            init_weights=True,
        )
        stem = self.backbone.conv1
        stem.conv = _stem(
            stem.conv, self.input_shape[0],
            lambda weight: nn.init.trunc_normal_(weight, std=0.01, a=-2, b=2),
        )
        self.backbone.maxpool1 = nn.Identity()
        self.backbone.maxpool2 = nn.Identity()


@register_network("densenet121")
class DenseNet121(ImageInput):
    """CIFAR-style DenseNet-121 on torchvision's definition (about 6.9M weights).

    The first convolution is 3x3 with stride 1 and the max-pool after it is
    removed, as in the CIFAR DenseNet: the dense blocks see the image at
    full size, then at 1/2, 1/4 and 1/8 after the transitions. Randomly
    initialized as torchvision does; no pretrained weights.

    Parameters
    ----------
    n_features : int, default=None
        Flattened input size; checked against ``input_shape`` when given.
    n_classes : int, default=2
        Number of output logits.
    input_shape : tuple of int, default=(3, 64, 32)
        Channels, height and width of one image; flat rows are reshaped to it.

    Examples
    --------
    >>> import torch
    >>> from sklearn_sb.networks import DenseNet121
    >>> DenseNet121()(torch.zeros(2, 3, 64, 32)).shape
    torch.Size([2, 2])
    """

    def __init__(self, n_features=None, n_classes=2, input_shape=(3, 64, 32)):
        super().__init__(n_features, input_shape)
        from torchvision import models

        self.backbone = models.densenet121(num_classes=n_classes)
        features = self.backbone.features
        features.conv0 = _stem(features.conv0, self.input_shape[0], nn.init.kaiming_normal_)
        features.pool0 = nn.Identity()
