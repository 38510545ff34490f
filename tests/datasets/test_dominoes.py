"""make_dominoes on small in-memory images, fetch_dominoes on the tiny sources.

The top block is the simple one (S), the bottom block the complex one (S^c);
the pairing is DESIGN section 3's: every class group shuffled, all truncated
to the smallest, the i-th images of a label paired, the rows shuffled, with
a share ``correlation`` of every label's top images of that label's classes.
"""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from scipy import stats

from sklearn_sb.datasets import fetch_dominoes, fetch_mnist_cifar, make_dominoes
from sklearn_sb.utils._param_validation import InvalidParameterError

from ..conftest import CIFAR_COUNTS, FASHION_COUNTS, MNIST_COUNTS, SVHN_COUNTS

QUIET = {"verbose": 0, "n_retries": 0, "delay": 0}
# Images per class of the in-memory sets: classes 0, 1 and 2 are the large
# groups; the smallest of the default groups (photos of class 1) sets the
# number of rows.
DIGIT_COUNTS = {0: 230, 1: 250, 2: 200, **{c: 40 for c in range(3, 10)}}
PHOTO_COUNTS = {0: 240, 1: 220, 2: 210, **{c: 30 for c in range(3, 10)}}
N_PER_LABEL = min(DIGIT_COUNTS[0], DIGIT_COUNTS[1], PHOTO_COUNTS[0], PHOTO_COUNTS[1])
CLASSES = {"top_classes": (0, 1), "bottom_classes": (0, 1)}


def _labels(counts, rng):
    return rng.permutation(np.repeat(list(counts), list(counts.values())))


@pytest.fixture(scope="module")
def digits():
    """28 x 28 uint8 noise 'digits' (all distinct) with labels 0-9."""
    rng = np.random.default_rng(0)
    labels = _labels(DIGIT_COUNTS, rng)
    return rng.integers(0, 256, size=(len(labels), 28, 28), dtype=np.uint8), labels


@pytest.fixture(scope="module")
def photos():
    """3 x 32 x 32 float32 'photos' in [0, 1] (all distinct) with labels 0-9."""
    rng = np.random.default_rng(1)
    labels = _labels(PHOTO_COUNTS, rng)
    return rng.random((len(labels), 3, 32, 32), dtype=np.float32), labels


def _make(top, bottom, **params):
    return make_dominoes(top, bottom, **{**CLASSES, "random_state": 0, **params})


def _fetch(tmp_path, top="mnist", bottom="cifar10", **params):
    return fetch_dominoes(top, bottom, data_home=tmp_path, **{**QUIET, **params})


def _top_group(data, top_classes):
    """The label whose top classes hold each row's top image."""
    groups = [c if isinstance(c, tuple) else (c,) for c in top_classes]
    return np.select([np.isin(data.top_target, g) for g in groups], range(len(groups)), -1)


def _within_binomial_tolerance(successes, n, p):
    """Two-sided binomial test at level 1e-4: a wrong probability fails it."""
    return stats.binomtest(int(successes), int(n), p).pvalue > 1e-4


def _cached_files(tmp_path):
    cache = tmp_path / "image_sources"
    return sorted(str(p.relative_to(cache)) for p in cache.rglob("*")) if cache.exists() else []


# -- layout ------------------------------------------------------------------------


def test_grayscale_28_over_colour_32_is_3_by_64_by_32(digits, photos):
    data = _make(digits, photos)
    n = 2 * N_PER_LABEL
    assert data.images.shape == (n, 3, 64, 32) and data.images.dtype == np.float32
    assert data.data.shape == (n, 3 * 64 * 32) and data.data.dtype == np.float32


def test_narrower_side_is_zero_padded_by_the_same_margin_on_four_sides(digits, photos):
    top = _make(digits, photos).images[:, :, :32]
    for pad in (slice(0, 2), slice(30, 32)):
        assert not top[:, :, pad, :].any() and not top[:, :, :, pad].any()
    assert top[:, :, 2:30, 2:30].any(axis=(2, 3)).all()


