"""SBNetClassifier behaves like a scikit-learn classifier and trains the paper's nets."""

import math
import pickle
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, cross_validate, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import InvalidParameterError
from skorch.dataset import ValidSplit

from sklearn_sb import SBNetClassifier, make_lms, make_lsn
from sklearn_sb.callbacks import EpochProgressBar
from sklearn_sb.networks import BinaryHingeLoss, Theorem1Net

def small_net(**params):
    defaults = dict(module__width=32, module__depth=1, max_epochs=30, random_state=0)
    return SBNetClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def lms():
    X, y = make_lms(3000, 20, random_state=0)
    return train_test_split(X, y, test_size=1000, random_state=0)


@pytest.fixture(scope="module")
def fitted(lms):
    X_train, _, y_train, _ = lms
    return small_net(max_epochs=10).fit(X_train, y_train)


# scikit-learn's estimator checks run over every estimator in tests/test_common.py.


# -- learning the paper's data ------------------------------------------------


def test_fcn_100_2_learns_lms_to_99_percent():
    X, y = make_lms(25_000, 50, random_state=0)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=20_000, random_state=0
    )
    clf = SBNetClassifier(
        "fcn", module__width=100, module__depth=2, max_epochs=10, random_state=0
    )
    assert clf.fit(X_train, y_train).score(X_test, y_test) >= 0.99


def test_theorem1_net_learns_the_linear_coordinate_not_the_slab():
    d = 50
    X, y = make_lsn(2000, d, random_state=0)
    clf = SBNetClassifier(
        "theorem1",
        module__n_hidden=100,
        lr=1 / math.sqrt(math.log(d)),
        batch_size=-1,
        max_epochs=10,
        random_state=0,
    ).fit(X, y)
    weights = clf.module_.hidden.weight.detach().abs()
    assert weights[:, 0].mean() >= 5 * weights[:, 1].mean()
    assert isinstance(clf.criterion_, BinaryHingeLoss)


def test_theorem1_output_weights_are_not_trained():
    X, y = make_lsn(200, 10, random_state=0)
    clf = SBNetClassifier("theorem1", batch_size=-1, max_epochs=3, random_state=0)
    clf.fit(X, y)
    trained = [name for name, _ in clf.module_.named_parameters()]
    assert trained == ["hidden.weight"]
    assert torch.equal(
        clf.module_.output_weights, Theorem1Net(10).output_weights
    )


@pytest.mark.parametrize(
    "module, options, accuracy",
    [
        ("fcn", dict(max_epochs=8), 0.9),
        ("cnn", dict(max_epochs=8), 0.9),
        # Read one coordinate at a time, the rotated rows are a hard sequence
        # task for plain SGD; Adam gets the GRU there in a few epochs.
        ("gru", dict(max_epochs=10, batch_size=64, optimizer=torch.optim.Adam, lr=0.01), 0.85),
    ],
)
def test_networks_for_tabular_data_learn_lms(module, options, accuracy, lms):
    X_train, X_test, y_train, y_test = lms
    clf = SBNetClassifier(module, random_state=0, **options)
    assert clf.fit(X_train, y_train).score(X_test, y_test) >= accuracy


def test_small_cnn_on_image_arrays_and_flat_rows():
    rng = np.random.RandomState(0)
    y = np.arange(64) % 2
    images = rng.uniform(size=(64, 3, 64, 32)).astype(np.float32)
    images[y == 1, :, :32] += 1.0  # the top half tells the class
    clf = SBNetClassifier(
        "small_cnn", lr=0.05, optimizer__momentum=0.9, max_epochs=20, batch_size=16,
        random_state=0,
    )
    clf.fit(images, y)
    assert clf.input_shape_ == (3, 64, 32)
    assert clf.score(images, y) == 1.0
    flat = SBNetClassifier("small_cnn", max_epochs=1, random_state=0)
    flat.fit(images.reshape(64, -1), y)
    assert flat.predict(images.reshape(64, -1)).shape == (64,)


# -- stopping rule, validation, progress --------------------------------------


def test_stops_once_training_accuracy_reaches_the_target(lms):
    X_train, _, y_train, _ = lms
    clf = small_net(max_epochs=200, target_accuracy=0.99).fit(X_train, y_train)
    assert len(clf.history) < 200
    assert clf.history[-1, "target_reached"] is True
    assert clf.history[-1, "train_acc"] >= 0.99
    assert not any(clf.history[:-1, "target_reached"])


