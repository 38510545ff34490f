"""
USEFUL on LMS-5: up-sample what is not learned early
====================================================

USEFUL (Nguyen et al., NeurIPS 2024) trains a network for a few epochs,
splits the training rows of every class in two by k-means on the network's
outputs, and trains a fresh network with the cluster of higher loss
up-sampled: the examples whose features are learned late are seen more
often. :class:`~sklearn_sb.mitigation.USEFULClassifier` needs the labels
only (``side_information_ == ('none',)``). Here on LMS-5 at
``correlation=0.9``, where S contradicts the label on 10 % of the rows
(groups 1 and 2).
"""

# %%
# The data and the network, as in :ref:`sphx_glr_auto_examples_methods_plot_jtt.py`.
# The early network trains for 4 of the 20 epochs; the paper's factor 2
# ("upsample once") and a larger one.
import matplotlib.pyplot as plt
import numpy as np

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.inspection import worst_group_accuracy
from sklearn_sb.mitigation import USEFULClassifier

data = make_lms(3000, 10, correlation=0.9, random_state=0, return_X_y=False)
test = make_lms(2000, 10, correlation=0.9, rotation=data.rotation, random_state=1,
                return_X_y=False)
network = SBNetClassifier(module__width=100, module__depth=2, lr=0.05,
                          optimizer__momentum=0.9, max_epochs=20, device="cpu")
models = {factor: USEFULClassifier(network, separating_epochs=4, upsampling_factor=factor,
                                   random_state=0).fit(data.X, data.y)
          for factor in (2, 4)}

# %%
# The early network's logits of the training rows of class 1, coloured by
# k-means cluster. The cluster of higher mean loss, the one up-sampled, is
# the minority: rows whose S points to class 0, which the early network
# already predicts as class 0.
useful = models[2]
logits = useful.estimators_[0].predict_logits(data.X)
rows = data.y == 1
higher = np.argmax(useful.cluster_losses_[1])
fig, ax = plt.subplots(figsize=(5, 4))
for cluster, name in ((1 - higher, "lower loss"), (higher, "higher loss: up-sampled")):
    chosen = rows & (useful.clusters_ == cluster)
    ax.scatter(*logits[chosen].T, s=4, label=f"{name} ({chosen.sum()} rows)")
ax.set_xlabel("logit of class 0")
ax.set_ylabel("logit of class 1")
ax.set_title("class 1 after 4 epochs")
ax.legend()
fig.tight_layout()
minority = np.isin(data.groups, (1, 2))
print(f"up-sampled: {len(useful.upsampled_)} rows, {minority[useful.upsampled_].sum()} of "
      f"the {minority.sum()} minority rows among them")

# %%
# Test accuracy and worst-group accuracy of the final networks. Repeated
# twice, the minority is still too rare to outweigh S; four times, the final
# network learns the slabs and is right on every group. The paper tunes
# USEFUL for in-distribution accuracy on natural images, where a factor of 2
# suffices.
for factor, model in models.items():
    predicted = model.predict(test.X)
    print(f"factor {factor}: accuracy {np.mean(predicted == test.y):.3f}, worst group "
          f"{worst_group_accuracy(test.y, predicted, groups=test.groups):.3f}")
