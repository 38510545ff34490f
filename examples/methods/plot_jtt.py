"""
JTT on LMS-5 with minority groups: train twice, up-sample the errors
====================================================================

On LMS-5 at ``correlation=0.9`` the linear coordinate S agrees with the
label on 90 % of the rows; on the other 10 %, the minority groups 1 and 2,
it points to the other label while the slabs keep the true one. A network
trained on the average loss (ERM) uses S and gives up the minority. JTT (Liu
et al., ICML 2021) trains a network briefly, takes the training rows it
misclassifies (the error set), and trains a fresh network with them
repeated. :class:`~sklearn_sb.mitigation.JTTClassifier` needs the labels
only: no group labels (``side_information_ == ('none',)``).
"""

# %%
# The data and the network: rotated LMS-5 in 10 dimensions, 3,000 training
# rows, FCN(100, 2) with SGD and momentum for 20 epochs. Groups are
# ``2 * y + s``, ``s`` the label S points to: 0 and 3 the majority, 1 and 2
# the minority.
import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.inspection import group_scores
from sklearn_sb.mitigation import JTTClassifier

data = make_lms(3000, 10, correlation=0.9, random_state=0, return_X_y=False)
test = make_lms(4000, 10, correlation=0.9, rotation=data.rotation, random_state=1,
                return_X_y=False)
network = SBNetClassifier(module__width=100, module__depth=2, lr=0.05,
                          optimizer__momentum=0.9, max_epochs=20, device="cpu")

# %%
# ERM, and JTT with the identification network trained for 10 % of the
# epochs (2) and its errors repeated 6 times in all.
erm = clone(network).set_params(random_state=0).fit(data.X, data.y)
jtt = JTTClassifier(network, identification_epochs=0.1, upweight=6,
                    random_state=0).fit(data.X, data.y)
minority = np.isin(data.groups, (1, 2))
print(f"error set: {len(jtt.error_set_)} rows, {minority[jtt.error_set_].sum()} of "
      f"them in the minority, which has {minority.sum()} rows")

# %%
# Accuracy per test group. ERM is right on the majority and wrong on the
# minority: it reads S. JTT's final network is right on every group: after
# 2 epochs the error set is the minority, and up-sampled it makes S a poor
# predictor of the label, so the final network learns the slabs.
scores = {name: group_scores(model, test.X, test.y, test.groups)["accuracy"]
          for name, model in (("ERM", erm), ("JTT", jtt))}
for name, accuracy in scores.items():
    print(name, accuracy.round(3).to_dict())

fig, ax = plt.subplots(figsize=(6, 3))
labels = ["group 0", "group 1", "group 2", "group 3", "worst group"]
width = 0.4
for offset, (name, accuracy) in zip((-width / 2, width / 2), scores.items()):
    ax.bar(np.arange(5) + offset, accuracy.iloc[:5], width, label=name)
ax.set_xticks(range(5), labels)
ax.set_ylabel("test accuracy")
ax.legend()
fig.tight_layout()

# %%
# At ``correlation=1.0`` S agrees with the label on every row: the
# identification network makes no training error once it has learned S,
# the error set is empty and JTT is ERM (see the :ref:`User Guide
# <jtt-method>`).
