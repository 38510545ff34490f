"""The dataset catalog: every dataset by name, loaded through one function."""

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from sklearn.model_selection import train_test_split
from sklearn.utils import Bunch

from sklearn_sb._cli import build_parser, main
from sklearn_sb.datasets import (
    fetch_dominoes,
    fetch_mnist_cifar,
    make_lms,
    make_lsn,
    make_slabs,
)
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
    if not available_datasets()[name].needs_download:
        assert data.groups_train.shape == (30,) and data.groups_test.shape == (10,)


@pytest.mark.parametrize("name", list(available_datasets()))
def test_no_test_rows_gives_empty_test_arrays(request, tmp_path, name):
    data = _load(request, name, tmp_path, n_train=20, n_test=0)
    assert len(data.X_train) == len(data.y_train) == 20
    assert data.X_test.shape == (0, data.X_train.shape[1]) and data.y_test.shape == (0,)
    if "groups_train" in data:
        assert data.groups_train.shape == (20,) and data.groups_test.shape == (0,)


@pytest.mark.parametrize("name, make, options", SYNTHETIC)
def test_synthetic_data_is_drawn_as_make_then_train_test_split(name, make, options):
    data = load_dataset(name, n_train=40, n_test=15, n_features=6, random_state=3)
    expected = make(55, 6, **options, random_state=3, return_X_y=False)
    split = train_test_split(expected.X, expected.y, expected.groups, test_size=15,
                             random_state=3)
    keys = ["X_train", "X_test", "y_train", "y_test", "groups_train", "groups_test"]
    for key, value in zip(keys, split):
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


@pytest.mark.parametrize(
    "name, generator_params",
    [
        ("lms5", {"correlation": 0.9}),
        ("noisy-lms7", {"noise": 0.2}),
        ("noisy-lms7", {"noise": 0.2, "correlation": 0.8}),
        ("lms5", {"n_slabs": 7}),
        ("ms57", {"margin": 0.05}),
        ("lsn", {"correlation": 0.5, "linear_margin": 2.0}),
    ],
)
def test_generator_params_override_the_catalog_options(name, generator_params):
    make, options = {entry[0]: entry[1:] for entry in SYNTHETIC}[name]
    data = load_dataset(name, n_train=40, n_test=15, n_features=6,
                        generator_params=generator_params, random_state=3)
    expected = make(55, 6, **{**options, **generator_params}, random_state=3,
                    return_X_y=False)
    split = train_test_split(expected.X, expected.y, expected.groups, test_size=15,
                             random_state=3)
    keys = ["X_train", "X_test", "y_train", "y_test", "groups_train", "groups_test"]
    for key, value in zip(keys, split):
        assert_array_equal(data[key], value)
    assert data.parameters == expected.parameters
    assert all(data.parameters[key] == value for key, value in generator_params.items())


@pytest.mark.parametrize("name", [name for name, _, _ in SYNTHETIC])
def test_empty_generator_params_change_nothing(name):
    data = load_dataset(name, n_train=30, n_test=10, n_features=5, random_state=0)
    same = load_dataset(name, n_train=30, n_test=10, n_features=5, random_state=0,
                        generator_params={})
    for key in ["X_train", "X_test", "y_train", "y_test", "groups_train", "groups_test"]:
        assert_array_equal(same[key], data[key])
    assert same.parameters == data.parameters


@pytest.mark.parametrize("n_test", [0, 50])
def test_groups_align_with_the_rows_of_the_split(n_test):
    data = load_dataset("lms5", n_train=200, n_test=n_test, n_features=6,
                        generator_params={"correlation": 0.8}, random_state=1)
    for subset in ("train", "test"):
        X, y, groups = data[f"X_{subset}"], data[f"y_{subset}"], data[f"groups_{subset}"]
        assert len(groups) == len(y)
        assert_array_equal(groups // 2, y)
        # The group's second half is the side of the linear coordinate S.
        assert_array_equal(groups % 2, (X @ data.rotation.T)[:, 0] > 0)
    minority = np.isin(np.concatenate([data.groups_train, data.groups_test]), (1, 2))
    assert minority.sum() == round(0.2 * (200 + n_test))


def test_unknown_generator_params_name_the_accepted_ones():
    with pytest.raises(ValueError, match=r"\['n_slab'\].*make_lms.*'n_slabs'.*'correlation'"):
        load_dataset("lms5", n_train=10, n_test=0, generator_params={"n_slab": 7})
    # Seeding is load_dataset's own option.
    with pytest.raises(ValueError, match=r"\['random_state'\]"):
        load_dataset("lsn", n_train=10, n_test=0, generator_params={"random_state": 1})


def test_a_bad_generator_value_names_the_parameter():
    # The generator checks it, in load_dataset's name, as scikit-learn reports
    # the errors of the functions a validated function delegates to.
    with pytest.raises(InvalidParameterError,
                       match=r"'correlation' parameter of load_dataset .*\[0.0, 1.0\]"):
        load_dataset("lms5", n_train=10, n_test=0, generator_params={"correlation": 1.5})


def test_generator_params_must_be_a_dict():
    with pytest.raises(InvalidParameterError, match="'generator_params' parameter"):
        load_dataset("lms5", n_train=10, n_test=0, generator_params=[("noise", 0.1)])


@pytest.mark.parametrize(
    "name", [name for name, entry in available_datasets().items() if entry.needs_download]
)
def test_a_fetched_dataset_refuses_generator_params(tmp_path, name):
    # Refused before anything is read: nothing is cached in tmp_path and
    # download_if_missing=False would raise an OSError.
    with pytest.raises(ValueError, match="synthetic datasets.*fetched"):
        load_dataset(name, n_train=10, n_test=5, generator_params={"correlation": 0.9},
                     data_home=tmp_path, download_if_missing=False)


def test_fetched_groups_are_the_fetchers_on_the_same_rows(torchvision_sources, tmp_path):
    data = load_dataset("mf-dominoes", n_train=50, n_test=20, random_state=4,
                        data_home=tmp_path)
    options = dict(bottom_classes=(4, 3), data_home=tmp_path, random_state=4, verbose=0)
    train = fetch_dominoes("mnist", "fashion_mnist", subset="train", **options)
    test = fetch_dominoes("mnist", "fashion_mnist", subset="test", **options)
    rng = np.random.RandomState(4)
    keep_train = rng.permutation(len(train.target))[:50]
    keep_test = rng.permutation(len(test.target))[:20]
    assert_array_equal(data.groups_train, train.groups[keep_train])
    assert_array_equal(data.groups_test, test.groups[keep_test])
    assert_array_equal(data.groups_train // 2, data.y_train)
    # MNIST-CIFAR's fetcher has no groups.
    assert "groups_train" not in load_dataset("mnist-cifar", n_train=5, n_test=5,
                                              random_state=0, data_home=tmp_path)


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

