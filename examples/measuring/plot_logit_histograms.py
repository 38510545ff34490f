"""
Logits on randomized data (Figure 3a)
=====================================

The distribution of the positive-class logit on standard, S-randomized and
S^c-randomized LMS-5 data. With S randomized, the logits of the two classes
are shuffled together; with S^c randomized, they do not move.
"""

from sklearn.model_selection import train_test_split

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.inspection import LogitHistogramDisplay, randomized_logits

data = make_lms(12_000, 50, random_state=0, return_X_y=False)
X_train, X_test, y_train, y_test = train_test_split(
    data.X, data.y, test_size=2_000, random_state=0
)
net = SBNetClassifier(module__width=100, module__depth=2, target_accuracy=0.9999,
                      max_epochs=30, random_state=0).fit(X_train, y_train)

display = LogitHistogramDisplay.from_estimator(
    net, X_test, y_test, simple_features=data, random_state=0
)

# %%
# The same reading as numbers: the Kolmogorov-Smirnov distance between the
# classes' logits, and to the standard logits.
logits = randomized_logits(net, X_test, y_test, simple_features=data, random_state=0)
logits.summary.round(3)
