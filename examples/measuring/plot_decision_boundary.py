"""
The decision boundary on S and S^c (Figure 3c)
==============================================

A slice of the input space through one test sample, spanned by the linear
coordinate S and the most influential slab coordinate of LMS-5: the boundary
is a line across the simple coordinate, although the slab coordinate
separates the classes too.
"""

import matplotlib.pyplot as plt
from sklearn.model_selection import train_test_split

from sklearn_sb import SBNetClassifier, make_lms
from sklearn_sb.inspection import ProjectedBoundaryDisplay

data = make_lms(12_000, 50, random_state=0, return_X_y=False)
X_train, X_test, y_train, y_test = train_test_split(
    data.X, data.y, test_size=2_000, random_state=0
)
net = SBNetClassifier(module__width=100, module__depth=2, target_accuracy=0.9999,
                      max_epochs=30, random_state=0).fit(X_train, y_train)

fig, ax = plt.subplots(figsize=(5, 4.5))
display = ProjectedBoundaryDisplay.from_estimator(
    net, X_test, y_test, simple_features=data, random_state=0, ax=ax
)
print(f"S^c coordinate shown: {display.complex_feature}")
