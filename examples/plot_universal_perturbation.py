"""
Universal perturbations attack the simple feature (Figure 4)
============================================================

One perturbation of l2 norm 1 breaks an FCN(200, 1) trained on LMS-5, and
almost all of its budget lies on the linear coordinate. The same happens on
images in the MNIST-CIFAR format: a network that can read a simple top block
and a complex bottom block is attacked through the top block.
"""

# %%
# LMS-5
# -----
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from sklearn_sb import SBNetClassifier, UniversalPerturbation, make_lms
from sklearn_sb.adversarial import PerturbationDisplay

data = make_lms(12_000, 50, random_state=0, return_X_y=False)
X_train, X_test, y_train, y_test = train_test_split(
    data.X, data.y, test_size=2_000, random_state=0
)
net = SBNetClassifier(module__width=200, module__depth=1, optimizer__weight_decay=5e-4,
                      target_loss=0.01, max_epochs=30, random_state=0).fit(X_train, y_train)

uap = UniversalPerturbation(net, eps=1.0, random_state=0).fit(X_train, y_train)
attacked = Pipeline([("uap", uap), ("net", net)]).score(X_test, y_test)
print(f"accuracy {net.score(X_test, y_test):.3f} -> {attacked:.3f} under the UAP; "
      f"{uap.budget_fraction(data):.3f} of its l2 norm on S")
PerturbationDisplay.from_estimator(uap, simple_features=data)

# %%
# Images in the MNIST-CIFAR format
# --------------------------------
# 3 x 64 x 32 images: the top 32 rows carry a simple cue (a bright bar whose
# column gives the class, like an MNIST digit), the bottom 32 rows a complex
# one (class-dependent colour texture under noise, like a CIFAR image). Both
# blocks predict the label. (The real data comes from
# :func:`~sklearn_sb.datasets.fetch_mnist_cifar`, which downloads MNIST and
# CIFAR-10.)
import numpy as np

rng = np.random.RandomState(0)
n = 2_000
y = rng.randint(0, 2, n)
images = np.zeros((n, 3, 64, 32), dtype=np.float32)
for label, column in ((0, 10), (1, 20)):
    images[y == label, :, 8:24, column:column + 3] = 1.0
texture = rng.uniform(0, 1, (n, 3, 32, 32)).astype(np.float32)
texture[:, 0] += 0.15 * (2 * y[:, None, None] - 1)
images[:, :, 32:] = np.clip(texture, 0, 1)

cnn = SBNetClassifier("small_cnn", lr=0.05, optimizer__momentum=0.9, batch_size=64,
                      max_epochs=4, random_state=0).fit(images, y)
image_uap = UniversalPerturbation(cnn, eps=3.0, bounds=(0.0, 1.0), random_state=0)
image_uap.fit(images, y)
top = np.linalg.norm(image_uap.perturbation_[:, :32]) / np.linalg.norm(image_uap.perturbation_)
print(f"accuracy {cnn.score(images, y):.3f} -> {image_uap.accuracy_:.3f} under the UAP; "
      f"{top:.2f} of its l2 norm on the top block")
PerturbationDisplay.from_estimator(image_uap, image_shape=(3, 64, 32))