def test_stops_once_training_loss_falls_below_the_target(lms):
    X_train, _, y_train, _ = lms
    clf = small_net(max_epochs=200, target_loss=0.05).fit(X_train, y_train)
    assert len(clf.history) < 200
    assert clf.history[-1, "train_full_loss"] < 0.05


def test_validation_split_keeps_the_best_validation_weights(lms):
    X_train, _, y_train, _ = lms
    clf = small_net(max_epochs=6, lr=1.5, train_split=ValidSplit(0.3, random_state=0))
    clf.fit(X_train, y_train)
    valid_acc = clf.history[:, "valid_acc"]
    best_epoch = int(np.argmax(valid_acc))
    cv = ValidSplit(0.3, random_state=0)
    train_idx, valid_idx = next(
        cv.check_cv(y_train).split(X_train, y_train)
    )
    restored = clf.score(X_train[valid_idx], y_train[valid_idx])
    assert restored == pytest.approx(valid_acc[best_epoch])
    assert clf.history[best_epoch, "valid_acc_best"] is True


def test_silent_by_default_and_progress_bar_when_verbose(lms, capsys):
    X_train, _, y_train, _ = lms
    small_net(max_epochs=2).fit(X_train, y_train)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""
    small_net(max_epochs=2, verbose=1).fit(X_train, y_train)
    assert "2/2" in capsys.readouterr().err


def test_the_progress_bar_counts_an_epoch_a_stopping_rule_ended(lms, capsys):
    X_train, _, y_train, _ = lms
    clf = small_net(max_epochs=200, target_accuracy=0.9, verbose=1).fit(X_train, y_train)
    epochs = len(clf.history)
    assert epochs < 200
    final = capsys.readouterr().err.split("\r")[-1]
    assert f"{epochs}/200" in final and "train_acc" in final


def test_the_progress_bar_moves_within_an_epoch(lms, capsys):
    X_train, _, y_train, _ = lms
    bar = EpochProgressBar(refresh_seconds=0)
    small_net(max_epochs=2, batch_size=64, callbacks=[bar]).fit(X_train, y_train)
    frames = capsys.readouterr().err.split("\r")
    # 32 batches an epoch: the bar shows the share done, a tenth at a time.
    assert any("0.5/2" in frame for frame in frames)
    assert any("1.5/2" in frame for frame in frames)
    assert "2/2" in frames[-1]


def test_verbose_2_prints_a_table_per_epoch(lms, capsys):
    X_train, _, y_train, _ = lms
    small_net(max_epochs=2, verbose=2).fit(X_train, y_train)
    assert "train_loss" in capsys.readouterr().out


# -- determinism ---------------------------------------------------------------


def test_same_seed_gives_identical_weights_on_cpu(lms):
    X_train, _, y_train, _ = lms
    first = small_net(max_epochs=3, random_state=42).fit(X_train, y_train)
    second = small_net(max_epochs=3, random_state=42).fit(X_train, y_train)
    other = small_net(max_epochs=3, random_state=7).fit(X_train, y_train)
    for a, b in zip(first.module_.parameters(), second.module_.parameters()):
        assert torch.equal(a, b)
    assert not all(
        torch.equal(a, b)
        for a, b in zip(first.module_.parameters(), other.module_.parameters())
    )


def test_fitting_with_a_seed_leaves_torch_global_generator_alone(lms):
    X_train, _, y_train, _ = lms
    torch.manual_seed(0)
    expected = torch.rand(3)
    torch.manual_seed(0)
    small_net(max_epochs=1).fit(X_train, y_train)
    assert torch.equal(torch.rand(3), expected)


# -- scikit-learn tooling -------------------------------------------------------


def test_grid_search_over_width_and_lr(lms):
    X_train, _, y_train, _ = lms
    grid = GridSearchCV(
        small_net(max_epochs=3),
        {"module__width": [8, 32], "lr": [0.05, 0.2]},
        cv=3,
    ).fit(X_train, y_train)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_estimator_.module_.layers[1].out_features in (8, 32)
    assert grid.best_score_ > 0.8


def test_clone_keeps_parameters_and_drops_fitted_state(fitted):
    copy = clone(fitted)
    assert copy.get_params()["module__width"] == 32
    assert copy.get_params()["lr"] == fitted.lr
    assert not hasattr(copy, "module_")


def test_pipeline_with_standard_scaler(lms):
    X_train, X_test, y_train, y_test = lms
    pipe = make_pipeline(StandardScaler(), small_net(max_epochs=5))
    assert pipe.fit(X_train, y_train).score(X_test, y_test) > 0.9


