"""
Ensembles and adversarial training do not cure simplicity bias
==============================================================

Averaging the logits of independently trained networks, or training on
adversarial examples, leaves the S-randomized AUC at chance: every member
and the robust network rely on S alone.
"""

import pandas as pd
from sklearn.model_selection import train_test_split

from sklearn_sb import SBNetClassifier, make_lms, randomized_scores
from sklearn_sb.mitigation import AdversarialTraining, LogitEnsembleClassifier

data = make_lms(12_000, 50, random_state=0, return_X_y=False)
X_train, X_test, y_train, y_test = train_test_split(
    data.X, data.y, test_size=2_000, random_state=0
)
fcn = dict(module__width=100, module__depth=2, max_epochs=10, random_state=0)

models = {
    "FCN(100, 2)": SBNetClassifier(**fcn, target_accuracy=0.9999),
    "ensemble of 3": LogitEnsembleClassifier(
        SBNetClassifier(**fcn, target_accuracy=0.9999), n_estimators=3, random_state=0
    ),
    # An l2 ball of half LMS-5's margin: PGD examples the network can still fit.
    "adversarially trained": SBNetClassifier(
        **fcn, method=AdversarialTraining(eps=0.05, norm=2, step_size=0.02)
    ),
}
rows = {}
for name, model in models.items():
    model.fit(X_train, y_train)
    rows[name] = randomized_scores(model, X_test, y_test, simple_features=data,
                                   metrics="roc_auc", random_state=0)["roc_auc_mean"]
table = pd.DataFrame(rows).T
ax = table.plot.bar(rot=0, ylim=(0.4, 1.05), ylabel="AUC")
table.round(3)
