"""
Table 2 with GridSearchCV: noisy LMS-7
======================================

On noisy LMS-7 the linear coordinate is wrong on 5% of the rows while every
slab coordinate is always right, so relying on S costs accuracy. The paper
searches SGD's hyperparameters for FCNs of depth 1 and 2 and width 100 to 300
and selects by validation accuracy: test accuracy stays near 0.95, the
S-randomized accuracy near 0.5 (Table 2). A small version of the search:
"""

import pandas as pd
from sklearn.model_selection import GridSearchCV, ShuffleSplit, train_test_split

from sklearn_sb import SBNetClassifier, make_lms, randomized_scores

data = make_lms(8_000, 50, n_slabs=7, noise=0.1, random_state=0, return_X_y=False)
X_train, X_test, y_train, y_test = train_test_split(
    data.X, data.y, test_size=3_000, random_state=0
)

rows = []
for width, depth in [(100, 1), (300, 2)]:
    net = SBNetClassifier(module__width=width, module__depth=depth, optimizer__momentum=0.9,
                          optimizer__weight_decay=5e-4, target_accuracy=0.995,
                          max_epochs=15, random_state=0)
    search = GridSearchCV(net, {"lr": [0.05, 0.1]},
                          cv=ShuffleSplit(n_splits=1, test_size=0.2, random_state=0))
    best = search.fit(X_train, y_train).best_estimator_
    scores = randomized_scores(best, X_test, y_test, simple_features=data,
                               metrics="accuracy", random_state=0)["accuracy_mean"]
    rows.append({"architecture": f"FCN({width}, {depth})",
                 "best lr": search.best_params_["lr"],
                 "train": best.score(X_train, y_train), "test": scores["standard"],
                 "S^c-randomized": scores["S^c-randomized"],
                 "S-randomized": scores["S-randomized"]})

table = pd.DataFrame(rows).set_index("architecture")
ax = table[["train", "test", "S^c-randomized", "S-randomized"]].plot.bar(rot=0,
                                                                          ylim=(0.4, 1.02))
table.round(3)

# %%
# Paper (Table 2): train 0.98-1.00, test 0.940-0.949, S^c-randomized
# 0.941-0.946, S-randomized 0.497-0.498.
