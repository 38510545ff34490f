"""Tiny MNIST, Fashion-MNIST, CIFAR-10 and SVHN in torchvision's on-disk formats.

The archives are real: gzip-compressed idx files for MNIST and Fashion-MNIST
(the latter in the served folder's ``fashion/``), a tar.gz of pickled batches
for CIFAR-10, MATLAB .mat files for SVHN. A local HTTP server serves them and
the ``torchvision_sources`` fixture points torchvision's ``MNIST``,
``FashionMNIST``, ``CIFAR10`` and ``SVHN`` classes at it with the archives'
checksums, so that torchvision's own download, checksum and extraction code
runs, without the internet.
"""

import gzip
import hashlib
import http.server
import io
import pickle
import struct
import tarfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import scipy.io

# Images per class: the default classes (digits 0 and 1, automobile and
# truck) are the large groups, and the smallest of them sets the number of
# pairs: 200 per class in train, 40 in test.
MNIST_COUNTS = {
    "train": {0: 203, 1: 211, **{d: 12 for d in range(2, 10)}},
    "test": {0: 41, 1: 47, **{d: 5 for d in range(2, 10)}},
}
CIFAR_COUNTS = {
    "train": {c: 200 if c in (1, 9) else 30 for c in range(10)},
    "test": {c: 40 if c in (1, 9) else 10 for c in range(10)},
}
# Fashion-MNIST: dress (3) and coat (4) are the Dominoes' defaults, pullover
# (2) and coat the Collages'. SVHN: digits 0 and 1 are the defaults.
FASHION_COUNTS = {
    "train": {c: {2: 60, 3: 205, 4: 207}.get(c, 12) for c in range(10)},
    "test": {c: {2: 15, 3: 43, 4: 45}.get(c, 5) for c in range(10)},
}
SVHN_COUNTS = {
    "train": {0: 120, 1: 130, **{d: 15 for d in range(2, 10)}},
    "test": {0: 30, 1: 34, **{d: 6 for d in range(2, 10)}},
}
CIFAR_NAMES = [
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
]
MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
FASHION_FOLDER = "fashion/"
CIFAR_ARCHIVE = "cifar-10-python.tar.gz"
N_CIFAR_BATCHES = 5
SVHN_FILES = {"train": "train_32x32.mat", "test": "test_32x32.mat"}


def _md5(data):
    return hashlib.md5(data).hexdigest()


def _shuffled_labels(counts, rng):
    return rng.permutation(np.repeat(list(counts), list(counts.values()))).astype(np.uint8)


def _digits(labels, rng):
    """28 x 28 uint8 digits: 0 a ring, 1 a vertical bar, others a horizontal bar.

    Shifted by up to 3 pixels, with random contrast and a faint noise.
    """
    yy, xx = np.mgrid[:28, :28]
    ring = (np.abs(np.hypot(yy - 13.5, xx - 13.5) - 8) < 2).astype(float)
    bar = ((np.abs(xx - 13.5) < 2) & (np.abs(yy - 13.5) < 10)).astype(float)
    images = np.empty((len(labels), 28, 28), dtype=np.uint8)
    for i, label in enumerate(labels):
        if label == 0:
            shape = ring
        elif label == 1:
            shape = bar
        else:
            shape = ((np.abs(yy - 2 * label - 4) < 2) & (np.abs(xx - 13.5) < 9)).astype(float)
        shape = np.roll(shape, tuple(rng.integers(-3, 4, size=2)), axis=(0, 1))
        pixels = shape * rng.uniform(150, 255) + rng.uniform(0, 30, size=(28, 28))
        images[i] = np.clip(pixels, 0, 255)
    return images


def _clothes(labels, rng):
    """28 x 28 uint8 garments: a filled trapezoid whose shape depends on the class.

    Its top and bottom widths and its height are set by the class; shifted by
    up to 2 pixels, with random contrast and a faint noise.
    """
    yy, xx = np.mgrid[:28, :28]
    images = np.empty((len(labels), 28, 28), dtype=np.uint8)
    for i, label in enumerate(labels):
        height = 12 + 3 * (label % 3)
        top = 14 - height // 2
        along = np.clip((yy - top) / height, 0, 1)
        half_width = (3 + label) * (1 - along) + (12 - label) * along
        shape = ((np.abs(xx - 13.5) < half_width) & (yy >= top) & (yy < top + height)).astype(float)
        shape = np.roll(shape, tuple(rng.integers(-2, 3, size=2)), axis=(0, 1))
        pixels = shape * rng.uniform(150, 255) + rng.uniform(0, 30, size=(28, 28))
        images[i] = np.clip(pixels, 0, 255)
    return images


