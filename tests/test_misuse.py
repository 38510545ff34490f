"""Fair but hostile use of the mitigation estimators and the commands, class by class.

Every case is a misuse that must end in a clear error naming what is
wrong (and nothing lost or half-fitted), or a use that must give the right
result. The classes:

* ``out``: an output directory holding files that no run wrote is refused,
  by both commands, and those files are kept;
* ``before``: what would fail after the work is refused before it;
* ``options``: every option given is used or refused;
* ``labels``: labels and groups given as a column are raveled with
  scikit-learn's ``DataConversionWarning``;
* ``errors``: errors point the right way (a penalty's weight, not only the
  learning rate; the data a frozen network was not fitted on);
* ``determinism``: the same ``random_state`` gives the same model.

The umask, read without being set, is tested in ``tests/utils/test_files.py``.
"""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import DataConversionWarning, NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.utils.validation import check_is_fitted
from skorch.dataset import ValidSplit

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb._cli import main
from sklearn_sb.experiments import run_benchmark, run_experiment
from sklearn_sb.experiments._output import write_results
from sklearn_sb.mitigation import (
    DBATClassifier,
    DFRClassifier,
    DivDisClassifier,
    GradientDiversityClassifier,
    GroupDROClassifier,
    OrthoPClassifier,
    SpectralDecoupling,
)
from sklearn_sb.utils._param_validation import InvalidParameterError

DATA = make_lms(300, 5, correlation=0.9, random_state=0, return_X_y=False)
X, Y, GROUPS = DATA.X, DATA.y, DATA.groups
X_VAL, Y_VAL = X[:60], Y[:60]
Y3 = np.arange(len(Y)) % 3


def _net(**params):
    return SBNetClassifier(**{"module__width": 8, "max_epochs": 1, "device": "cpu",
                              "random_state": 0, **params})


FITTED = _net().fit(X, Y)

# -- out ----------------------------------------------------------------------------


def _results_with(tmp_path, entry):
    """A directory of earlier results, plus ``entry`` that their run did not write."""
    out = tmp_path / "out"
    write_results(out, {"experiment": "earlier"}, figures={})
    if entry == "a folder":
        (out / "figures").mkdir()
        (out / "figures" / "mine.png").write_text("mine")
        return out, out / "figures" / "mine.png"
    if entry == "a symlink named as a result":
        (tmp_path / "mine.csv").write_text("mine")
        (out / "cells.csv").symlink_to(tmp_path / "mine.csv")
        return out, tmp_path / "mine.csv"
    (out / entry).write_text("mine")
    return out, out / entry


OUT_ENTRIES = ["notes.txt", ".hidden", "results.json.bak", "cells.csv", "a folder",
               "a symlink named as a result"]


@pytest.mark.parametrize("entry", OUT_ENTRIES)
@pytest.mark.parametrize("command", ["reproduce", "benchmark"])
def test_out_a_directory_with_a_file_no_run_wrote_is_refused_and_kept(tmp_path, command,
                                                                      entry):
    out, kept = _results_with(tmp_path, entry)
    run = {"reproduce": lambda: run_experiment("theorem1", size="quick", out=out,
                                               progress=False),
           "benchmark": lambda: run_benchmark(["erm"], ["lms5"], n_seeds=1, size="quick",
                                              n_jobs=1, out=out, progress=False)}[command]
    with pytest.raises(ValueError, match="holds earlier results and also"):
        run()
    assert kept.read_text() == "mine"


# -- before -------------------------------------------------------------------------


COUNTS = [("--n-jobs", "0"), ("--n-jobs", "-2"), ("--n-jobs", "100000"), ("--n-jobs", "1.5"),
          ("--seeds", "0"), ("--seeds", "100000000"), ("--n-hparams", "0"),
          ("--n-hparams", "1000000")]


@pytest.mark.parametrize("option, value", COUNTS, ids=[f"{o}={v}" for o, v in COUNTS])
def test_before_counts_out_of_bounds_are_parser_errors(option, value, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["benchmark", "--quick", "--methods", "erm", "--datasets", "lms5", option, value])
    assert exit_info.value.code == 2
    assert f"argument {option}" in capsys.readouterr().err


def test_before_the_benchmark_checks_out_before_its_runs(tmp_path, capsys, monkeypatch):
    import sklearn_sb.experiments._benchmark as benchmark

    out, kept = _results_with(tmp_path, "notes.txt")
    monkeypatch.setattr(benchmark, "run_cell", lambda *a, **k: pytest.fail("a run started"))
    with pytest.raises(SystemExit):
        main(["benchmark", "--quick", "--methods", "erm", "--datasets", "lms5", "--n-jobs",
              "1", "--out", str(out)])
    assert "argument --out" in capsys.readouterr().err and kept.read_text() == "mine"


VAL_LABELS = {"an unseen label": np.full(60, 7), "NaN": np.full(60, np.nan),
              "continuous": np.linspace(0, 1, 60), "strings": np.full(60, "pos")}


