"""The MNIST-CIFAR dataset: an MNIST digit stacked on top of a CIFAR-10 image."""

from ..utils._param_validation import StrOptions, validate_params
from ._dominoes import _Naming, fetch_named
from ._sources import FETCH_CONSTRAINTS

_NAMING = _Naming("fetch_mnist_cifar", "mnist_classes", "cifar_classes", "MNIST-CIFAR")
_RANDOMIZED_BLOCK = {"mnist": "top", "cifar": "bottom", None: None}


@validate_params(
    {
        "subset": [StrOptions({"train", "test", "all"})],
        "mnist_classes": [tuple, list],
        "cifar_classes": [tuple, list],
        "randomize": [StrOptions({"mnist", "cifar"}), None],
        "reuse_mnist": ["boolean"],
        **FETCH_CONSTRAINTS,
    },
    prefer_skip_nested_validation=True,
)
def fetch_mnist_cifar(
    *,
    subset="train",
    mnist_classes=(0, 1),
    cifar_classes=(1, 9),
    randomize=None,
    reuse_mnist=False,
    data_home=None,
    download_if_missing=True,
    random_state=None,
    return_X_y=False,
    n_retries=3,
    delay=1.0,
    verbose=1,
):
    """Load the MNIST-CIFAR dataset (classification), downloading it if needed.

    Every image stacks an MNIST digit (top) on a CIFAR-10 image (bottom).
    With the defaults, label 0 pairs a digit 0 with an automobile and label 1
    a digit 1 with a truck: both blocks are fully predictive, and the MNIST
    block (S) is the simpler one. Images are 3 x 64 x 32 with values in
    [0, 1]: the 28 x 28 digit is zero-padded by 2 pixels on every side and
    replicated on the three channels; no normalization is applied.

    Pairs are built as in the paper: the images of each label's classes are
    shuffled, on each side, all groups are truncated to the size of the
    smallest, and the i-th MNIST image of a label is paired with its i-th
    CIFAR image. Defaults give 10,000 training images (5,000 per class) and
    1,960 test images (980 per class).

    The first call downloads MNIST and CIFAR-10 with :mod:`torchvision`
    (its addresses and checksums) and caches the decoded images in
    ``data_home/image_sources``; later calls read that cache only.

    Read more in the :ref:`User Guide <datasets>`.

    Parameters
    ----------
    subset : {'train', 'test', 'all'}, default='train'
        The training pairs, the test pairs (built from the MNIST and CIFAR-10
        test sets), or both, training pairs first.
    mnist_classes : sequence of int or of tuple of int, default=(0, 1)
        The MNIST digits of each label: entry ``i`` is a digit or a tuple of
        digits for label ``i``. A class may go to one label only.
    cifar_classes : sequence of int, str or tuple, default=(1, 9)
        The CIFAR-10 classes of each label, as indices or names
        ('automobile', 'truck', ...), one entry per label as for
        ``mnist_classes``.
    randomize : {'mnist', 'cifar'} or None, default=None
        'mnist' pairs every CIFAR image with an MNIST image drawn
        independently of the label (one permutation of the MNIST images over
        all rows), so only the CIFAR block predicts the label: the paper's
        MNIST-randomized set. 'cifar' does the same to the CIFAR block.
    reuse_mnist : bool, default=False
        Use every CIFAR-10 image of the chosen classes, cycling through the
        shuffled MNIST images of the label when there are fewer of them. With
        ``cifar_classes=((0, 1, 2, 3, 4), (5, 6, 7, 8, 9))`` this gives the
        paper's 50,000 training and 10,000 test images.
    data_home : str or path-like, default=None
        Folder of the cache. By default all scikit-learn data is stored in
        '~/scikit_learn_data' (or the ``SCIKIT_LEARN_DATA`` environment
        variable). Whoever can write this folder decides what is read: see
        :ref:`cache-trust`.
    download_if_missing : bool, default=True
        If False, raise an OSError when the data is not in the cache instead
        of downloading it.
    random_state : int, RandomState instance or None, default=None
        Determines the pairing and the order of the rows. With an int,
        ``subset='all'`` is ``'train'`` followed by ``'test'``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    n_retries : int, default=3
        Number of retries when a download fails.
    delay : float, default=1.0
        Seconds between retries.
    verbose : int, default=1
        0 is silent; otherwise progress bars while downloading and building.

    Returns
    -------
    dataset : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (n_samples, 6144), float32
            The flattened images, for pipelines; a view of ``images``.
        images : ndarray of shape (n_samples, 3, 64, 32), float32
            The images, channels first, MNIST on top.
        target : ndarray of shape (n_samples,)
            The labels 0, 1, ...
        target_names : ndarray of str
            'MNIST classes / CIFAR classes' of each label.
        simple_features : ndarray of int
            Indices in ``data`` of the MNIST block S: rows 0 to 31 of every
            channel.
        complex_features : ndarray of int
            Indices in ``data`` of the CIFAR block S^c: rows 32 to 63.
        rotation : None
            The data is not rotated; with ``simple_features`` this lets
            :func:`~sklearn_sb.inspection.randomized_scores` and
            :class:`~sklearn_sb.inspection.RandomizedFeatureScorer` take the
            Bunch itself.
        mnist_index, cifar_index : ndarray of shape (n_samples,)
            The source image of each row in torchvision's MNIST and CIFAR-10
            order; with ``subset='all'``, test images are numbered after the
            training ones.
        mnist_target, cifar_target : ndarray of shape (n_samples,)
            The MNIST digit and the CIFAR-10 class of each row.
        DESCR : str
            Description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True

    Raises
    ------
    OSError
        When the data is not cached and ``download_if_missing=False``, or
        when the download fails after the retries (a checksum mismatch
        included). Nothing incomplete is left in the cache.

    See Also
    --------
    sklearn_sb.inspection.randomized_scores : Scores with S or S^c randomized.

    Examples
    --------
    >>> from sklearn_sb.datasets import fetch_mnist_cifar
    >>> data = fetch_mnist_cifar(subset="test", random_state=0)  # doctest: +SKIP
    >>> data.images.shape, data.data.shape  # doctest: +SKIP
    ((1960, 3, 64, 32), (1960, 6144))
    >>> data.target_names  # doctest: +SKIP
    array(['0 / automobile', '1 / truck'], dtype='<U14')
    >>> randomized = fetch_mnist_cifar(randomize="mnist")  # doctest: +SKIP
    """
    data = fetch_named(
        "mnist", "cifar10", subset=subset, top_classes=mnist_classes,
        bottom_classes=cifar_classes, correlation=1.0, holdout=0.0, n_samples=None,
        randomize=_RANDOMIZED_BLOCK[randomize], reuse_top=reuse_mnist, data_home=data_home,
        download_if_missing=download_if_missing, random_state=random_state,
        return_X_y=return_X_y, n_retries=n_retries, delay=delay, verbose=verbose,
        naming=_NAMING, descr="mnist_cifar.rst",
    )
    if return_X_y:
        return data
    del data["groups"]
    for side, source in (("top", "mnist"), ("bottom", "cifar")):
        for what in ("index", "target"):
            data[f"{source}_{what}"] = data.pop(f"{side}_{what}")
    return data
