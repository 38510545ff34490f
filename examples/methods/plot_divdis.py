"""
DivDis on LMS-5: two heads, two features, sixteen labels to choose
===================================================================

A network trained with SGD on LMS-5 uses the linear coordinate S alone
(:ref:`sphx_glr_auto_examples_start_plot_quickstart.py`). DivDis (Lee, Yao and
Finn, ICLR 2023) puts two heads on one backbone and trains them to fit the
labels while making their predictions on *unlabeled target* inputs
statistically independent (low mutual information). On the training rows S
and the slabs agree, so both heads fit; on target rows where S is
decorrelated from the slabs, two heads that both read S would agree, so one
of them is pushed onto the slabs. Then a handful of labeled target rows, the
ones where the heads disagree most, tell which head to keep.

The target rows here are held-out rows of the same distribution with S
permuted across rows: making them uses the knowledge of which block is
simple, although :class:`~sklearn_sb.mitigation.DivDisClassifier` only
sees them as unlabeled inputs (``'unlabeled_ood'``).
"""

# %%
# The data: LMS-5 in 10 dimensions, unlabeled target rows, labeled target
# rows to query, and test rows.
import matplotlib.pyplot as plt
import numpy as np

from sklearn_sb import SBNetClassifier, make_lms, randomized_scores
from sklearn_sb.datasets import make_decorrelated
from sklearn_sb.mitigation import DivDisClassifier

data = make_lms(10_000, 10, random_state=0, return_X_y=False)
# Fresh rows of the same distribution with S permuted across them: unlabeled
# target rows, and labeled ones to query.
target = make_decorrelated(data, 2_000, random_state=1)
X_query, y_pool = make_decorrelated(data, 2_000, labeled=True, random_state=2)
test = make_lms(5_000, 10, rotation=data.rotation, random_state=3, return_X_y=False)

# %%
# Diversify: two heads on an FCN(50, 2), the authors' weights
# lambda_div = lambda_reg = 10.
divdis = DivDisClassifier(
    SBNetClassifier(module__width=50, max_epochs=40, lr=0.05, optimizer__momentum=0.9,
                    device="cpu"),
    n_heads=2, diversity=10.0, regularization=10.0, random_state=0,
).fit(data.X, data.y, X_ood=target)
first, second = divdis.estimators_
for name, X in [("training rows", data.X), ("target rows", target)]:
    print(f"heads disagree on {np.mean(first.predict(X) != second.predict(X)):.1%} "
          f"of the {name}")

# %%
# Each head's test accuracy, and with S or S^c randomized: one head relies on
# S, the other on the slabs.
tables = {f"head {i}": randomized_scores(head, test.X, test.y, simple_features=test,
                                         random_state=0)
          for i, head in enumerate(divdis.estimators_)}
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
# Disambiguate: of the 2,000 labeled target rows, only the labels of the 16
# where the heads disagree most are read; the head most accurate on them is
# kept, and predictions are now that head's.
divdis.disambiguate(X_query, y_pool)
print("selected head:", divdis.selected_, "accuracy on the 16 queried rows:",
      divdis.validation_scores_)
print("side information:", divdis.side_information_)
print("S-randomized test accuracy:",
      randomized_scores(divdis, test.X, test.y, simple_features=test,
                        random_state=0).loc["S-randomized", "accuracy_mean"].round(3))