@pytest.mark.parametrize("labels", list(VAL_LABELS))
@pytest.mark.parametrize("make, fit_params", [
    (DBATClassifier, {"X_ood": X[:40]}), (GradientDiversityClassifier, {}),
    (OrthoPClassifier, {}),
])
def test_before_bad_validation_labels_are_refused_before_any_member_trains(
        make, fit_params, labels, monkeypatch):
    monkeypatch.setattr(make, "_fit_members",
                        lambda *a, **k: pytest.fail("a member trained before y_val was checked"))
    with pytest.raises(ValueError, match="y_val has labels that are not classes of y"):
        make(_net()).fit(X, Y, X_val=X_VAL, y_val=VAL_LABELS[labels], **fit_params)


# -- options ------------------------------------------------------------------------

OPTION_MISUSES = {
    "D-BAT adversarial given X_ood": (
        lambda: DBATClassifier(_net(), ood="adversarial").fit(X, Y, X_ood=X[:10]),
        r"ood='adversarial'\) uses no X_ood"),
    "D-BAT adversarial given an all-NaN X_ood": (
        lambda: DBATClassifier(_net(), ood="adversarial").fit(
            X, Y, X_ood=np.full((10, 5), np.nan)), "uses no X_ood"),
    "D-BAT given ood with simple_features": (
        lambda: DBATClassifier(_net()).fit(X, Y, X_ood=X[:10], simple_features="garbage"),
        r"ood='given'\) uses no simple_features"),
    "D-BAT binary agreement with three classes": (
        lambda: DBATClassifier(_net(), agreement="binary").fit(X, Y3, X_ood=X[:10]),
        "agreement='binary'.*y has 3"),
    "D-BAT oracle with a one-row X_ood": (
        lambda: DBATClassifier(_net(), ood="oracle").fit(X, Y, X_ood=X[:1],
                                                         simple_features=DATA),
        "at least 2 rows; got 1"),
    "spectral decoupling gamma longer than the classes": (
        lambda: _net(method=SpectralDecoupling(gamma=[0.0, 1.0, 2.0])).fit(X, Y),
        r"gamma has shape \(3,\)"),
    "spectral decoupling gamma shorter than the classes": (
        lambda: _net(method=SpectralDecoupling(gamma=[1.0])).fit(X, Y),
        r"gamma has shape \(1,\)"),
    "spectral decoupling 2-D gamma": (
        lambda: _net(method=SpectralDecoupling(gamma=[[1.0, 2.0]])).fit(X, Y),
        r"gamma has shape \(1, 2\)"),
    "spectral decoupling NaN gamma": (
        lambda: _net(method=SpectralDecoupling(gamma=float("nan"))).fit(X, Y),
        "gamma must be finite"),
    "spectral decoupling gamma with the annealed variant": (
        lambda: _net(method=SpectralDecoupling(gamma=1.0, variant="annealed")).fit(X, Y),
        "'annealed' one has no targets"),
    "DFR infinite C": (
        lambda: DFRClassifier(FrozenEstimator(FITTED), C=[np.inf]).fit(X, Y),
        "C must hold values above 0 and at most"),
    "DFR C of 1e300": (
        lambda: DFRClassifier(FrozenEstimator(FITTED), C=[1e300]).fit(X, Y),
        "C must hold values above 0 and at most"),
    "DFR negative C": (
        lambda: DFRClassifier(FrozenEstimator(FITTED), C=[-1.0]).fit(X, Y),
        "C must hold values above 0"),
}


@pytest.mark.parametrize("case", list(OPTION_MISUSES))
def test_options_every_option_given_is_used_or_refused(case):
    fit, message = OPTION_MISUSES[case]
    with pytest.raises((ValueError, InvalidParameterError), match=message):
        fit()


# -- labels -------------------------------------------------------------------------


def _fitted_pair(make, flat, column):
    """The model fitted on 1-D side data and on the same data as columns."""
    expected = make().fit(X, Y, **flat)
    with pytest.warns(DataConversionWarning, match="column-vector"):
        model = make().fit(X, Y, **column)
    return model, expected


@pytest.mark.parametrize("case", ["OrthoP y_val", "gradient diversity y_val",
                                  "D-BAT y_val", "group DRO groups", "DFR groups"])
def test_labels_columns_are_raveled_with_a_warning(case):
    make, flat = {
        "OrthoP y_val": (lambda: OrthoPClassifier(_net(), random_state=0),
                         {"X_val": X_VAL, "y_val": Y_VAL}),
        "gradient diversity y_val": (lambda: GradientDiversityClassifier(_net(), random_state=0),
                                     {"X_val": X_VAL, "y_val": Y_VAL}),
        "D-BAT y_val": (lambda: DBATClassifier(_net(), random_state=0),
                        {"X_ood": X[:40], "X_val": X_VAL, "y_val": Y_VAL}),
        "group DRO groups": (lambda: GroupDROClassifier(_net(), random_state=0),
                             {"groups": GROUPS}),
        "DFR groups": (lambda: DFRClassifier(FrozenEstimator(FITTED), n_refits=2,
                                             random_state=0),
                       {"X_val": X_VAL, "y_val": Y_VAL, "groups": GROUPS[:60]}),
    }[case]
    column = {key: (value[:, None] if key in ("y_val", "groups") else value)
              for key, value in flat.items()}
    model, expected = _fitted_pair(make, flat, column)
    np.testing.assert_array_equal(model.predict_logits(X), expected.predict_logits(X))


