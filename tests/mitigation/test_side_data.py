"""The side data of the mitigation methods: checks and batches of an unlabeled set."""

import numpy as np
import pytest
import torch

from sklearn_sb.mitigation._side_data import (
    OODBatches,
    check_two_classes,
    check_unlabeled,
)

X = np.zeros((10, 3), dtype=np.float32)


def test_ood_batches_visit_every_row_once_per_pass():
    torch.manual_seed(0)
    batches = OODBatches(np.arange(10, dtype=np.float32)[:, None], "cpu")
    first_pass = torch.cat([batches.next(4)[0], batches.next(4)[0], batches.next(2)[0]])
    assert sorted(first_pass[:, 0].tolist()) == list(range(10))


def test_a_batch_larger_than_what_is_left_continues_into_the_next_pass():
    torch.manual_seed(0)
    batches = OODBatches(np.arange(5, dtype=np.float32)[:, None], "cpu")
    rows, _ = batches.next(7)
    assert len(rows) == 7
    assert sorted(rows[:5, 0].tolist()) == list(range(5))


def test_aligned_arrays_follow_the_rows():
    torch.manual_seed(0)
    values = np.arange(6, dtype=np.float32)
    batches = OODBatches(values[:, None], "cpu", aligned=[values * 10, values + 1])
    rows, (tens, plus_one) = batches.next(4)
    np.testing.assert_array_equal(tens.numpy(), rows[:, 0].numpy() * 10)
    np.testing.assert_array_equal(plus_one.numpy(), rows[:, 0].numpy() + 1)


def test_the_order_comes_from_torchs_seeded_generator():
    def drawn():
        torch.manual_seed(3)
        return OODBatches(np.arange(20, dtype=np.float32)[:, None], "cpu").next(20)[0]

    assert torch.equal(drawn(), drawn())


def test_unlabeled_side_data_must_be_inputs_like_x():
    assert check_unlabeled(np.ones((2, 3)), X).dtype == np.float32
    with pytest.raises(ValueError, match="X_ood is empty"):
        check_unlabeled(np.ones((0, 3)), X)
    with pytest.raises(ValueError, match=r"X_ood has samples of shape \(4,\)"):
        check_unlabeled(np.ones((2, 4)), X)


def test_one_class_is_refused_naming_the_method():
    with pytest.raises(ValueError, match="DBATClassifier needs at least two classes"):
        check_two_classes(np.zeros(5), "DBATClassifier")


def _lms_with_groups():
    from sklearn_sb import make_lms

    return make_lms(300, 5, correlation=0.8, random_state=0, return_X_y=False)


@pytest.mark.parametrize("method, side", [
    ("orthop", lambda data: {"X_val": data.X[:100], "y_val": data.y[:100]}),
    ("group-dro", lambda data: {"groups": data.groups}),
])
def test_labels_and_groups_given_as_a_column_are_raveled_with_a_warning(method, side):
    from sklearn.exceptions import DataConversionWarning

    from sklearn_sb import SBNetClassifier
    from sklearn_sb.mitigation import GroupDROClassifier, OrthoPClassifier

    data = _lms_with_groups()
    network = SBNetClassifier(module__width=8, max_epochs=2, device="cpu")
    make = {"orthop": OrthoPClassifier, "group-dro": GroupDROClassifier}[method]
    flat = side(data)
    columns = {key: (value[:, None] if key in ("y_val", "groups") else value)
               for key, value in flat.items()}
    expected = make(network, random_state=0).fit(data.X, data.y, **flat)
    with pytest.warns(DataConversionWarning, match="column-vector") as caught:
        model = make(network, random_state=0).fit(data.X, data.y, **columns)
    assert {w.filename for w in caught} == {__file__}
    np.testing.assert_array_equal(model.predict_logits(data.X), expected.predict_logits(data.X))
    assert model.side_information_ == expected.side_information_