def _house_numbers(labels, rng):
    """3 x 32 x 32 uint8 house numbers: a light glyph on a coloured background.

    0 a ring, 1 a vertical bar, others a horizontal bar whose height is set by
    the class; shifted by up to 3 pixels, with noise.
    """
    yy, xx = np.mgrid[:32, :32]
    images = np.empty((len(labels), 3, 32, 32), dtype=np.uint8)
    for i, label in enumerate(labels):
        if label == 0:
            glyph = np.abs(np.hypot(yy - 15.5, xx - 15.5) - 9) < 2
        elif label == 1:
            glyph = (np.abs(xx - 15.5) < 2) & (np.abs(yy - 15.5) < 11)
        else:
            glyph = (np.abs(yy - 2 * label - 6) < 2) & (np.abs(xx - 15.5) < 10)
        glyph = np.roll(glyph, tuple(rng.integers(-3, 4, size=2)), axis=(0, 1))
        background = rng.uniform(20, 120, size=(3, 1, 1))
        pixels = np.where(glyph, background + 120, background) + rng.normal(0, 10, size=(3, 32, 32))
        images[i] = np.clip(pixels, 0, 255)
    return images


def _photos(labels, rng):
    """3 x 32 x 32 uint8 images: a faint class texture in coloured noise.

    Stripes whose orientation and period depend on the class, at a random
    phase: the class is readable from every image, but a small CNN learns it
    more slowly than the digits above.
    """
    yy, xx = np.mgrid[:32, :32]
    images = np.empty((len(labels), 3, 32, 32), dtype=np.uint8)
    for i, label in enumerate(labels):
        angle = np.pi * label / 10
        period = 3 + label % 3
        phase = rng.uniform(0, 2 * np.pi)
        stripes = np.sin(2 * np.pi * (xx * np.cos(angle) + yy * np.sin(angle)) / period + phase)
        colour = rng.uniform(60, 200, size=(3, 1, 1))
        pixels = colour + 20 * stripes + rng.normal(0, 25, size=(3, 32, 32))
        images[i] = np.clip(pixels, 0, 255)
    return images


def _idx(magic, array):
    return struct.pack(f">{1 + array.ndim}I", magic, *array.shape) + array.tobytes()


def _gzip(data):
    return gzip.compress(data, mtime=0)