def test_narrower_bottom_side_is_padded_the_same_way(digits, photos):
    data = _make(photos, digits)
    assert data.images.shape == (2 * N_PER_LABEL, 3, 64, 32)
    bottom = data.images[:, :, 32:]
    for pad in (slice(0, 2), slice(30, 32)):
        assert not bottom[:, :, pad, :].any() and not bottom[:, :, :, pad].any()
    assert_array_equal(bottom[:, :, 2:30, 2:30], np.broadcast_to(
        digits[0][data.bottom_index, None].astype(np.float32) / 255, (len(bottom), 3, 28, 28)))
    assert_array_equal(data.images[:, :, :32], photos[0][data.top_index])


def test_grayscale_side_is_replicated_on_the_three_channels(digits, photos):
    top = _make(digits, photos).images[:, :, :32]
    assert_array_equal(top[:, 0], top[:, 1])
    assert_array_equal(top[:, 0], top[:, 2])


def test_uint8_pixels_are_divided_by_255_and_floats_kept(digits, photos):
    data = _make(digits, photos)
    top = data.images[:, :, 2:30, 2:30]
    assert_array_equal(top, np.broadcast_to(
        digits[0][data.top_index, None].astype(np.float32) / np.float32(255), top.shape))
    assert_array_equal(data.images[:, :, 32:], photos[0][data.bottom_index])
    assert data.images.max() > 0.99 and data.images.min() >= 0


def test_float64_images_are_kept_as_float32(digits, photos):
    images, labels = photos
    data = _make(digits, (images.astype(np.float64), labels))
    assert_array_equal(data.images[:, :, 32:], images[data.bottom_index])


def test_two_grayscale_28_sides_give_1_by_56_by_28(digits):
    images, labels = digits
    data = _make(digits, (images[::-1], labels[::-1]))
    assert data.images.shape == (2 * min(DIGIT_COUNTS[0], DIGIT_COUNTS[1]), 1, 56, 28)
    assert_array_equal(data.images[:, 0, :28], images[data.top_index] / np.float32(255))
    assert_array_equal(data.images[:, 0, 28:], images[::-1][data.bottom_index] / np.float32(255))
    assert len(data.simple_features) == len(data.complex_features) == 28 * 28


def test_simple_features_are_the_top_block_rows_of_every_channel(digits, photos):
    data = _make(digits, photos)
    mask = np.zeros((3, 64, 32), dtype=bool)
    mask[:, :32] = True
    assert_array_equal(data.simple_features, np.flatnonzero(mask.ravel()))
    assert_array_equal(data.complex_features, np.flatnonzero(~mask.ravel()))


def test_feature_blocks_partition_the_features(digits, photos):
    data = _make(photos, digits)
    both = np.concatenate([data.simple_features, data.complex_features])
    assert_array_equal(np.sort(both), np.arange(data.data.shape[1]))
    # Every simple feature is in the top block of the image, none in the bottom.
    blocks = np.zeros(data.images.shape[1:])
    blocks[:, :32] = 1
    assert blocks.ravel()[data.simple_features].all()
    assert not blocks.ravel()[data.complex_features].any()


def test_data_is_a_view_of_images(digits, photos):
    data = _make(digits, photos)
    assert np.shares_memory(data.data, data.images)
    assert_array_equal(data.data, data.images.reshape(len(data.images), -1))


def test_return_X_y_gives_data_and_target(digits, photos):
    data = _make(digits, photos)
    X, y = _make(digits, photos, return_X_y=True)
    assert_array_equal(X, data.data)
    assert_array_equal(y, data.target)


# -- correlation -----------------------------------------------------------------


@pytest.mark.parametrize("correlation", [1.0, 0.9, 0.75, 0.5, 0.0])
def test_top_block_agrees_with_the_label_with_probability_correlation(
    digits, photos, correlation
):
    data = _make(digits, photos, correlation=correlation)
    agree = _top_group(data, CLASSES["top_classes"]) == data.target
    assert _within_binomial_tolerance(agree.sum(), len(agree), correlation)


