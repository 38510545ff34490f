"""
D-BAT on LMS-5: a second network that uses the slabs
=====================================================

A network trained with SGD on LMS-5 uses the linear coordinate S alone
(:ref:`sphx_glr_auto_examples_start_plot_quickstart.py`). D-BAT (Pagliardini et al.,
ICLR 2023) trains a second network to fit the same labels while *disagreeing*
with the first on inputs where the features are decorrelated. Here those
inputs are held-out rows of the same distribution with S permuted across rows
(the "oracle" D_ood: it uses the knowledge of which block is simple, which
:class:`~sklearn_sb.mitigation.DBATClassifier` records in
``side_information_``).
"""

# %%
# The data: LMS-5 in 10 dimensions, held-out rows for D_ood, test rows.
# 30,000 training rows let the second member learn the slabs within 25
# epochs; with 4,000 it stays on S.
import matplotlib.pyplot as plt
import numpy as np

from sklearn_sb import SBNetClassifier, make_lms, randomized_scores
from sklearn_sb.inspection import randomize_block
from sklearn_sb.mitigation import DBATClassifier

data = make_lms(30_000, 10, random_state=0, return_X_y=False)
held_out, _ = make_lms(5_000, 10, rotation=data.rotation, random_state=1)
test = make_lms(5_000, 10, rotation=data.rotation, random_state=2, return_X_y=False)

# %%
# Two members, the second trained with the agreement loss on S-permuted
# held-out rows (alpha 0.5).
dbat = DBATClassifier(
    SBNetClassifier(module__width=50, max_epochs=25, lr=0.1, device="cpu"),
    ood="oracle", alpha=0.5, random_state=0,
).fit(data.X, data.y, X_ood=held_out, simple_features=data)
print("side information:", dbat.side_information_)

# %%
# Each member's accuracy on the test rows, and with S or S^c randomized. The
# first member is plain ERM: it relies on S. The second fits the labels with
# the slabs: randomizing S barely changes its accuracy, randomizing S^c
# brings it to chance.
tables = {f"member {i + 1}": randomized_scores(member, test.X, test.y,
                                               simple_features=test, random_state=0)
          for i, member in enumerate(dbat.estimators_)}
for name, table in tables.items():
    print(name, table["accuracy_mean"].round(3).to_dict())

conditions = ["standard", "S-randomized", "S^c-randomized"]
fig, ax = plt.subplots(figsize=(6, 3))
width = 0.38
for offset, (name, table) in zip((-width / 2, width / 2), tables.items()):
    ax.bar(np.arange(3) + offset, table.loc[conditions, "accuracy_mean"], width, label=name)
ax.set_xticks(range(3), conditions)
ax.axhline(0.5, color="grey", lw=0.8, ls="--")
ax.set_ylim(0.4, 1.02)
ax.set_ylabel("test accuracy")
ax.legend()
fig.tight_layout()

# %%
# The two members agree on the training distribution and disagree where S
# and the slabs are decorrelated.
decorrelated = randomize_block(test.X, test.simple_features, test.rotation,
                               np.random.RandomState(0).permutation(len(test.X)))
first, second = dbat.estimators_
for name, X in [("test rows", test.X), ("test rows with S permuted", decorrelated)]:
    disagreement = np.mean(first.predict(X) != second.predict(X))
    print(f"disagreement on the {name}: {disagreement:.3f}")
