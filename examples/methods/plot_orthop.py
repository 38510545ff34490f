"""
OrthoP on LMS-5: project out the direction the first network used
=================================================================

A network trained on LMS-5 uses the linear coordinate S alone
(:ref:`sphx_glr_auto_examples_start_plot_quickstart.py`). Morwani et al. (NeurIPS
2023) read the input directions a network uses from the weight ``W`` of its
first layer: the top eigenvectors of ``W^T W``. OrthoP trains networks one
after the other, each on the inputs with every direction the earlier ones
used projected out. :class:`~sklearn_sb.mitigation.OrthoPClassifier` needs
the labels only (``side_information_ == ('none',)``).
"""

# %%
# The data and the networks: rotated LMS-5 in 10 dimensions, FCN(100, 2) with
# SGD and momentum, as in the benchmark. Three members, one direction removed
# after each of the first two.
import matplotlib.pyplot as plt
import numpy as np

from sklearn_sb import SBNetClassifier, make_lms, randomized_scores
from sklearn_sb.mitigation import OrthoPClassifier

data = make_lms(10_000, 10, random_state=0, return_X_y=False)
test = make_lms(5_000, 10, rotation=data.rotation, random_state=2, return_X_y=False)
network = SBNetClassifier(module__width=100, module__depth=2, lr=0.05,
                          optimizer__momentum=0.9, max_epochs=15, device="cpu")
orthop = OrthoPClassifier(network, n_estimators=3, random_state=0).fit(data.X, data.y)
print("side information:", orthop.side_information_)

# %%
# Each member's accuracy on the test rows, and with S or S^c randomized. The
# first member relies on S. The later ones cannot see the direction it used:
# randomizing S leaves their accuracy as it is, randomizing the slabs brings
# it to chance.
for i, member in enumerate(orthop.estimators_):
    table = randomized_scores(member, test.X, test.y, simple_features=test, random_state=0)
    print(f"member {i + 1}", table["accuracy_mean"].round(3).to_dict())

# %%
# The removed directions, read in the unrotated basis (``x @ rotation.T``),
# where coordinate 0 is S and coordinates 1 to 9 are the 5-slab ones. The
# first member's direction is S, up to sign; the second member's is one slab
# coordinate, almost exactly: it relies on a one-dimensional projection too.
fig, ax = plt.subplots(figsize=(6, 3))
width = 0.4
for offset, (i, directions) in zip((-width / 2, width / 2), enumerate(orthop.directions_)):
    unrotated = directions[0] @ data.rotation.T
    ax.bar(np.arange(10) + offset, np.abs(unrotated), width,
           label=f"removed after member {i + 1}")
ax.set_xticks(range(10), ["S"] + [f"slab {j}" for j in range(1, 10)], rotation=45)
ax.set_ylabel("|direction| per coordinate")
ax.legend()
fig.tight_layout()
