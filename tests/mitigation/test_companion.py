"""A training step with a penalty on a companion batch: one forward pass where that is exact."""

import numpy as np
import pytest
import torch

from sklearn_sb import SBNetClassifier
from sklearn_sb.mitigation._companion import mixes_rows, step_with_companion


def _penalty(outputs):
    return (outputs ** 2).mean()


def _network(module):
    rng = np.random.RandomState(0)
    X = rng.randn(32, 4).astype(np.float32)
    y = (X[:, 0] > 0).astype(np.int64)
    net = SBNetClassifier(module=module, max_epochs=1, device="cpu", random_state=0).fit(X, y)
    return net, torch.as_tensor(X[:8]), torch.as_tensor(y[:8]), torch.as_tensor(X[8:20])


def _gradients(net):
    grads = [p.grad.clone() for p in net.module_.parameters()]
    net.module_.zero_grad()
    return grads


def _separate_step(net, X, y, companion):
    net.module_.train()
    loss = net.criterion_(net.module_(X), y) + _penalty(net.module_(companion))
    loss.backward()
    return loss


def _row_wise():
    return torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.ReLU(), torch.nn.Linear(16, 2))


def _batch_normalized():
    return torch.nn.Sequential(torch.nn.Linear(4, 16), torch.nn.BatchNorm1d(16), torch.nn.ReLU(),
                               torch.nn.Linear(16, 2))


@pytest.mark.parametrize("module", [_row_wise, _batch_normalized])
def test_the_step_is_the_loss_of_the_two_batches_seen_separately(module):
    net, X, y, companion = _network(module())
    net.module_.zero_grad()
    expected = _separate_step(net, X, y, companion)
    expected_grads = _gradients(net)
    step = step_with_companion(net, X, y, companion, _penalty)
    assert step["y_pred"].shape == (len(X), 2)
    torch.testing.assert_close(step["loss"], expected)
    for got, want in zip(_gradients(net), expected_grads):
        torch.testing.assert_close(got, want)


def test_one_forward_pass_for_a_row_wise_network_two_with_batch_normalization():
    for module, expected in [(_row_wise(), [20]), (_batch_normalized(), [8, 12])]:
        net, X, y, companion = _network(module)
        sizes = []
        hook = net.module_[0].register_forward_hook(lambda m, i, o: sizes.append(len(i[0])))
        step_with_companion(net, X, y, companion, _penalty)
        hook.remove()
        assert sizes == expected
        assert mixes_rows(net.module_) == (expected != [20])
