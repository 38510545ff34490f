"""Sphinx configuration of the sklearn-sb documentation."""

import os
import sys

from sphinx_gallery.sorting import ExplicitOrder

import sklearn_sb

sys.path.insert(0, os.path.abspath(".."))

project = "sklearn-sb"
author = "The sklearn-sb developers"
copyright = "2026, The sklearn-sb developers"
version = release = sklearn_sb.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "numpydoc",
    "matplotlib.sphinxext.plot_directive",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "generated/side_data_table.rst",
                    "generated/hyperparameter_table.rst", "generated/results/index.rst",
                    "auto_examples/**.ipynb", "auto_examples/**.py",
                    "auto_examples/**.zip", "auto_examples/**.md5", "sg_execution_times.rst"]
html_theme = "pydata_sphinx_theme"
html_title = "sklearn-sb"
html_theme_options = {"navigation_with_keys": False}

autosummary_generate = True
# Class pages show the members a class defines itself; the methods it
# inherits from skorch, torch or scikit-learn are documented there.
autodoc_inherit_docstrings = False
numpydoc_show_class_members = False
# Our own docstrings are checked: undocumented, unknown or malformed
# parameters are build errors under -W.
numpydoc_validation_checks = {"PR01", "PR02", "PR10"}
numpydoc_validation_exclude = {
    r"\.__init__$",
    r"\.set_params$",
    r"\.get_params$",
    r"\.set_output$",
    r"\.set_fit_request$",
    r"\.set_partial_fit_request$",
    r"\.set_score_request$",
    r"\.set_transform_request$",
    r"\.get_metadata_routing$",
    r"\.fit_transform$",
    r"\.score$",
}

intersphinx_mapping = {}

plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 90)]

def write_side_data_table(app):
    """``generated/side_data_table.rst``: every registered method's side data, as declared."""
    from sklearn_sb.mitigation import side_data_table

    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 18 14 10 20 38", "",
             "   * - method", "     - keyword", "     - required", "     - side information",
             "     - what the method does with it"]
    for row in side_data_table().to_dict("records"):
        keyword = f"``{row['keyword']}``" if row["keyword"] else "(none)"
        information = row["side information"]
        lines += [f"   * - ``{row['method']}`` (:class:`~sklearn_sb.mitigation.{row['class']}`)",
                  f"     - {keyword}", f"     - {'yes' if row['required'] else 'no'}",
                  f"     - ``{information}``" if information else "     - (none of its own)",
                  f"     - {row['description']}"]
    target = os.path.join(app.srcdir, "generated", "side_data_table.rst")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w") as file:
        file.write("\n".join(lines) + "\n")


def write_hyperparameter_table(app):
    """``generated/hyperparameter_table.rst``: the search's declared distributions."""
    from sklearn_sb.experiments import hyperparameter_table

    lines = [".. list-table::", "   :header-rows: 1", "   :widths: 22 22 22 34", "",
             "   * - method", "     - class", "     - hyperparameter", "     - distribution"]
    for row in hyperparameter_table().to_dict("records"):
        parameter = f"``{row['parameter']}``" if row["parameter"] else "(none declared)"
        lines += [f"   * - ``{row['method']}``", f"     - ``{row['class']}``",
                  f"     - {parameter}", f"     - {row['distribution']}"]
    target = os.path.join(app.srcdir, "generated", "hyperparameter_table.rst")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w") as file:
        file.write("\n".join(lines) + "\n")


def generate_results_pages(app):
    """``generated/results/``: a page per dataset family from every ``results/*/results.json``."""
    from sklearn_sb.experiments._results_page import write_results_pages

    write_results_pages(os.path.join(os.path.dirname(app.srcdir), "results"),
                        os.path.join(app.srcdir, "generated", "results"),
                        index_relative_to=app.srcdir)


def setup(app):
    app.connect("builder-inited", write_side_data_table)
    app.connect("builder-inited", write_hyperparameter_table)
    app.connect("builder-inited", generate_results_pages)


sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "abort_on_example_error": True,
    "matplotlib_animations": False,
    # The gallery teaches in order: start, measure, fragility, data, methods.
    "subsection_order": ExplicitOrder(["../examples/start", "../examples/measuring",
                                       "../examples/fragility", "../examples/datasets",
                                       "../examples/methods"]),
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
}