@pytest.mark.parametrize("correlation", [0.9, 0.75, 0.5])
def test_agreement_is_the_parameter_not_another_value(digits, photos, correlation):
    # The tolerance is tight enough to tell neighbouring values apart.
    data = _make(digits, photos, correlation=correlation)
    agree = _top_group(data, CLASSES["top_classes"]) == data.target
    assert not _within_binomial_tolerance(agree.sum(), len(agree), correlation + 0.1)
    assert not _within_binomial_tolerance(agree.sum(), len(agree), correlation - 0.1)


@pytest.mark.parametrize("correlation", [1.0, 0.5, 0.0])
def test_bottom_block_always_agrees_with_the_label(digits, photos, correlation):
    data = _make(digits, photos, correlation=correlation)
    assert_array_equal(data.bottom_target, data.target)
    assert_array_equal(data.bottom_target, photos[1][data.bottom_index])
    assert_array_equal(data.top_target, digits[1][data.top_index])


@pytest.mark.parametrize("correlation", [1.0, 0.75, 0.3])
def test_groups_are_label_times_n_labels_plus_top_group(digits, photos, correlation):
    top_classes = ((0, 3), 1, 2)
    data = _make(digits, photos, top_classes=top_classes, bottom_classes=(0, 1, 2),
                 correlation=correlation)
    top_group = _top_group(data, top_classes)
    assert (top_group >= 0).all()
    assert_array_equal(data.groups, data.target * 3 + top_group)
    # The majority groups are those where the top image agrees.
    assert_array_equal(data.groups % 4 == 0, top_group == data.target)


def test_half_correlation_makes_the_top_class_independent_of_two_labels(digits, photos):
    data = _make(digits, photos, correlation=0.5)
    n = len(data.target)
    for count in np.bincount(data.groups, minlength=4):
        assert _within_binomial_tolerance(count, n, 0.25)
    table = np.bincount(data.target * 2 + (data.top_target == 1), minlength=4).reshape(2, 2)
    assert stats.chi2_contingency(table).pvalue > 1e-4


@pytest.mark.parametrize("correlation", [1.0, 0.9, 0.5, 0.1])
def test_classes_stay_balanced(digits, photos, correlation):
    data = _make(digits, photos, correlation=correlation)
    assert_array_equal(np.bincount(data.target), [N_PER_LABEL, N_PER_LABEL])


def test_three_labels_spread_the_disagreeing_rows_over_the_other_groups(digits, photos):
    data = _make(digits, photos, top_classes=(0, 1, 2), bottom_classes=(0, 1, 2),
                 correlation=0.4)
    n_per_label = min(min(DIGIT_COUNTS[c], PHOTO_COUNTS[c]) for c in range(3))
    assert_array_equal(np.bincount(data.target), [n_per_label] * 3)
    assert_array_equal(data.bottom_target, data.target)
    table = np.bincount(data.groups, minlength=9).reshape(3, 3)
    for label in range(3):
        assert _within_binomial_tolerance(table[label, label], n_per_label, 0.4)
        for other in set(range(3)) - {label}:
            assert _within_binomial_tolerance(table[label, other], n_per_label, 0.3)
    assert_array_equal(data.target_names, ["0 / 0", "1 / 1", "2 / 2"])


# -- pairing (DESIGN section 3) --------------------------------------------------


def test_default_n_samples_is_n_labels_times_the_smallest_class_group(digits, photos):
    data = _make(digits, photos, top_classes=((0, 3), 2), bottom_classes=(1, (2, 4)))
    smallest = min(DIGIT_COUNTS[0] + DIGIT_COUNTS[3], DIGIT_COUNTS[2],
                   PHOTO_COUNTS[1], PHOTO_COUNTS[2] + PHOTO_COUNTS[4])
    assert_array_equal(np.bincount(data.target), [smallest, smallest])