@pytest.mark.parametrize("flip", [False, True])
def test_labels_divdis_disambiguates_with_column_labels_as_with_a_vector(flip):
    divdis = DivDisClassifier(_net(max_epochs=3), random_state=0).fit(X, Y, X_ood=X[:60])
    labels = 1 - Y_VAL if flip else Y_VAL
    expected = divdis.disambiguate(X_VAL, labels).selected_
    with pytest.warns(DataConversionWarning):
        assert divdis.disambiguate(X_VAL, labels[:, None]).selected_ == expected
    with pytest.raises(ValueError, match="one label per row of X_query"):
        divdis.disambiguate(X_VAL, np.stack([labels, labels], axis=1))


# -- errors -------------------------------------------------------------------------

DIVERGING = {
    "D-BAT alpha": (lambda: DBATClassifier(_net(), alpha=1e30).fit(X, Y, X_ood=X[:40]),
                    r"DBATClassifier\(alpha=1e\+30\)"),
    "gradient diversity strength": (
        lambda: GradientDiversityClassifier(_net(), strength=1e30).fit(X, Y),
        r"GradientDiversityClassifier\(strength=1e\+30\)"),
    "DivDis diversity": (lambda: DivDisClassifier(_net(), diversity=1e30).fit(X, Y),
                         r"DivDisClassifier\(diversity=1e\+30\)"),
    "spectral decoupling strength": (
        lambda: _net(method=SpectralDecoupling(strength=1e30)).fit(X, Y),
        r"SpectralDecoupling\(strength=1e\+30\)"),
}


@pytest.mark.parametrize("case", list(DIVERGING))
def test_errors_a_diverging_penalty_is_named_beside_the_learning_rate(case):
    fit, penalty = DIVERGING[case]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(FloatingPointError, match=f"learning rate.*weaker penalty.*{penalty}"):
            fit()


ERRORS = {
    "gradient diversity with a validation split": (
        lambda: GradientDiversityClassifier(_net(train_split=ValidSplit(5))).fit(X, Y),
        "cannot score a validation split.*train_split=None"),
    "DivDis with a validation split": (
        lambda: DivDisClassifier(_net(train_split=ValidSplit(5))).fit(X, Y, X_ood=X[:40]),
        "cannot score a validation split.*train_split=None"),
    "DFR on a network of other features": (
        lambda: DFRClassifier(FrozenEstimator(_net().fit(X[:, :4], Y))).fit(X, Y),
        "fitted on 4 features, and X has 5"),
    "DFR on an integer network with string labels": (
        lambda: DFRClassifier(FrozenEstimator(FITTED)).fit(X, np.where(Y == 1, "a", "b")),
        r"classes \[0, 1\], and y has \['a', 'b'\]"),
    "DFR on a three-class network with two classes": (
        lambda: DFRClassifier(FrozenEstimator(_net().fit(X, Y3))).fit(X, Y),
        r"classes \[0, 1, 2\], and y has \[0, 1\]"),
    "DFR with groups of NaN": (
        lambda: DFRClassifier(FrozenEstimator(FITTED)).fit(
            X, Y, X_val=X_VAL, y_val=Y_VAL, groups=np.full(60, np.nan)),
        "groups holds NaN"),
    "group DRO with groups of NaN": (
        lambda: GroupDROClassifier(_net()).fit(X, Y, groups=np.full(len(Y), np.nan)),
        "groups holds NaN"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_say_what_is_wrong(case):
    fit, message = ERRORS[case]
    with pytest.raises(ValueError, match=message):
        fit()


# -- determinism --------------------------------------------------------------------


@pytest.mark.parametrize("make, fit_params", [
    (lambda rs: DFRClassifier(_net(random_state=None), n_refits=2, random_state=rs),
     {"X_val": X_VAL, "y_val": Y_VAL}),
    (lambda rs: DFRClassifier(_net(random_state=None), n_refits=2, random_state=rs), {}),
])
def test_determinism_dfr_seeds_the_network_it_fits(make, fit_params):
    first, again = (make(0).fit(X, Y, **fit_params) for _ in range(2))
    np.testing.assert_array_equal(first.predict_logits(X), again.predict_logits(X))
    assert not np.allclose(make(1).fit(X, Y, **fit_params).predict_logits(X),
                           first.predict_logits(X))


def test_options_a_refused_fit_leaves_nothing_fitted():
    dbat = DBATClassifier(_net(), agreement="binary")
    with pytest.raises(ValueError):
        dbat.fit(X, Y3, X_ood=X[:10])
    with pytest.raises(NotFittedError):
        check_is_fitted(dbat)