def test_cross_validate_with_several_scorers(lms):
    X_train, _, y_train, _ = lms
    scores = cross_validate(
        small_net(max_epochs=3), X_train, y_train, cv=3,
        scoring=["accuracy", "roc_auc", "neg_log_loss"],
    )
    assert np.all(scores["test_roc_auc"] > 0.8)
    assert np.all(scores["test_neg_log_loss"] < 0)


@pytest.mark.parametrize("dump", ["pickle", "joblib"])
def test_persistence_keeps_predictions(fitted, lms, dump, tmp_path):
    X_test = lms[1]
    if dump == "pickle":
        loaded = pickle.loads(pickle.dumps(fitted))
    else:
        joblib.dump(fitted, tmp_path / "net.joblib")
        loaded = joblib.load(tmp_path / "net.joblib")
    np.testing.assert_array_equal(loaded.predict_proba(X_test), fitted.predict_proba(X_test))
    assert loaded.device == "auto"


def test_model_saved_for_cuda_loads_on_a_cpu_only_machine(fitted, lms, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    on_cuda = pickle.loads(pickle.dumps(fitted))
    on_cuda.device, on_cuda.device_ = "cuda", "cuda"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = pickle.loads(pickle.dumps(on_cuda))
    assert loaded.device_ == "cpu"
    assert next(loaded.module_.parameters()).device.type == "cpu"
    np.testing.assert_array_equal(loaded.predict(lms[1]), fitted.predict(lms[1]))


def test_device_auto_resolves_to_cpu_without_cuda(fitted):
    assert fitted.device == "auto"
    assert fitted.device_ == ("cuda" if torch.cuda.is_available() else "cpu")


def test_warm_start_continues_training(lms):
    X_train, _, y_train, _ = lms
    clf = small_net(max_epochs=2, warm_start=True).fit(X_train, y_train)
    weights = [p.detach().clone() for p in clf.module_.parameters()]
    clf.fit(X_train, y_train)
    assert len(clf.history) == 4
    assert not all(torch.equal(a, b) for a, b in zip(weights, clf.module_.parameters()))


def test_skorch_options_pass_through(lms):
    X_train, _, y_train, _ = lms
    clf = small_net(max_epochs=1, optimizer__momentum=0.9, optimizer__weight_decay=5e-4)
    clf.fit(X_train, y_train)
    group = clf.optimizer_.param_groups[0]
    assert group["momentum"] == 0.9 and group["weight_decay"] == 5e-4


# -- inputs and outputs ----------------------------------------------------------


def test_outputs_are_the_logits_their_difference_and_softmax(fitted, lms):
    X_test = lms[1]
    logits = fitted.predict_logits(X_test)
    assert logits.shape == (len(X_test), 2)
    np.testing.assert_allclose(
        fitted.decision_function(X_test), logits[:, 1] - logits[:, 0], rtol=1e-6
    )
    expected = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(fitted.predict_proba(X_test), expected, rtol=1e-5)
    np.testing.assert_array_equal(fitted.predict(X_test), logits.argmax(axis=1))


def test_any_label_type_and_classes(lms):
    X_train, X_test, y_train, _ = lms
    labels = np.array(["simple", "complex"])[y_train]
    clf = small_net(max_epochs=3).fit(X_train, labels)
    np.testing.assert_array_equal(clf.classes_, ["complex", "simple"])
    assert set(clf.predict(X_test)) <= {"complex", "simple"}


def test_multiclass_targets(lms):
    X_train, X_test, y_train, _ = lms
    y3 = (X_train[:, 0] > 0).astype(int) + y_train
    clf = small_net(max_epochs=3).fit(X_train, y3)
    assert clf.predict_proba(X_test).shape == (len(X_test), 3)
    assert clf.decision_function(X_test).shape == (len(X_test), 3)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_numeric_dtypes_are_cast_to_float32(dtype, lms):
    X_train, _, y_train, _ = lms
    X = (X_train * 10).astype(dtype)
    clf = small_net(max_epochs=1).fit(X, y_train)
    assert clf.predict(X).shape == y_train.shape


def test_dataframe_input_records_feature_names(lms):
    X_train, X_test, y_train, _ = lms
    columns = [f"x{i}" for i in range(X_train.shape[1])]
    clf = small_net(max_epochs=1).fit(pd.DataFrame(X_train, columns=columns), y_train)
    np.testing.assert_array_equal(clf.feature_names_in_, columns)
    assert clf.n_features_in_ == X_train.shape[1]
    clf.predict(pd.DataFrame(X_test, columns=columns))


def test_torch_tensor_input(lms):
    X_train, X_test, y_train, _ = lms
    clf = small_net(max_epochs=1).fit(torch.from_numpy(X_train), torch.from_numpy(y_train))
    assert clf.predict(torch.from_numpy(X_test)).shape == (len(X_test),)


def test_a_module_class_receives_the_data_sizes(lms):
    X_train, _, y_train, _ = lms

    class Linear(torch.nn.Module):
        def __init__(self, n_features, n_classes):
            super().__init__()
            self.linear = torch.nn.Linear(n_features, n_classes)

        def forward(self, x):
            return self.linear(x)

    clf = SBNetClassifier(Linear, max_epochs=2, random_state=0).fit(X_train, y_train)
    assert clf.module_.linear.in_features == X_train.shape[1]


# -- bad input -------------------------------------------------------------------


def _state(clf):
    return {key: value for key, value in vars(clf).items() if key.endswith("_")}


@pytest.mark.parametrize(
    "X, y, match",
    [
        (np.full((10, 3), np.nan), np.arange(10) % 2, "NaN"),
        (np.full((10, 3), np.inf), np.arange(10) % 2, "infinity"),
        (np.arange(10.0), np.arange(10) % 2, "Expected 2D array"),
        (np.empty((0, 3)), np.empty(0), "0 sample"),
        (np.ones((10, 3)), np.zeros(10), "at least 2 classes"),
        (np.ones((10, 3)), np.linspace(0, 1, 10), "Unknown label type"),
    ],
    ids=["nan", "inf", "1d", "empty", "one-class", "continuous-y"],
)
def test_bad_training_data_raises_and_leaves_no_fitted_state(X, y, match):
    clf = small_net()
    before = _state(clf)
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)
    assert _state(clf) == before
    assert not hasattr(clf, "module_")