@pytest.mark.parametrize("n_labels, n_samples, sizes", [
    (2, 101, [51, 50]), (2, 2, [1, 1]), (3, 100, [34, 33, 33]), (3, 3 * 200, [200] * 3),
])
def test_n_samples_is_split_evenly_over_the_labels(digits, photos, n_labels, n_samples, sizes):
    classes = tuple(range(n_labels))
    data = _make(digits, photos, top_classes=classes, bottom_classes=classes,
                 n_samples=n_samples)
    assert_array_equal(np.bincount(data.target), sizes)
    assert data.images.shape[0] == n_samples


def test_more_samples_than_the_sources_allow_is_an_error_giving_the_maximum(digits, photos):
    _make(digits, photos, n_samples=2 * N_PER_LABEL)
    with pytest.raises(ValueError, match=f"n_samples={2 * N_PER_LABEL + 1}.*at most "
                                         f"{2 * N_PER_LABEL}"):
        _make(digits, photos, n_samples=2 * N_PER_LABEL + 1)


@pytest.mark.parametrize("correlation, n_samples", [(1.0, None), (0.5, None), (0.8, 301),
                                                    (0.0, None)])
def test_no_source_image_is_used_twice_within_a_side(digits, photos, correlation, n_samples):
    data = _make(digits, photos, correlation=correlation, n_samples=n_samples)
    n = len(data.target)
    assert len(np.unique(data.top_index)) == n
    assert len(np.unique(data.bottom_index)) == n


def test_rows_are_shuffled(digits, photos):
    data = _make(digits, photos)
    half = len(data.target) // 2
    assert 0.3 < data.target[:half].mean() < 0.7


def test_reuse_top_cycles_the_top_images_and_uses_every_bottom_image(digits, photos):
    # Digits of classes 3 and 4 (40 each) on every photo of classes 0 and 1.
    data = _make(digits, photos, top_classes=(3, 4), reuse_top=True)
    images, labels = photos
    assert_array_equal(np.sort(data.bottom_index), np.flatnonzero(np.isin(labels, (0, 1))))
    assert_array_equal(np.bincount(data.target), [PHOTO_COUNTS[0], PHOTO_COUNTS[1]])
    assert_array_equal(data.top_target, np.where(data.target == 0, 3, 4))
    for label, digit in ((0, 3), (1, 4)):
        uses = np.bincount(data.top_index[data.target == label], minlength=len(digits[1]))
        uses = uses[digits[1] == digit]
        assert uses.min() >= 1, "every top image is used"
        assert uses.max() - uses.min() <= 1, "in turn"


@pytest.mark.parametrize("block", ["top", "bottom"])
def test_randomize_makes_that_block_independent_of_the_label(digits, photos, block):
    standard = _make(digits, photos)
    data = _make(digits, photos, randomize=block)
    kept = "bottom" if block == "top" else "top"
    assert_array_equal(data[f"{kept}_target"], data.target)
    agree = data[f"{block}_target"] == data.target
    assert _within_binomial_tolerance(agree.sum(), len(agree), 0.5)
    # Only that block is re-paired: the same images, the other block unchanged.
    assert_array_equal(data.target, standard.target)
    assert_array_equal(data[f"{kept}_index"], standard[f"{kept}_index"])
    assert_array_equal(np.sort(data[f"{block}_index"]), np.sort(standard[f"{block}_index"]))
    assert_array_equal(data.groups, data.target * 2 + _top_group(data, (0, 1)))
    assert_array_equal(data.images[:, :, 32:], photos[0][data.bottom_index])


# -- determinism -------------------------------------------------------------------


def test_same_random_state_same_dataset(digits, photos):
    first = _make(digits, photos, correlation=0.7, random_state=5)
    again = _make(digits, photos, correlation=0.7, random_state=np.random.RandomState(5))
    for name in ("images", "target", "groups", "top_index", "bottom_index"):
        assert_array_equal(first[name], again[name])


def test_different_seeds_pair_differently(digits, photos):
    first = _make(digits, photos, random_state=1)
    other = _make(digits, photos, random_state=2)
    assert not np.array_equal(first.top_index, other.top_index)
    assert not np.array_equal(first.bottom_index, other.bottom_index)
    assert not np.array_equal(first.target, other.target)


