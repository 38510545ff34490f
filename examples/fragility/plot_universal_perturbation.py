"""
Universal perturbations attack the simple feature (Figure 4)
============================================================

One perturbation of l2 norm 1 breaks an FCN(200, 1) trained on LMS-5, and
almost all of its budget lies on the linear coordinate. The same happens on
images in the MNIST-CIFAR format: a CNN that could read a simple top block
and a complex bottom block reads the top one only, and is attacked there.
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
# 3 x 64 x 32 images. The top 32 rows carry a simple cue, like an MNIST
# digit on black: a hollow square for class 0, a bar for class 1. The bottom
# 32 rows carry a complex one, like a CIFAR photo: noise over faint stripes,
# horizontal for class 0 and vertical for class 1, with the same mean. Both
# blocks predict the label. (The real data comes from
# :func:`~sklearn_sb.datasets.fetch_mnist_cifar`, which downloads MNIST and
# CIFAR-10.)
import numpy as np

from sklearn_sb import randomized_scores

rng = np.random.RandomState(0)
n = 2_000
y = rng.randint(0, 2, n)
images = np.zeros((n, 3, 64, 32), dtype=np.float32)
images[y == 0, :, 8:24, 8:24] = 1.0
images[y == 0, :, 11:21, 11:21] = 0.0
images[y == 1, :, 6:26, 14:18] = 1.0
rows, columns = np.mgrid[0:32, 0:32]
phase = rng.uniform(0, 2 * np.pi, n)[:, None, None]
stripes = np.where(y[:, None, None] == 0, np.sin(1.2 * rows + phase),
                   np.sin(1.2 * columns + phase))
noise = rng.randn(n, 3, 32, 32)
images[:, :, 32:] = np.clip(0.5 + 0.06 * stripes[:, None] + 0.3 * noise, 0, 1)
X_images = images.reshape(n, -1)  # flat rows, as pipelines and the scorers take them

cnn = SBNetClassifier("small_cnn", lr=0.05, optimizer__momentum=0.9, batch_size=64,
                      max_epochs=4, random_state=0).fit(X_images, y)
top_block = np.zeros((3, 64, 32), dtype=bool)
top_block[:, :32] = True
randomized_scores(cnn, X_images, y, simple_features=top_block.ravel(), metrics="accuracy",
                  random_state=0)

# %%
# The network reads the top block alone, and a universal perturbation
# attacks it there.
image_uap = UniversalPerturbation(cnn, eps=6.0, n_epochs=10, bounds=(0.0, 1.0),
                                  random_state=0).fit(X_images, y)
delta = image_uap.perturbation_.reshape(3, 64, 32)
top = np.linalg.norm(delta[:, :32]) / np.linalg.norm(delta)
print(f"accuracy {cnn.score(X_images, y):.3f} -> {image_uap.accuracy_:.3f} under the UAP; "
      f"{top:.3f} of its l2 norm on the top block")
PerturbationDisplay.from_estimator(image_uap, image_shape=(3, 64, 32))
