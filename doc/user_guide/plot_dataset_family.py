"""Samples of the image datasets, for the datasets page of the user guide.

Run by matplotlib's ``plot`` directive when the documentation is built. Each
row uses the real sources when they are in the cache (the fetchers are
called with ``download_if_missing=False``: nothing is ever downloaded) and
otherwise builds the same layout with the package's own functions from
stand-in arrays that ship with scikit-learn: the 8 x 8 digits of
``load_digits`` upscaled to 28 x 28 for the digit sides, 32 x 32 crops of
``china.jpg`` (class 0) and ``flower.jpg`` (class 1) for the photo sides.
Every row says which it shows, and so does the title.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits, load_sample_images

from sklearn_sb.datasets import (
    fetch_collages,
    fetch_colored_mnist,
    fetch_dominoes,
    fetch_mnist_cifar,
    make_colored_mnist,
    make_dominoes,
)

N_PANELS = 6
CIFAR10 = ("airplane", "automobile", "bird", "cat", "deer",
           "dog", "frog", "horse", "ship", "truck")
FASHION = ("t-shirt", "trouser", "pullover", "dress", "coat",
           "sandal", "shirt", "sneaker", "bag", "ankle boot")
PHOTOS = ("china", "flower")
COLOURS = ("red", "green")


# Stand-in sources -----------------------------------------------------------

def standin_digits():
    """scikit-learn's 1,797 digits as MNIST-like uint8 images, 28 x 28."""
    digits = load_digits()
    pixels = np.round(digits.images * (255 / 16)).astype(np.uint8)
    pixels = np.kron(pixels, np.ones((3, 3), dtype=np.uint8))  # 24 x 24
    return np.pad(pixels, ((0, 0), (2, 2), (2, 2))), digits.target


def standin_photos(side=32):
    """Non-overlapping ``side`` x ``side`` crops of the two sample photos, (n, 3, side, side)."""
    crops, labels = [], []
    for label, photo in enumerate(load_sample_images().images):
        rows, cols = photo.shape[0] // side, photo.shape[1] // side
        tiles = photo[: rows * side, : cols * side].reshape(rows, side, cols, side, 3)
        crops.append(tiles.transpose(0, 2, 4, 1, 3).reshape(-1, 3, side, side))
        labels.append(np.full(rows * cols, label))
    return np.concatenate(crops), np.concatenate(labels)


def grayscale(images):
    """Average over the channels, as uint8: (n, C, H, W) to (n, H, W)."""
    return np.round(images.mean(axis=1)).astype(np.uint8)


# The rows -------------------------------------------------------------------

def _first_of(values, wanted):
    """Row indices: for every entry of ``wanted``, the next row holding it."""
    used, picked = set(), []
    for value in wanted:
        row = next(i for i in np.flatnonzero(values == value) if i not in used)
        used.add(row)
        picked.append(row)
    return picked