# -- fetch_dominoes ----------------------------------------------------------------


@pytest.mark.parametrize("subset", ["train", "test", "all"])
@pytest.mark.parametrize("randomize", [None, "mnist", "cifar"])
def test_mnist_cifar_dominoes_are_fetch_mnist_cifar(torchvision_sources, tmp_path, subset,
                                                     randomize):
    block = {None: None, "mnist": "top", "cifar": "bottom"}[randomize]
    data = _fetch(tmp_path, "mnist", "cifar10", subset=subset, correlation=1.0,
                  randomize=block, random_state=3)
    reference = fetch_mnist_cifar(data_home=tmp_path, subset=subset, randomize=randomize,
                                  random_state=3, **QUIET)
    assert_array_equal(data.data, reference.data)
    assert_array_equal(data.target, reference.target)
    assert_array_equal(data.top_index, reference.mnist_index)
    assert_array_equal(data.bottom_index, reference.cifar_index)
    assert_array_equal(data.top_target, reference.mnist_target)
    assert_array_equal(data.bottom_target, reference.cifar_target)
    assert_array_equal(data.target_names, reference.target_names)
    assert_array_equal(data.simple_features, reference.simple_features)


@pytest.mark.parametrize("split", ["train", "test"])
def test_mf_dominoes_are_mnist_digits_over_fashion_mnist_clothes(torchvision_sources,
                                                                 tmp_path, split):
    data = _fetch(tmp_path, "mnist", "fashion_mnist", subset=split, bottom_classes=(4, 3),
                  random_state=0)
    n_per_label = min(MNIST_COUNTS[split][0], MNIST_COUNTS[split][1],
                      FASHION_COUNTS[split][4], FASHION_COUNTS[split][3])
    assert data.images.shape == (2 * n_per_label, 1, 56, 28)
    mnist_images, mnist_labels = torchvision_sources.mnist[split]
    fashion_images, fashion_labels = torchvision_sources.fashion[split]
    assert_array_equal(data.images[:, 0, :28], mnist_images[data.top_index] / np.float32(255))
    assert_array_equal(data.images[:, 0, 28:],
                       fashion_images[data.bottom_index] / np.float32(255))
    assert_array_equal(mnist_labels[data.top_index], data.target)
    assert_array_equal(fashion_labels[data.bottom_index], np.where(data.target == 0, 4, 3))
    assert_array_equal(data.target_names, ["0 / coat", "1 / dress"])


@pytest.mark.parametrize("top, bottom", [("svhn", "cifar10"), ("fashion_mnist", "svhn")])
def test_svhn_works_as_either_side(torchvision_sources, tmp_path, top, bottom):
    arrays = {"svhn": torchvision_sources.svhn, "cifar10": torchvision_sources.cifar,
              "fashion_mnist": torchvision_sources.fashion}
    classes = {"svhn": (0, 1), "cifar10": (1, 9), "fashion_mnist": (4, 3)}
    data = _fetch(tmp_path, top, bottom, subset="test", top_classes=classes[top],
                  bottom_classes=classes[bottom], random_state=0)
    counts = {"svhn": SVHN_COUNTS, "cifar10": CIFAR_COUNTS, "fashion_mnist": FASHION_COUNTS}
    n_per_label = min(counts[side]["test"][c] for side in (top, bottom) for c in classes[side])
    assert data.images.shape == (2 * n_per_label, 3, 64, 32)
    top_images, top_labels = arrays[top]["test"]
    bottom_images, bottom_labels = arrays[bottom]["test"]
    top_block = data.images[:, :, :32] if top == "svhn" else data.images[:, :, 2:30, 2:30]
    expected = top_images[data.top_index] / np.float32(255)
    assert_array_equal(top_block, np.broadcast_to(
        expected[:, None] if expected.ndim == 3 else expected, top_block.shape))
    assert_array_equal(data.images[:, :, 32:], bottom_images[data.bottom_index] / np.float32(255))
    assert_array_equal(top_labels[data.top_index], np.choose(data.target, classes[top]))
    assert_array_equal(bottom_labels[data.bottom_index], np.choose(data.target, classes[bottom]))