def _add_to_tar(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


@dataclass
class TinySources:
    """The served folder, the source arrays and torchvision's attributes for them."""

    root: Path
    url: str
    mnist: dict
    cifar: dict
    mnist_resources: list
    cifar_attributes: dict
    fashion: dict
    svhn: dict
    fashion_resources: list
    svhn_split_list: dict

    def expected_pairs(self, split):
        return min(
            MNIST_COUNTS[split][0], MNIST_COUNTS[split][1],
            CIFAR_COUNTS[split][1], CIFAR_COUNTS[split][9],
        )


def _build_sources(root):
    rng = np.random.default_rng(0)
    mnist, cifar = {}, {}
    resources = []
    for split in ("train", "test"):
        labels = _shuffled_labels(MNIST_COUNTS[split], rng)
        images = _digits(labels, rng)
        mnist[split] = (images, labels.astype(np.int64))
        for name, content in zip(
            MNIST_FILES[split], (_idx(0x0803, images), _idx(0x0801, labels))
        ):
            data = _gzip(content)
            (root / name).write_bytes(data)
            resources.append((name, _md5(data)))
        labels = _shuffled_labels(CIFAR_COUNTS[split], rng).astype(np.int64)
        cifar[split] = (_photos(labels, rng), labels)

    batches = {}
    train_images, train_labels = cifar["train"]
    for number, rows in enumerate(np.array_split(np.arange(len(train_labels)), N_CIFAR_BATCHES)):
        batches[f"data_batch_{number + 1}"] = (train_images[rows], train_labels[rows])
    batches["test_batch"] = cifar["test"]
    members = {}
    for name, (images, labels) in batches.items():
        members[name] = pickle.dumps(
            {
                "batch_label": name,
                "labels": labels.tolist(),
                "data": images.reshape(len(images), -1),
                "filenames": [f"{name}_{i}.png" for i in range(len(images))],
            }
        )
    members["batches.meta"] = pickle.dumps(
        {"label_names": CIFAR_NAMES, "num_cases_per_batch": 128, "num_vis": 3072}
    )
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in members.items():
            _add_to_tar(tar, f"cifar-10-batches-py/{name}", data)
    (root / CIFAR_ARCHIVE).write_bytes(buffer.getvalue())
    md5 = {name: _md5(data) for name, data in members.items()}
    cifar_attributes = {
        "tgz_md5": _md5(buffer.getvalue()),
        "train_list": [[f"data_batch_{i}", md5[f"data_batch_{i}"]] for i in range(1, 6)],
        "test_list": [["test_batch", md5["test_batch"]]],
        "meta": {"filename": "batches.meta", "key": "label_names", "md5": md5["batches.meta"]},
    }
    return mnist, cifar, resources, cifar_attributes


def _build_fashion(root):
    """Fashion-MNIST's idx files in ``root / FASHION_FOLDER``: arrays and resources."""
    rng = np.random.default_rng(1)
    folder = root / FASHION_FOLDER
    folder.mkdir()
    fashion, resources = {}, []
    for split in ("train", "test"):
        labels = _shuffled_labels(FASHION_COUNTS[split], rng)
        images = _clothes(labels, rng)
        fashion[split] = (images, labels.astype(np.int64))
        for name, content in zip(
            MNIST_FILES[split], (_idx(0x0803, images), _idx(0x0801, labels))
        ):
            data = _gzip(content)
            (folder / name).write_bytes(data)
            resources.append((name, _md5(data)))
    return fashion, resources


def _build_svhn(root, url):
    """SVHN's .mat files in ``root``: arrays and ``SVHN.split_list`` entries.

    The files hold ``X`` as (height, width, channel, image) and ``y`` as
    (image, 1) with 10 for the digit 0, as the real ones do.
    """
    rng = np.random.default_rng(2)
    svhn, split_list = {}, {}
    for split, name in SVHN_FILES.items():
        labels = _shuffled_labels(SVHN_COUNTS[split], rng)
        images = _house_numbers(labels, rng)
        svhn[split] = (images, labels.astype(np.int64))
        buffer = io.BytesIO()
        scipy.io.savemat(
            buffer,
            {"X": images.transpose(2, 3, 1, 0), "y": np.where(labels == 0, 10, labels)[:, None]},
        )
        (root / name).write_bytes(buffer.getvalue())
        split_list[split] = [url + name, name, _md5(buffer.getvalue())]
    return svhn, split_list


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves the files of ``server.root``.

    Under /truncated/ it announces the full length, sends half the body and
    closes the connection.
    """

    def do_GET(self):
        truncated = self.path.startswith("/truncated/")
        path = self.server.root / self.path.removeprefix("/truncated/").lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if truncated else body)
        self.close_connection = truncated

    def log_message(self, format, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # Clients that hang up early (torchvision's redirect probe) are fine.
        pass


@pytest.fixture(scope="session")
def tiny_sources(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    mnist, cifar, resources, cifar_attributes = _build_sources(root)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.root = root
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address
    url = f"http://{host}:{port}/"
    fashion, fashion_resources = _build_fashion(root)
    svhn, svhn_split_list = _build_svhn(root, url)
    yield TinySources(
        root=root,
        url=url,
        mnist=mnist,
        cifar=cifar,
        mnist_resources=resources,
        cifar_attributes=cifar_attributes,
        fashion=fashion,
        svhn=svhn,
        fashion_resources=fashion_resources,
        svhn_split_list=svhn_split_list,
    )
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def torchvision_sources(tiny_sources, monkeypatch):
    """torchvision's MNIST, FashionMNIST, CIFAR10 and SVHN pointed at the tiny sources."""
    from torchvision.datasets import CIFAR10, MNIST, SVHN, FashionMNIST

    monkeypatch.setattr(MNIST, "mirrors", [tiny_sources.url])
    monkeypatch.setattr(MNIST, "resources", list(tiny_sources.mnist_resources))
    monkeypatch.setattr(FashionMNIST, "mirrors", [tiny_sources.url + FASHION_FOLDER])
    monkeypatch.setattr(FashionMNIST, "resources", list(tiny_sources.fashion_resources))
    monkeypatch.setattr(CIFAR10, "url", tiny_sources.url + CIFAR_ARCHIVE)
    for name, value in tiny_sources.cifar_attributes.items():
        monkeypatch.setattr(CIFAR10, name, value)
    monkeypatch.setattr(SVHN, "split_list", {**SVHN.split_list, **tiny_sources.svhn_split_list})
    return tiny_sources


@pytest.fixture(scope="session")
def lms():
    """LMS-5 in 50 dimensions, split, and its dataset Bunch."""
    from sklearn.model_selection import train_test_split

    from sklearn_sb import make_lms

    data = make_lms(12_000, 50, random_state=0, return_X_y=False)
    X_train, X_test, y_train, y_test = train_test_split(
        data.X, data.y, test_size=2000, random_state=0
    )
    return data, X_train, X_test, y_train, y_test
