"""The paper's synthetic datasets by name, as the command line offers them."""

from ._synthetic import make_lms, make_lsn, make_slabs

SYNTHETIC_DATASETS = {
    "lms5": (make_lms, {"n_slabs": 5}, "LMS-5: a linear coordinate and 5-slab ones"),
    "lms7": (make_lms, {"n_slabs": 7}, "LMS-7: a linear coordinate and 7-slab ones"),
    "noisy-lms7": (
        make_lms,
        {"n_slabs": 7, "noise": 0.1},
        "noisy LMS-7: 10% of the linear coordinate replaced by noise",
    ),
    "ms5": (make_slabs, {"n_slabs": 5}, "MS-5: 5-slab coordinates, all equally simple"),
    "ms57": (
        make_slabs,
        {"n_slabs": (5, 7)},
        "MS-(5,7): a 5-slab coordinate and 7-slab ones",
    ),
    "lsn": (make_lsn, {}, "LSN: linear and 3-slab singletons, Gaussian noise (Theorem 1)"),
}


def make_synthetic(name, n_samples, n_features, *, random_state=None):
    """Generate the named dataset as a Bunch."""
    func, options, _ = SYNTHETIC_DATASETS[name]
    return func(
        n_samples,
        n_features,
        **options,
        random_state=random_state,
        return_X_y=False,
    )
