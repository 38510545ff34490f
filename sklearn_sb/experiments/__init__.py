"""The paper's experiments (recipes as data, and a runner) and the mitigation benchmark."""

from ._benchmark import (
    BenchmarkDataset,
    BenchmarkResult,
    BenchmarkSize,
    benchmark_data,
    method_factory,
    run_benchmark,
)
from ._recipes import RECIPES, Recipe
from ._results_page import write_results_pages
from ._runner import run_experiment
from ._search import hyperparameter_draws, hyperparameter_table
from ._selection import SELECTION_RULES, SelectionRule
from ._statistics import bootstrap_interval, paired_difference, seed_statistics

__all__ = [
    "BenchmarkDataset",
    "BenchmarkResult",
    "BenchmarkSize",
    "RECIPES",
    "Recipe",
    "SELECTION_RULES",
    "SelectionRule",
    "benchmark_data",
    "bootstrap_interval",
    "hyperparameter_draws",
    "hyperparameter_table",
    "method_factory",
    "paired_difference",
    "run_benchmark",
    "run_experiment",
    "seed_statistics",
    "write_results_pages",
]
