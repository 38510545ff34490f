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
from ._runner import run_experiment

__all__ = [
    "BenchmarkDataset",
    "BenchmarkResult",
    "BenchmarkSize",
    "RECIPES",
    "Recipe",
    "benchmark_data",
    "method_factory",
    "run_benchmark",
    "run_experiment",
]
