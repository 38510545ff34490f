"""Recipes give each step typed options; a misspelled one is an error, never ignored."""

import re

import pytest

from sklearn_sb._cli import main
from sklearn_sb.experiments import RECIPES, Recipe, run_experiment
from sklearn_sb.experiments._architectures import ArchitecturesOptions
from sklearn_sb.experiments._cmnist_sd import CMNISTSDOptions
from sklearn_sb.experiments._dbat_dominoes import DBATDominoesOptions, _dominoes
from sklearn_sb.experiments._runner import SIZES, describe_sizes, resolve_options
from sklearn_sb.experiments._s_removed import SRemovedOptions
from sklearn_sb.experiments._steps import (
    NoOptions,
    RandomizedOptions,
    Table2Options,
    UAPOptions,
)


def _tiny(steps=("train", "uap"), **fields):
    """A seconds-long LMS-5 recipe; ``fields`` replace its own."""
    recipe = dict(
        description="a tiny LMS-5 run", dataset="lms5", sizes={"quick": (600, 200)},
        n_features=10, model={"module": "fcn", "module__width": 16, "lr": 0.1},
        max_epochs={"quick": 2}, steps=steps, options={"uap": {"eps": 1.0}},
    )
    return Recipe(**{**recipe, **fields})


@pytest.mark.parametrize("name", RECIPES)
@pytest.mark.parametrize("size", SIZES)
def test_every_recipe_resolves_at_every_size(name, size):
    options = resolve_options(name, RECIPES[name], size)
    assert list(options.steps) == list(RECIPES[name].steps)


@pytest.mark.parametrize("where", ["options", "quick", "full"])
def test_a_misspelled_step_option_is_an_error_naming_the_recipe_step_and_field(where):
    misspelled = {"uap": {"eps": 1.0, "method": ("svd",)}}
    options = misspelled if where == "options" else {"uap": {"eps": 1.0}, where: misspelled}
    recipe = _tiny(sizes={"quick": (600, 200), "full": (600, 200)}, options=options)
    # Checked at every size: a misspelling of the full size fails a quick run.
    with pytest.raises(TypeError) as error:
        resolve_options("tiny", recipe, "quick")
    message = str(error.value)
    assert "'tiny'" in message and "'uap'" in message and "['method']" in message
    assert "eps, methods, robust_accuracy" in message


