"""
Theorem 1: the network learns the linear coordinate only
========================================================

On LSN data (a linear coordinate, a 3-slab coordinate, Gaussian noise), a
one-hidden-layer ReLU network with fixed output weights ``±1/sqrt(k)``,
started from a small Gaussian and trained by full-batch gradient descent on
the hinge loss, grows its weights on the linear coordinate to about
``2/sqrt(k)`` while those on the 3-slab coordinate stay near their initial
size.
"""

import math

import matplotlib.pyplot as plt
import numpy as np

from sklearn_sb import SBNetClassifier, make_lsn

d, k = 100, 100
X, y = make_lsn(4_000, d, random_state=0)
net = SBNetClassifier("theorem1", module__n_hidden=k, batch_size=-1,
                      lr=1 / math.sqrt(math.log(d)), max_epochs=10, random_state=0)
net.fit(X, y)

weights = np.abs(net.module_.hidden.weight.detach().numpy())
initial = math.sqrt(2 / math.pi) / math.sqrt(d * k * math.log(d) ** 4)
print(f"mean |w| on the linear coordinate: {weights[:, 0].mean():.3f} "
      f"(theory: 2/sqrt(k) = {2 / math.sqrt(k):.3f})")
print(f"mean |w| on the 3-slab coordinate: {weights[:, 1].mean():.4f} "
      f"(initial size: {initial:.4f})")

fig, ax = plt.subplots(figsize=(6, 3))
ax.bar(np.arange(12), weights[:, :12].mean(axis=0),
       color=["tab:red", "tab:blue"] + ["tab:gray"] * 10)
ax.set_yscale("log")
ax.set_xlabel("coordinate (0 linear, 1 3-slab, then noise)")
ax.set_ylabel("mean |w| (log scale)")