def test_class_names_are_accepted(torchvision_sources, tmp_path):
    named = _fetch(tmp_path, "fashion_mnist", "cifar10", subset="test",
                   top_classes=("coat", "dress"), bottom_classes=("automobile", "truck"),
                   random_state=0)
    numbered = _fetch(tmp_path, "fashion_mnist", "cifar10", subset="test",
                      top_classes=(4, 3), bottom_classes=(1, 9), random_state=0)
    assert_array_equal(named.data, numbered.data)
    assert_array_equal(named.top_index, numbered.top_index)
    assert_array_equal(named.target_names, ["coat / automobile", "dress / truck"])


@pytest.mark.parametrize("correlation", [0.75, 0.5])
def test_fetched_dominoes_follow_the_correlation(torchvision_sources, tmp_path, correlation):
    data = _fetch(tmp_path, correlation=correlation, random_state=0)
    agree = data.top_target == np.choose(data.target, (0, 1))
    assert _within_binomial_tolerance(agree.sum(), len(agree), correlation)
    assert_array_equal(data.bottom_target, np.choose(data.target, (1, 9)))
    assert_array_equal(data.groups, data.target * 2 + data.top_target)


# -- holdout -----------------------------------------------------------------------


def _reserve_size(count, holdout):
    return int(round(holdout * count))


@pytest.mark.parametrize("holdout", [0.2, 0.5])
def test_train_and_holdout_draws_never_share_an_image(torchvision_sources, tmp_path, holdout):
    for train_seed, holdout_seed in ((0, 0), (1, 2), (3, 7)):
        for train_corr, holdout_corr in ((1.0, 1.0), (1.0, 0.5), (0.8, 0.0)):
            train = _fetch(tmp_path, holdout=holdout, correlation=train_corr,
                           random_state=train_seed)
            for bottom_classes in ((1, 9), ((1, 2), (9, 3))):
                held = _fetch(tmp_path, subset="holdout", holdout=holdout,
                              correlation=holdout_corr, bottom_classes=bottom_classes,
                              random_state=holdout_seed)
                assert not set(train.top_index) & set(held.top_index)
                assert not set(train.bottom_index) & set(held.bottom_index)


def test_the_reserve_is_the_same_whatever_random_state(torchvision_sources, tmp_path):
    # Every bottom image of the chosen classes is used, the bottom groups
    # being the smallest: the reserve and the rest are read off the draws.
    draws = {seed: (_fetch(tmp_path, holdout=0.2, random_state=seed),
                    _fetch(tmp_path, subset="holdout", holdout=0.2, random_state=seed))
             for seed in (0, 1, 2)}
    reserve = set(draws[0][1].bottom_index)
    cifar_labels = torchvision_sources.cifar["train"][1]
    chosen = set(np.flatnonzero(np.isin(cifar_labels, (1, 9))))
    for train, held in draws.values():
        assert set(held.bottom_index) == reserve
        assert set(train.bottom_index) == chosen - reserve
    assert len(reserve) == 2 * _reserve_size(CIFAR_COUNTS["train"][1], 0.2)


@pytest.mark.parametrize("holdout", [0.2, 0.25])
@pytest.mark.parametrize("source, counts", [
    ("mnist", MNIST_COUNTS), ("fashion_mnist", FASHION_COUNTS),
    ("cifar10", CIFAR_COUNTS), ("svhn", SVHN_COUNTS),
])
def test_the_reserve_holds_a_share_holdout_of_every_class(torchvision_sources, tmp_path,
                                                          source, counts, holdout):
    # With reuse_top and every class as a bottom class, a draw uses every
    # bottom image it may: the reserve, or everything but the reserve.
    top = "cifar10" if source != "cifar10" else "mnist"
    params = dict(top_classes=(0, 1), bottom_classes=(tuple(range(5)), tuple(range(5, 10))),
                  reuse_top=True, holdout=holdout, random_state=0)
    held = _fetch(tmp_path, top, source, subset="holdout", **params)
    train = _fetch(tmp_path, top, source, subset="train", **params)
    reserved = [_reserve_size(counts["train"][c], holdout) for c in range(10)]
    assert_array_equal(np.bincount(held.bottom_target, minlength=10), reserved)
    assert_array_equal(np.bincount(train.bottom_target, minlength=10),
                       [counts["train"][c] - reserved[c] for c in range(10)])


