"""Spectral decoupling against ERM on Colored MNIST, with the authors' recipe."""

from dataclasses import dataclass

import pandas as pd

from ..datasets import fetch_colored_mnist
from ..utils._text import counted
from ._figures import bar_figure

#: The authors' restarts are seeded 1234 + restart.
_SEED_BASE = 1234


def _network(steps, method, seed):
    import torch

    from .._classifier import SBNetClassifier

    # Full batch (both training environments stacked): one step per epoch.
    return SBNetClassifier("irm_mlp", optimizer=torch.optim.Adam, lr=1e-4, batch_size=-1,
                           max_epochs=steps, method=method, random_state=seed)


@dataclass(frozen=True)
class CMNISTSDOptions:
    """Options of the cmnist_sd step.

    The authors' recipe is 1,001 ERM and 2,001 spectral decoupling steps,
    strength 2e-5, annealed after 450 steps.

    Parameters
    ----------
    restarts : int
        Fits of each model, seeded from the authors' base plus the run's seed up.
    erm_steps, sd_steps : int
        Full-batch Adam steps of ERM and of spectral decoupling.
    strength : float
        The spectral decoupling penalty.
    anneal_steps : int
        Steps of plain cross-entropy before the penalty applies.
    paper : dict
        ``{(model, 'train accuracy' | 'test accuracy'): published value}``.
    """

    restarts: int
    erm_steps: int
    sd_steps: int
    strength: float
    anneal_steps: int
    paper: dict

    def describe_run(self):
        """The rows the step trains and tests on (whatever the recipe's sizes), and its budget."""
        return (f"50,000 train / 10,000 test, {counted(self.restarts, 'restart')} of "
                f"{self.erm_steps:,} ERM and {self.sd_steps:,} SD steps")


def cmnist_sd(run, options):
    """ERM and spectral decoupling side by side, ``restarts`` times, on the IRM split."""
    from ..mitigation import SpectralDecoupling

    models = {
        "ERM": (options.erm_steps, None),
        "spectral decoupling": (options.sd_steps, SpectralDecoupling(
            strength=options.strength, variant="annealed",
            anneal_steps=options.anneal_steps)),
    }
    rows = []
    for restart in range(options.restarts):
        seed = _SEED_BASE + run.seed + restart
        fetch = dict(data_home=run.data_home, download_if_missing=run.download_if_missing,
                     random_state=seed, verbose=int(run.progress))
        train = fetch_colored_mnist(subset="train", **fetch)
        test = fetch_colored_mnist(subset="test", **fetch)
        for name, (steps, method) in models.items():
            net = _network(steps, method, seed).fit(train.data, train.target)
            rows.append({"restart": restart, "model": name,
                         "train accuracy": net.score(train.data, train.target),
                         "test accuracy": net.score(test.data, test.target)})
    table = pd.DataFrame(rows)
    run.tables["cmnist-sd"] = table
    for name, scores in table.groupby("model", sort=False):
        for column in ("train accuracy", "test accuracy"):
            run.record(f"{name}: {column} (mean)", scores[column].mean(),
                       options.paper.get((name, column), ""))
            run.record(f"{name}: {column} (std)", scores[column].std(ddof=0))
    by_model = table.groupby("model", sort=False)[["train accuracy", "test accuracy"]]
    run.figures["cmnist-sd.png"] = bar_figure(
        by_model.mean(), by_model.std(ddof=0), ylabel="accuracy", ylim=(0, 1),
        title="Colored MNIST (test: colour flip 0.9)", reference=0.75, figsize=(5, 3.2))