def test_bad_data_does_not_touch_a_fitted_model(fitted, lms):
    X_test = lms[1]
    expected = fitted.predict_proba(X_test)
    with pytest.raises(ValueError):
        clone_of_fitted = pickle.loads(pickle.dumps(fitted))
        clone_of_fitted.fit(np.full((10, 20), np.nan), np.arange(10) % 2)
    np.testing.assert_array_equal(clone_of_fitted.predict_proba(X_test), expected)


@pytest.mark.parametrize(
    "params, name",
    [
        (dict(module="resnet9000"), "module"),
        (dict(module=int), "module"),
        (dict(lr=0), "lr"),
        (dict(lr=-0.1), "lr"),
        (dict(batch_size=0), "batch_size"),
        (dict(batch_size=-5), "batch_size"),
        (dict(max_epochs=0), "max_epochs"),
        (dict(target_accuracy=1.5), "target_accuracy"),
        (dict(target_loss=0), "target_loss"),
        (dict(device="tpu"), "device"),
    ],
)
def test_bad_parameters_raise_naming_the_parameter(params, name, lms):
    X_train, _, y_train, _ = lms
    clf = small_net(**params)
    with pytest.raises(InvalidParameterError, match=f"'{name}' parameter"):
        clf.fit(X_train, y_train)
    assert not hasattr(clf, "module_") and not hasattr(clf, "classes_inferred_")


def test_unknown_module_name_lists_the_registered_networks(lms):
    with pytest.raises(InvalidParameterError, match="fcn"):
        small_net(module="resnet9000").fit(*lms[::2])


def test_prediction_needs_a_fitted_model():
    with pytest.raises(NotFittedError):
        small_net().predict(np.ones((3, 20)))


def test_prediction_checks_the_number_of_features(fitted):
    with pytest.raises(ValueError, match="X has 5 features, but SBNetClassifier is expecting 20"):
        fitted.predict(np.ones((3, 5)))


def test_prediction_checks_the_image_shape():
    images = np.zeros((8, 3, 64, 32), dtype=np.float32)
    clf = SBNetClassifier("small_cnn", max_epochs=1, random_state=0)
    clf.fit(images, np.arange(8) % 2)
    with pytest.raises(ValueError, match=r"shape \(3, 32, 32\)"):
        clf.predict(np.zeros((2, 3, 32, 32), dtype=np.float32))


def test_small_cnn_rejects_rows_of_the_wrong_size():
    with pytest.raises(ValueError, match="module__input_shape"):
        SBNetClassifier("small_cnn", max_epochs=1).fit(np.zeros((4, 50)), [0, 1, 0, 1])