def test_a_misspelled_option_stops_the_run_before_any_work(monkeypatch, tmp_path):
    monkeypatch.setitem(RECIPES, "tiny", _tiny(options={"uap": {"epsilon": 1.0}}))
    with pytest.raises(TypeError, match="'epsilon'"):
        run_experiment("tiny", size="quick", out=tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_a_step_that_takes_no_options_refuses_any():
    recipe = _tiny(options={"uap": {"eps": 1.0}, "train": {"max_epochs": 3}})
    with pytest.raises(TypeError, match=r"step 'train' unknown options \['max_epochs'\].*none"):
        resolve_options("tiny", recipe, "quick")


@pytest.mark.parametrize(
    "fields, match",
    [
        # Options of a step the recipe does not run.
        ({"options": {"uap": {"eps": 1.0}, "boundary": {}}}, "unknown option 'boundary'"),
        ({"options": {"uap": {"eps": 1.0}, "quick": {"n_feature": 5}}},
         r"unknown option 'n_feature' in options\['quick'\]"),
        # Parameters of a method the recipe does not name.
        ({"options": {"uap": {"eps": 1.0}, "method": {"n_estimators": 2}}},
         "unknown option 'method'"),
        # A required option not given.
        ({"options": {}}, r"does not give its step 'uap' the options \['eps'\]"),
    ],
)
def test_options_nothing_reads_and_missing_options_are_errors(fields, match):
    with pytest.raises(TypeError, match=match):
        resolve_options("tiny", _tiny(**fields), "quick")


def test_a_recipe_without_a_network_needs_none_unless_a_step_trains_one():
    without_network = _tiny(model=None, max_epochs=None)
    with pytest.raises(ValueError, match=r"no model and max_epochs.*\['train'\]"):
        resolve_options("tiny", without_network, "quick")
    assert resolve_options("tiny", _tiny(steps=("cmnist_sd",), model=None, max_epochs=None,
                                         options=RECIPES["cmnist-sd"].options), "quick")


def test_unknown_steps_and_sizes_are_errors():
    with pytest.raises(ValueError, match=r"unknown steps \['trian'\]"):
        resolve_options("tiny", _tiny(steps=("trian",)), "quick")
    with pytest.raises(ValueError, match=r"no size 'full'; its sizes are \['quick'\]"):
        resolve_options("tiny", _tiny(), "full")


def test_a_per_size_override_reaches_the_step(monkeypatch):
    recipe = _tiny(options={"uap": {"eps": 1.0},
                            "quick": {"uap": {"methods": ("svd",), "robust_accuracy": False}}})
    monkeypatch.setitem(RECIPES, "tiny", recipe)
    results = run_experiment("tiny", size="quick", progress=False).results
    assert "UAP budget on S (svd)" in results
    assert "UAP budget on S (sgd)" not in results
    assert not any(metric.startswith("robust accuracy") for metric in results)


# Today's values, written out: every number of a reproduction depends on them.
_S_REMOVED_IMAGES = {"module": "small_cnn", "lr": 0.05, "batch_size": 256,
                     "optimizer__momentum": 0.9, "optimizer__weight_decay": 5e-5,
                     "target_loss": 0.01, "target_accuracy": None}
_DBAT = dict(holdout=0.2, alpha=0.1, lr=1e-3, weight_decay=1e-5, batch_size=256,
             max_epochs=50, repeats=1,
             paper={1: "0.500 +- 0.000 (ERM)", 2: "0.733 +- 0.012"})
_CMNIST_PAPER = {("ERM", "train accuracy"): "0.9108",
                 ("ERM", "test accuracy"): "0.2370 +- 0.0076",
                 ("spectral decoupling", "train accuracy"): "0.7004",
                 ("spectral decoupling", "test accuracy"): "0.6840 +- 0.0124"}


@pytest.mark.parametrize(
    "name, size, steps, others",
    [
        ("lms5-uap", "default",
         {"train": NoOptions(), "randomized": RandomizedOptions(n_repeats=3),
          "uap": UAPOptions(eps=1.0, methods=("sgd", "svd"), robust_accuracy=True)},
         {"model": {}, "n_features": 50, "sizes": {}}),
        ("mnist-cifar-uap", "quick",
         {"train": NoOptions(), "randomized": RandomizedOptions(),
          "uap": UAPOptions(eps=5.0, methods=("sgd",), robust_accuracy=False)},
         {"model": {"batch_size": 32}}),
        ("mnist-cifar-uap", "full",
         {"train": NoOptions(), "randomized": RandomizedOptions(),
          "uap": UAPOptions(eps=5.0, methods=("sgd",), robust_accuracy=False)},
         {"model": {"module": "densenet121", "optimizer__momentum": 0.0}}),
        ("noisy-lms7", "quick",
         {"table2": Table2Options(architectures=[(100, 1), (200, 2)], grid={"lr": [0.1]},
                                  validation_fraction=0.2)}, {}),
        ("noisy-lms7", "default",
         {"table2": Table2Options(
             architectures=[(100, 1), (200, 1), (300, 1), (100, 2), (200, 2), (300, 2)],
             grid={"lr": [0.1], "optimizer__weight_decay": [5e-5]},
             validation_fraction=0.2)}, {}),
        ("s-removed", "quick",
         {"s_removed": SRemovedOptions(
             datasets=["lms5", "mnist-cifar"],
             models={"mnist-cifar": {**_S_REMOVED_IMAGES, "max_epochs": 2}},
             paper={"mnist-cifar": "0.954 (GoogLeNet)"})},
         {"n_features": 10, "sizes": {"mnist-cifar": (2_000, 1_000)}}),
        ("s-removed", "full",
         {"s_removed": SRemovedOptions(
             datasets=["lms5", "ms57", "mnist-cifar"],
             models={"ms57": {"lr": 0.05, "optimizer__momentum": 0.9},
                     "mnist-cifar": {**_S_REMOVED_IMAGES, "module": "googlenet",
                                     "optimizer__momentum": 0.0, "max_epochs": 30}},
             paper={"mnist-cifar": "0.954 (GoogLeNet)"})},
         {"n_features": 50, "sizes": {"mnist-cifar": (10_000, 1_960)}}),
        ("architectures", "quick",
         {"architectures": ArchitecturesOptions(
             datasets=["lms5"], models=RECIPES["architectures"].options["architectures"]["models"],
             eps={"lms5": 1.0, "ms57": 0.5},
             per_dataset={"ms57": {"FCN(100, 2)": {"lr": 0.05, "optimizer__momentum": 0.9},
                                   "CNN": {"lr": 0.05, "optimizer__momentum": 0.9}}})},
         {"n_features": 10}),
        ("mnist-cifar-dbat", "quick",
         {"dbat_dominoes": DBATDominoesOptions(**{**_DBAT, "max_epochs": 1}, n_train=200)}, {}),
        ("mnist-cifar-dbat", "full",
         {"dbat_dominoes": DBATDominoesOptions(**{**_DBAT, "repeats": 5}, n_train=None)}, {}),
        ("cmnist-sd", "quick",
         {"cmnist_sd": CMNISTSDOptions(restarts=1, erm_steps=20, sd_steps=40, strength=2e-5,
                                       anneal_steps=10, paper=_CMNIST_PAPER)}, {}),
        ("cmnist-sd", "full",
         {"cmnist_sd": CMNISTSDOptions(restarts=10, erm_steps=1001, sd_steps=2001,
                                       strength=2e-5, anneal_steps=450, paper=_CMNIST_PAPER)},
         {}),
        ("theorem1", "quick",
         {"train": NoOptions(), "theorem1": NoOptions(), "randomized": RandomizedOptions()},
         {"n_features": 50}),
        ("ensembles", "default",
         {"train": NoOptions(), "randomized": RandomizedOptions()},
         {"method": {"n_estimators": 3}}),
    ],
)
def test_the_resolved_options_are_those_of_the_recipes_today(name, size, steps, others):
    options = resolve_options(name, RECIPES[name], size)
    assert options.steps == steps
    defaults = {"method": {}, "model": {}, "n_features": 50, "sizes": {}}
    for option, expected in {**defaults, **others}.items():
        assert getattr(options, option) == expected, option


def test_recipes_name_a_network_only_where_a_step_trains_it():
    for name in ("mnist-cifar-dbat", "cmnist-sd"):
        assert RECIPES[name].model is None and RECIPES[name].max_epochs is None


def test_the_dbat_step_takes_its_dominoes_from_the_catalog():
    assert _dominoes("mnist-cifar") == ("mnist", "cifar10", (0, 1), (1, 9))
    assert _dominoes("mf-dominoes") == ("mnist", "fashion_mnist", (0, 1), (4, 3))
    with pytest.raises(ValueError, match=r"dominoes dataset, one of \['mnist-cifar', "
                                         r"'mf-dominoes'\]; 'lms5' is not one"):
        _dominoes("lms5")


@pytest.mark.parametrize(
    "name, size, expected",
    [
        ("lms5", "quick", "4,000 train / 1,000 test, 5 epochs"),
        ("lms5", "full", "100,000 train / 10,000 test, 100 epochs"),
        ("s-removed", "default",
         "100,000 train / 10,000 test (mnist-cifar: 10,000 / 1,960), 60 epochs"),
        ("mnist-cifar", "full", "10,000 train / 1,960 test, 30 epochs, resnet50"),
        ("noisy-lms7", "full",
         "40,000 train / 10,000 test, 100 epochs, 6 networks x 72 grid settings"),
        # Steps that draw their own data say what they use, and their budget.
        ("mnist-cifar-dbat", "quick", "200 train / all test pairs, 1 epoch, 1 repeat"),
        ("mnist-cifar-dbat", "full", "all train / all test pairs, 50 epochs, 5 repeats"),
        ("cmnist-sd", "quick", "50,000 train / 10,000 test, 1 restart of 20 ERM and 40 SD steps"),
        ("cmnist-sd", "full",
         "50,000 train / 10,000 test, 10 restarts of 1,001 ERM and 2,001 SD steps"),
    ],
)
def test_the_sizes_are_described_as_the_steps_use_them(name, size, expected):
    assert describe_sizes(name, size) == expected


@pytest.mark.parametrize("name", list(RECIPES))
def test_every_size_of_a_recipe_is_described_differently(name):
    descriptions = [describe_sizes(name, size) for size in SIZES]
    assert len(set(descriptions)) == len(descriptions)


def test_list_shows_every_size_of_every_recipe_in_short_lines(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    recipes = out.partition("Run one with")[0]
    assert max(map(len, recipes.splitlines())) < 120
    for name in RECIPES:
        block = re.search(rf"^  {re.escape(name)} .*?(?=^  \S|\Z)", recipes,
                          flags=re.MULTILINE | re.DOTALL).group()
        for size in SIZES:
            assert f"{size}: {describe_sizes(name, size)}" in " ".join(block.split())
