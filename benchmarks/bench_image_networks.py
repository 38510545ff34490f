"""Time one training epoch of each image network on MNIST-CIFAR-sized data.

Run by hand: ``python benchmarks/bench_image_networks.py`` (on a GPU; on a
CPU pass a small ``--n-images``). The setting: 10,000 random images of
3 x 64 x 32 (the size of the MNIST-CIFAR training set), two balanced
classes, batch 256, the paper's MNIST-CIFAR optimizer (SGD, lr 0.05, weight
decay 5e-5), trained with SBNetClassifier on the available device.

Each network first trains on one batch, so that building it and the first
CUDA kernels stay out of the timing; the epoch duration is skorch's
``dur`` for one pass over all the images. Prints images per second.
"""

import argparse

import numpy as np
import torch

from sklearn_sb import SBNetClassifier
from sklearn_sb.utils._device import resolve_device

NETWORKS = ["resnet18", "resnet50", "mobilenet_v2", "googlenet", "densenet121", "small_cnn"]


def epoch_seconds(name, X, y, batch_size, device):
    clf = SBNetClassifier(
        name,
        lr=0.05,
        optimizer__weight_decay=5e-5,
        batch_size=batch_size,
        max_epochs=1,
        device=device,
        random_state=0,
    )
    clf.fit(X[:batch_size], y[:batch_size])
    clf.partial_fit(X, y)
    n_weights = sum(p.numel() for p in clf.module_.parameters())
    return clf.history[-1, "dur"], n_weights


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-images", type=int, default=10_000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--device", default="auto", help="'auto', 'cpu', 'cuda', ...")
    parser.add_argument("--networks", nargs="+", default=NETWORKS, choices=NETWORKS)
    args = parser.parse_args()

    device = resolve_device(args.device)
    rng = np.random.default_rng(0)
    X = rng.random((args.n_images, 3, 64, 32), dtype=np.float32)
    y = np.arange(args.n_images) % 2
    name = torch.cuda.get_device_name(device) if device.startswith("cuda") else "CPU"
    print(f"{args.n_images} images of 3 x 64 x 32, batch {args.batch_size}, "
          f"device {device} ({name}), torch {torch.__version__}")
    print(f"{'network':<14}{'weights':>10}{'epoch (s)':>12}{'images/s':>12}")
    for network in args.networks:
        seconds, n_weights = epoch_seconds(network, X, y, args.batch_size, device)
        print(f"{network:<14}{n_weights / 1e6:>9.2f}M{seconds:>12.2f}"
              f"{args.n_images / seconds:>12.0f}")


if __name__ == "__main__":
    main()
