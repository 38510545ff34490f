"""The paper's experiments: recipes as data, and a runner."""

from ._recipes import RECIPES, Recipe
from ._runner import run_experiment

__all__ = ["RECIPES", "Recipe", "run_experiment"]
