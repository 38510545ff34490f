"""
Dominoes from any two labeled image sets
========================================

:func:`~sklearn_sb.datasets.make_dominoes` stacks an image of one labeled set
(the top block, S) on an image of another (the bottom block, S^c), as
MNIST-CIFAR stacks an MNIST digit on a CIFAR-10 image. Here it composes two
small sets that ship with scikit-learn, so nothing is downloaded: the 8 x 8
handwritten digits 0 and 1 of :func:`~sklearn.datasets.load_digits`, upscaled
to 28 x 28 like MNIST, on top of 32 x 32 crops of the two photographs of
:func:`~sklearn.datasets.load_sample_images` (``china.jpg`` is class 0,
``flower.jpg`` class 1). :func:`~sklearn_sb.datasets.fetch_dominoes` builds the
same layout from MNIST, Fashion-MNIST, CIFAR-10 or SVHN.
"""

# %%
# Two labeled image sets
# ----------------------
# The digits become uint8 images of 28 x 28 pixels (each pixel repeated 3 x 3,
# then 2 pixels of zero padding); the photographs are cut into non-overlapping
# 32 x 32 crops, channels first. Each set is split in halves, one for
# training and one for test rows, as ``fetch_dominoes`` draws its training
# rows from the sources' training images and its test rows from their test
# images: no image is shared by the two.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_digits, load_sample_images
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from sklearn_sb import randomized_scores
from sklearn_sb.datasets import DatasetSamplesDisplay, make_dominoes

digits = load_digits()
zeros_ones = digits.target < 2
pixels = np.round(digits.images[zeros_ones] * (255 / 16)).astype(np.uint8)
pixels = np.pad(np.kron(pixels, np.ones((3, 3), dtype=np.uint8)), ((0, 0), (2, 2), (2, 2)))
digit_labels = digits.target[zeros_ones]

crops, crop_labels = [], []
for label, photo in enumerate(load_sample_images().images):
    rows, cols = photo.shape[0] // 32, photo.shape[1] // 32
    tiles = photo[: rows * 32, : cols * 32].reshape(rows, 32, cols, 32, 3)
    crops.append(tiles.transpose(0, 2, 4, 1, 3).reshape(-1, 3, 32, 32))
    crop_labels.append(np.full(rows * cols, label))
crops, crop_labels = np.concatenate(crops), np.concatenate(crop_labels)

top_train, top_test, top_y_train, top_y_test = train_test_split(
    pixels, digit_labels, test_size=0.5, stratify=digit_labels, random_state=0)
bottom_train, bottom_test, bottom_y_train, bottom_y_test = train_test_split(
    crops, crop_labels, test_size=0.5, stratify=crop_labels, random_state=0)
print(f"training digits per class: {np.bincount(top_y_train).tolist()}, "
      f"training crops per class: {np.bincount(bottom_y_train).tolist()}")


def dominoes(top, bottom, correlation=1.0, random_state=0):
    """Label 0 stacks a digit 0 on a china crop, label 1 a digit 1 on a flower crop."""
    return make_dominoes(top, bottom, top_classes=(0, 1), bottom_classes=(0, 1),
                         correlation=correlation, random_state=random_state)


train = dominoes((top_train, top_y_train), (bottom_train, bottom_y_train))
test = dominoes((top_test, top_y_test), (bottom_test, bottom_y_test), random_state=1)
print(f"images {train.images.shape[1:]}; {len(train.target)} training rows, "
      f"{len(test.target)} test rows")

# %%
# The stacked images
# ------------------
# The 28-pixel-wide digit is zero-padded by 2 pixels on its four sides to the
# crops' width and replicated on their three channels: images are 3 x 64 x 32,
# in [0, 1]. Every class group is shuffled and truncated to the smallest one
# (here the training digits 0), so both labels have as many rows.
# :class:`~sklearn_sb.datasets.DatasetSamplesDisplay` draws a few rows of
# every class (and group, below): each label is a digit on a crop of its
# photograph.
DatasetSamplesDisplay.from_dataset(train, n_per_group=6, random_state=0)
plt.tight_layout()

# %%
# What ``correlation`` does
# -------------------------
# ``correlation`` is the share of every label whose top image is of that
# label's top class; the other rows take a digit of the other class. The
# bottom block always agrees with the label. ``groups`` numbers the pairs
# (label, top class) as ``label * 2 + top class``: below 1.0 the rows that
# disagree are minority groups, and at 0.5 the top block is independent of
# the label.
correlations = (1.0, 0.75, 0.5)
draws = {c: dominoes((top_train, top_y_train), (bottom_train, bottom_y_train),
                     correlation=c) for c in correlations}
for c, draw in draws.items():
    agreement = np.mean(draw.top_target == draw.target)
    print(f"correlation={c}: top class = label on {agreement:.3f} of the rows, "
          f"groups {np.bincount(draw.groups, minlength=4).tolist()}")

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3), width_ratios=(1, 2.4))
left.bar([str(c) for c in correlations],
         [np.mean(draw.top_target == draw.target) for draw in draws.values()])
left.set_xlabel("correlation")
left.set_ylabel("share of rows")
left.set_title("Top class = label")
group_names = ["y=0, S: 0", "y=0, S: 1", "y=1, S: 0", "y=1, S: 1"]
width = 0.25
for k, (c, draw) in enumerate(draws.items()):
    right.bar(np.arange(4) + (k - 1) * width, np.bincount(draw.groups, minlength=4),
              width, label=f"correlation={c}")
right.set_xticks(np.arange(4), group_names)
right.set_ylabel("rows")
right.set_title("Group sizes (groups = label * 2 + top class)")
right.legend(fontsize=8)
fig.tight_layout()

# %%
# At correlation 0.75 each label has a minority group, whose digit is the
# other label's: the same display shows them row by row.
DatasetSamplesDisplay.from_dataset(draws[0.75], n_per_group=6, random_state=0)
plt.tight_layout()

# %%
# Which block does a model rely on?
# ---------------------------------
# A logistic regression on the fully correlated training rows, read with
# :func:`~sklearn_sb.randomized_scores`: S-randomized rows have their top
# blocks shuffled across rows, S^c-randomized rows their bottom blocks. The
# Bunch gives the blocks (``simple_features``, ``rotation=None``).
model = LogisticRegression(max_iter=2_000).fit(train.data, train.target)
randomized_scores(model, test.data, test.target, simple_features=test,
                  random_state=0).round(3)

# %%
# The same model on decorrelated test rows (``correlation=0.5``): does it
# follow the label, which only the bottom block carries, or the top digit?
decorrelated = dominoes((top_test, top_y_test), (bottom_test, bottom_y_test),
                        correlation=0.5, random_state=2)
predicted = model.predict(decorrelated.data)
print(f"decorrelated test rows: accuracy {np.mean(predicted == decorrelated.target):.3f}; "
      f"agreement with the top digit {np.mean(predicted == decorrelated.top_target):.3f}")

# %%
# Trained on the ``correlation=0.5`` draw instead, where only the bottom
# block predicts the label, the model can only learn from the crops: compare
# its S-randomized and S^c-randomized scores, and its standard score, with
# those of the first model.
model_half = LogisticRegression(max_iter=2_000).fit(draws[0.5].data, draws[0.5].target)
randomized_scores(model_half, test.data, test.target, simple_features=test,
                  random_state=0).round(3)