def test_holdout_subset_needs_a_holdout(tmp_path):
    with pytest.raises(InvalidParameterError, match="'holdout'.*holdout > 0"):
        _fetch(tmp_path, subset="holdout", holdout=0)
    assert _cached_files(tmp_path) == []


def test_holdout_leaves_the_test_draw_unchanged(torchvision_sources, tmp_path):
    plain = _fetch(tmp_path, subset="test", random_state=4)
    held = _fetch(tmp_path, subset="test", holdout=0.3, random_state=4)
    assert_array_equal(held.data, plain.data)
    assert_array_equal(held.top_index, plain.top_index)
    assert_array_equal(held.bottom_index, plain.bottom_index)
    both = _fetch(tmp_path, subset="all", holdout=0.3, random_state=4)
    assert_array_equal(both.data[-len(plain.target):], plain.data)


# -- bad input -----------------------------------------------------------------------


@pytest.mark.parametrize("params, match", [
    ({"top": "kmnist"}, r"'top'.*among.*'fashion_mnist'.*Got 'kmnist'"),
    ({"bottom": "fashion_mnist", "bottom_classes": (1, "spaceship")},
     r"'bottom_classes'.*Fashion-MNIST classes: ints 0-9 or names.*'coat'.*"
     r"unknown class 'spaceship'"),
    ({"bottom": "fashion_mnist", "bottom_classes": (10, 1)},
     r"'bottom_classes'.*Fashion-MNIST classes: ints 0-9.*unknown class 10"),
    ({"correlation": 1.5}, r"'correlation'.*range \[0.0, 1.0\].*Got 1.5"),
    ({"correlation": -0.1}, r"'correlation'.*range \[0.0, 1.0\].*Got -0.1"),
    ({"holdout": 1.0}, r"'holdout'.*range \[0.0, 1.0\).*Got 1.0"),
    ({"holdout": -0.1}, r"'holdout'.*range \[0.0, 1.0\).*Got -0.1"),
    ({"top_classes": (0, 1, 2)}, r"'top_classes' and 'bottom_classes'.*same number"),
    ({"n_samples": 0}, r"'n_samples'"),
    ({"randomize": "mnist"}, r"'randomize'.*'bottom'.*'top'|'randomize'.*'top'.*'bottom'"),
    ({"subset": "validation"}, r"'subset'.*'holdout'"),
])
def test_bad_fetch_options_are_errors_before_any_download(tmp_path, params, match):
    with pytest.raises(InvalidParameterError, match=match):
        _fetch(tmp_path, **params)
    assert _cached_files(tmp_path) == []
    assert not (tmp_path / "image_sources").exists()


def test_more_fetched_samples_than_the_sources_allow(torchvision_sources, tmp_path):
    maximum = 2 * torchvision_sources.expected_pairs("train")
    assert len(_fetch(tmp_path, n_samples=maximum).target) == maximum
    with pytest.raises(ValueError, match=f"at most {maximum}"):
        _fetch(tmp_path, n_samples=maximum + 1)


