"""
Randomized AUC against the number of complex features (Figure 3b)
==================================================================

However many fully predictive slab coordinates LMS-5 has, the network
ignores them all: the S-randomized AUC stays at chance and the S^c-randomized
AUC at the standard one.
"""

import pandas as pd
from sklearn.model_selection import train_test_split

from sklearn_sb import SBNetClassifier, make_lms, randomized_scores
from sklearn_sb.inspection import RandomizedScoreCurveDisplay

tables = []
for n_features in (2, 5, 10, 25, 50):
    data = make_lms(8_000, n_features, random_state=0, return_X_y=False)
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=2_000, random_state=0
    )
    net = SBNetClassifier(module__width=100, module__depth=2, target_accuracy=0.9999,
                          max_epochs=30, random_state=0).fit(X_train, y_train)
    table = randomized_scores(net, X_test, y_test, simple_features=data, metrics="roc_auc",
                              n_repeats=3, random_state=0)
    tables.append(table.assign(n_complex_features=n_features - 1))

results = pd.concat(tables)
display = RandomizedScoreCurveDisplay.from_results(results, x="n_complex_features")
display.ax_.set_ylim(0.4, 1.05)
results.round(3)
