"""The dataset catalog: every dataset by name, loaded through one function."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch

from sklearn_sb._cli import build_parser, main
from sklearn_sb.datasets import fetch_mnist_cifar, make_lms, make_lsn, make_slabs
from sklearn_sb.datasets import _catalog
from sklearn_sb.datasets._catalog import available_datasets, load_dataset, register_dataset
from sklearn_sb.utils._param_validation import InvalidParameterError

SYNTHETIC = [
    ("lms5", make_lms, {"n_slabs": 5}),
    ("lms7", make_lms, {"n_slabs": 7}),
    ("noisy-lms7", make_lms, {"n_slabs": 7, "noise": 0.1}),
    ("ms5", make_slabs, {"n_slabs": 5}),
    ("ms57", make_slabs, {"n_slabs": (5, 7)}),
    ("lsn", make_lsn, {}),
]


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry, restored after the test."""
    monkeypatch.setattr(_catalog._DATASETS, "_entries", _catalog.available_datasets())


def _load(request, name, tmp_path, **params):
    if available_datasets()[name].needs_download:
        request.getfixturevalue("torchvision_sources")
    return load_dataset(name, **{"n_features": 10, "random_state": 0,
                                 "data_home": tmp_path, **params})


def test_the_paper_datasets_are_registered():
    datasets = available_datasets()
    fetched = ["mnist-cifar", "mf-dominoes", "colored-mnist", "collages"]
    assert list(datasets) == [name for name, _, _ in SYNTHETIC] + fetched
    assert [name for name, entry in datasets.items() if entry.needs_download] == fetched
    assert all(entry.name == name and entry.description for name, entry in datasets.items())


@pytest.mark.parametrize("name", list(available_datasets()))
def test_every_dataset_loads_with_its_blocks(request, tmp_path, name):
    data = _load(request, name, tmp_path, n_train=30, n_test=10)
    n_features = data.X_train.shape[1]
    assert data.X_train.shape == (30, n_features) and data.X_test.shape == (10, n_features)
    assert data.y_train.shape == (30,) and data.y_test.shape == (10,)
    assert_array_equal(
        np.sort(np.concatenate([data.simple_features, data.complex_features])),
        np.arange(n_features),
    )
    assert data.rotation is None or data.rotation.shape == (n_features, n_features)
    assert data.feature_info.shape == (n_features,)
    assert data.description == available_datasets()[name].description
    assert data.DESCR


@pytest.mark.parametrize("name", list(available_datasets()))
def test_no_test_rows_gives_empty_test_arrays(request, tmp_path, name):
    data = _load(request, name, tmp_path, n_train=20, n_test=0)
    assert len(data.X_train) == len(data.y_train) == 20
    assert data.X_test.shape == (0, data.X_train.shape[1]) and data.y_test.shape == (0,)


@pytest.mark.parametrize("name, make, options", SYNTHETIC)
def test_synthetic_data_is_drawn_as_make_then_train_test_split(name, make, options):
    data = load_dataset(name, n_train=40, n_test=15, n_features=6, random_state=3)
    expected = make(55, 6, **options, random_state=3, return_X_y=False)
    split = train_test_split(expected.X, expected.y, test_size=15, random_state=3)
    for key, value in zip(["X_train", "X_test", "y_train", "y_test"], split):
        assert_array_equal(data[key], value)
    for key in ["rotation", "simple_features", "complex_features", "feature_info"]:
        assert_array_equal(data[key], expected[key])
    assert data.parameters == expected.parameters


def test_mnist_cifar_draws_random_rows_of_the_train_and_test_pairs(torchvision_sources,
                                                                    tmp_path):
    data = load_dataset("mnist-cifar", n_train=50, n_test=20, random_state=4,
                        data_home=tmp_path)
    options = dict(data_home=tmp_path, random_state=4, verbose=0)
    train = fetch_mnist_cifar(subset="train", **options)
    test = fetch_mnist_cifar(subset="test", **options)
    rng = np.random.RandomState(4)
    keep_train = rng.permutation(len(train.target))[:50]
    keep_test = rng.permutation(len(test.target))[:20]
    assert_array_equal(data.X_train, train.data[keep_train])
    assert_array_equal(data.y_train, train.target[keep_train])
    assert_array_equal(data.X_test, test.data[keep_test])
    assert_array_equal(data.y_test, test.target[keep_test])
    assert_array_equal(data.simple_features, train.simple_features)
    assert data.rotation is None
    assert set(data.feature_info[data.simple_features]) == {"MNIST pixel"}
    assert set(data.feature_info[data.complex_features]) == {"CIFAR-10 pixel"}


def test_unknown_names_list_the_available_ones():
    with pytest.raises(InvalidParameterError,
                       match=r"'name' parameter of load_dataset.*'lms5'.*'mnist-cifar'.*'lms9'"):
        load_dataset("lms9", n_train=10, n_test=0)


def test_a_registered_dataset_reaches_the_command_line(registry, capsys):
    @register_dataset("toy", description="one informative coordinate")
    def load_toy(*, n_train, n_test, n_features, random_state, **_):
        rng = np.random.RandomState(random_state)
        y = rng.randint(2, size=n_train + n_test)
        X = rng.uniform(size=(len(y), n_features))
        X[:, 0] += 2 * y
        return Bunch(X_train=X[:n_train], X_test=X[n_train:], y_train=y[:n_train],
                     y_test=y[n_train:], simple_features=np.array([0]),
                     complex_features=np.arange(1, n_features), rotation=None,
                     feature_info=np.array(["shifted"] + ["noise"] * (n_features - 1)),
                     DESCR="A toy.")

    assert available_datasets()["toy"].loader is load_toy
    assert build_parser().parse_args(["describe", "toy"]).dataset == "toy"
    assert main(["describe", "toy", "--n-samples", "200", "--n-features", "4"]) == 0
    out = capsys.readouterr().out
    assert "toy: one informative coordinate" in out
    assert "separates the classes on: S." in out
    with pytest.raises(ValueError, match="already registered"):
        register_dataset("toy", load_toy, description="again")