def _side(shape, dtype=np.uint8, labels=None, pixel=None):
    """``(images, labels)`` of noise images, with labels 0, 1, 0, ... by default,
    and one pixel set to ``pixel`` if given."""
    images = np.random.default_rng(0).integers(0, 256, size=shape).astype(dtype)
    if images.dtype.kind == "f":
        images /= 255
    if pixel is not None:
        images.flat[images.size // 3] = pixel
    return images, np.arange(shape[0]) % 2 if labels is None else labels


GRAY, COLOUR = _side((20, 28, 28)), _side((20, 3, 32, 32))


@pytest.mark.parametrize("top, bottom, error, match", [
    pytest.param(_side((20, 2, 32, 32)), COLOUR, ValueError,
                 "2 channels and the bottom images 3", id="2-vs-3-channels"),
    pytest.param(_side((20, 28, 28), labels=np.arange(19) % 2), COLOUR, ValueError,
                 r"top labels must be one integer per image, of shape \(20,\)",
                 id="labels-of-the-wrong-length"),
    pytest.param(GRAY, _side((20, 3, 32, 32), labels=np.ones(20) / 2), ValueError,
                 "bottom labels must be one integer per image", id="float-labels"),
    pytest.param(GRAY, _side((20, 3, 32, 32), np.float32, pixel=1.5), ValueError,
                 r"bottom images are floats, so they must lie in \[0, 1\]",
                 id="floats-above-1"),
    pytest.param(_side((20, 28, 28), np.float32, pixel=-0.1), COLOUR, ValueError,
                 r"top images are floats, so they must lie in \[0, 1\]", id="floats-below-0"),
    pytest.param(_side((20, 28, 28), np.float32, pixel=np.nan), COLOUR, ValueError,
                 r"top images are floats.*\[0, 1\].*NaN", id="nan"),
    pytest.param(GRAY, _side((20, 3, 32, 32), np.float64, pixel=np.inf), ValueError,
                 r"bottom images are floats.*\[0, 1\].*infinity", id="infinity"),
    pytest.param(_side((20, 28, 28), np.int64), COLOUR, ValueError,
                 r"top images must be uint8 in \[0, 255\] or floats in \[0, 1\]; "
                 "got dtype int64", id="int64-images"),
    pytest.param(_side((20, 1, 1, 28, 28)), COLOUR, ValueError,
                 r"top images must be of shape \(n, C, H, W\), or \(n, H, W\)", id="5-d"),
    pytest.param(GRAY, _side((20, 32)), ValueError,
                 r"bottom images must be of shape \(n, C, H, W\)", id="2-d"),
    pytest.param(_side((0, 28, 28)), COLOUR, ValueError,
                 r"top images must be of shape .*n >= 1", id="no-image"),
    pytest.param(GRAY[0], COLOUR, InvalidParameterError,
                 r"'top' parameter of make_dominoes must be a pair", id="images-only"),
    pytest.param(GRAY, COLOUR[:1], InvalidParameterError,
                 r"'bottom' parameter of make_dominoes must be a pair", id="a-1-tuple"),
    pytest.param(GRAY, (*COLOUR, COLOUR[1]), InvalidParameterError,
                 r"'bottom' parameter of make_dominoes must be a pair", id="a-3-tuple"),
])
def test_incompatible_images_given_to_make_dominoes(top, bottom, error, match):
    with pytest.raises(error, match=match):
        make_dominoes(top, bottom, top_classes=(0, 1), bottom_classes=(0, 1))


@pytest.mark.parametrize("params, match", [
    ({"top_classes": (0, 1, 2)}, r"'top_classes' and 'bottom_classes'.*same number"),
    ({"bottom_classes": (0, 1, 2)}, r"'top_classes' and 'bottom_classes'.*same number"),
    ({"top_classes": (0, 10)}, r"'top_classes'.*labels of the top images.*unknown class 10"),
    ({"bottom_classes": (0, (0, 1))}, r"'bottom_classes'.*both label 0 and label 1"),
    ({"correlation": 1.5}, r"'correlation'.*\[0.0, 1.0\]"),
    ({"randomize": "both"}, r"'randomize'"),
])
def test_bad_classes_and_options_given_to_make_dominoes(digits, photos, params, match):
    with pytest.raises(InvalidParameterError, match=match):
        make_dominoes(digits, photos, **{**CLASSES, **params})