def mnist_cifar():
    try:
        data = fetch_mnist_cifar(subset="test", download_if_missing=False,
                                 random_state=0, verbose=0)
        tops, bottoms, names = data.mnist_target, data.cifar_target, CIFAR10
        real = True
    except OSError:
        data = make_dominoes(standin_digits(), standin_photos(), top_classes=(0, 1),
                             bottom_classes=(0, 1), random_state=0)
        tops, bottoms, names = data.top_target, data.bottom_target, PHOTOS
        real = False
    rows = _first_of(data.target, [0, 1] * (N_PANELS // 2))
    titles = [f"y = {data.target[i]}\nS: {tops[i]}\nS$^c$: {names[bottoms[i]]}"
              for i in rows]
    name = "MNIST-CIFAR\n3 x 64 x 32" if real else \
        "MNIST-CIFAR layout\n(stand-in: digits\non photo crops)"
    return name, real, data.images[rows], titles, "dominoes"


def mf_dominoes():
    try:
        data = fetch_dominoes("mnist", "fashion_mnist", bottom_classes=(4, 3),
                              subset="test", download_if_missing=False,
                              random_state=0, verbose=0)
        names = FASHION
        real = True
    except OSError:
        photos, labels = standin_photos(side=28)
        data = make_dominoes(standin_digits(), (grayscale(photos), labels),
                             top_classes=(0, 1), bottom_classes=(0, 1), random_state=0)
        names = PHOTOS
        real = False
    rows = _first_of(data.target, [0, 1] * (N_PANELS // 2))
    titles = [f"y = {data.target[i]}\nS: {data.top_target[i]}\n"
              f"S$^c$: {names[data.bottom_target[i]]}" for i in rows]
    name = "M/F-Dominoes\n1 x 56 x 28" if real else \
        "M/F-Dominoes layout\n(stand-in: digits on\ngray photo crops)"
    return name, real, data.images[rows], titles, "dominoes"


def decorrelated():
    try:
        data = fetch_dominoes(subset="holdout", holdout=0.2, correlation=0.5,
                              download_if_missing=False, random_state=0, verbose=0)
        names = CIFAR10
        real = True
    except OSError:
        data = make_dominoes(standin_digits(), standin_photos(), top_classes=(0, 1),
                             bottom_classes=(0, 1), correlation=0.5, random_state=1)
        names = PHOTOS
        real = False
    # groups: label * 2 + the label of the top class; 1 and 2 are the minorities.
    rows = _first_of(data.groups, [0, 1, 0, 3, 2, 3])
    titles = []
    for i in rows:
        agrees = "" if data.top_target[i] == data.target[i] else " (minority)"
        titles.append(f"y = {data.target[i]}\nS: {data.top_target[i]}{agrees}\n"
                      f"S$^c$: {names[data.bottom_target[i]]}")
    name = ("MNIST-CIFAR,\ncorrelation=0.5\n(holdout reserve)" if real else
            "correlation=0.5\n(stand-in: digits\non photo crops)")
    return name, real, data.images[rows], titles, "dominoes"


def colored_mnist():
    try:
        data = fetch_colored_mnist(subset="all", download_if_missing=False,
                                   random_state=0, verbose=0)
        real = True
    except OSError:
        images, digits = standin_digits()
        data = make_colored_mnist(images, digits, random_state=0)
        real = False
    rows = _first_of(data.groups, [0, 0, 1, 1, 2, 2])
    titles = []
    for i in rows:
        e = data.environments[data.groups[i]]
        test = " (test)" if data.groups[i] == len(data.environments) - 1 else ""
        titles.append(f"e = {e}{test}\ny = {data.target[i]}, S: {COLOURS[data.color[i]]}\n"
                      f"S$^c$: digit {data.digits[i]}")
    name = "Colored MNIST\n2 x 14 x 14" if real else \
        "Colored MNIST layout\n(stand-in digits)"
    return name, real, data.images[rows], titles, "colored"


def standin_collages(n_samples, random_state=0):
    """The 2 x 2 tiling of fetch_collages, from stand-in arrays, 16 x 16.

    The package has no array-level collage function, so the layout is
    rebuilt here: MNIST place top left (digits 0/1), CIFAR-10 place bottom
    left and Fashion-MNIST place top right (gray photo crops), SVHN place
    bottom right (other digits 0/1); 28 x 28 images zero-padded to 32 x 32;
    every 4th pixel kept.
    """
    rng = np.random.RandomState(random_state)
    digits, digit_labels = standin_digits()
    digits = np.pad(digits, ((0, 0), (2, 2), (2, 2)))
    photos, photo_labels = standin_photos()
    photos = grayscale(photos)
    target = np.arange(n_samples) % 2
    # Each place draws its own images: the two digit places and the two
    # photo places use disjoint halves of their pools.
    places = {(0, 0): (digits, digit_labels, 0), (1, 1): (digits, digit_labels, 1),
              (1, 0): (photos, photo_labels, 0), (0, 1): (photos, photo_labels, 1)}
    collages = np.zeros((n_samples, 1, 16, 16), dtype=np.float32)
    for (row, col), (images, labels, half) in places.items():
        for label in (0, 1):
            pool = np.flatnonzero(labels == label)
            pool = pool[half::2]
            drawn = rng.choice(pool, size=np.sum(target == label), replace=False)
            block = images[drawn, ::4, ::4].astype(np.float32) / 255
            collages[target == label, 0, row * 8:(row + 1) * 8, col * 8:(col + 1) * 8] = block
    return collages, target


def collages():
    try:
        data = fetch_collages(n_samples=64, download_if_missing=False,
                              random_state=0, verbose=0)
        images, target = data.images, data.target
        real = True
    except OSError:
        images, target = standin_collages(N_PANELS)
        real = False
    rows = _first_of(target, [0, 1] * (N_PANELS // 2))
    titles = [f"y = {target[i]}\nS (top left): {target[i]}\nS$^c$: the 3 others"
              for i in rows]
    name = ("Collages\n1 x 16 x 16\nS: MNIST block" if real else
            "Collages layout\n(stand-in tiling:\ndigits, gray crops)")
    return name, real, images[rows], titles, "collage"


# The figure -----------------------------------------------------------------

def show(ax, image, kind):
    if kind == "colored":
        rgb = np.concatenate([image, np.zeros_like(image[:1])]).transpose(1, 2, 0)
        ax.imshow(rgb, interpolation="nearest")
    elif image.shape[0] == 1:
        ax.imshow(image[0], cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    else:
        ax.imshow(image.transpose(1, 2, 0), interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks([])
    if kind == "dominoes":
        half = image.shape[1] / 4
        ax.set_yticks([half, 3 * half], ["S", "S$^c$"])
        ax.tick_params(length=0, labelsize=8)


rows = [mnist_cifar(), mf_dominoes(), decorrelated(), colored_mnist(), collages()]
fig, axes = plt.subplots(len(rows), N_PANELS + 1, figsize=(9, 10.5),
                         height_ratios=[2.2, 2, 2.2, 1.3, 1.3],
                         width_ratios=[1.5] + [1] * N_PANELS)
for axes_row, (name, real, images, titles, kind) in zip(axes, rows):
    axes_row[0].axis("off")
    axes_row[0].text(0, 0.5, name, fontsize=9, va="center", ha="left",
                     transform=axes_row[0].transAxes,
                     color="black" if real else "tab:red")
    for ax, image, title in zip(axes_row[1:], images, titles):
        show(ax, image, kind)
        ax.set_title(title, fontsize=7)
n_real = sum(real for _, real, _, _, _ in rows)
if n_real == len(rows):
    heading = "Real sources (read from the cache of the machine that built these docs)"
elif n_real == 0:
    heading = ("Stand-ins: the real sources are not cached on the machine that built\n"
               "these docs, so every row shows the layout on scikit-learn's digits\n"
               "and sample photos (china = class 0, flower = class 1)")
else:
    heading = ("Rows in black: real sources; rows in red: stand-ins (scikit-learn's\n"
               "digits and sample photos), the sources not being cached")
fig.suptitle(heading, fontsize=10)
fig.tight_layout()
