"""``import sklearn_sb`` is cheap: heavy dependencies load on first use."""

import subprocess
import sys


def _modules_loaded_by(statement):
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_importing_the_package_loads_neither_torch_nor_sklearn():
    loaded = _modules_loaded_by("import sklearn_sb")
    assert "torch" not in loaded and "sklearn" not in loaded and "skorch" not in loaded


def test_dataset_functions_do_not_load_torch():
    loaded = _modules_loaded_by("from sklearn_sb import make_lms; make_lms(10, 3)")
    assert "torch" not in loaded


def test_inspecting_a_scikit_learn_model_on_unrotated_data_does_not_load_torch():
    loaded = _modules_loaded_by(
        "from sklearn.linear_model import LogisticRegression; "
        "from sklearn_sb import make_lms; "
        "from sklearn_sb.inspection import randomized_scores; "
        "X, y = make_lms(200, 4, random_state=0); "
        "randomized_scores(LogisticRegression().fit(X, y), X, y, simple_features=[0])"
    )
    assert "sklearn_sb.inspection" in loaded and "torch" not in loaded


def test_public_names_resolve_and_unknown_ones_raise():
    import sklearn_sb

    for name in sklearn_sb.__all__:
        assert getattr(sklearn_sb, name) is not None
    assert set(sklearn_sb.__all__) <= set(dir(sklearn_sb))
    try:
        sklearn_sb.no_such_name
    except AttributeError as error:
        assert "no_such_name" in str(error)
    else:
        raise AssertionError("expected an AttributeError")
