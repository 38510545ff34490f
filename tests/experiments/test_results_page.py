"""The documentation's results pages, from a real (tiny) benchmark's results file."""

import dataclasses
import datetime
import json
import re
import shutil

import pytest

from sklearn_sb.experiments import run_benchmark
from sklearn_sb.experiments._benchmark import CEILING, SIZES
from sklearn_sb.experiments._results_page import write_results_pages

# LMS-5 in seconds: a few hundred rows, two epochs.
TINY = dataclasses.replace(SIZES["quick"], n_train=300, n_side=100, n_test=100, max_epochs=2)


@pytest.fixture(scope="module")
def results_file(tmp_path_factory):
    """A benchmark's ``results.json``, written by ``run_benchmark`` itself."""
    out = tmp_path_factory.mktemp("benchmark") / "a"
    run_benchmark(["erm"], ["lms5"], n_seeds=2, size=TINY, n_jobs=1, progress=False, out=out,
                  command="sklearn-sb benchmark --methods erm --datasets lms5 --seeds 2")
    return out / "results.json"


def _results(tmp_path, results_file, **copies):
    """``tmp_path/results`` holding ``results_file`` under each name of ``copies``.

    A copy's value edits its contents: ``{'dataset': name}`` renames the
    dataset, ``{'date': iso}`` redates it.
    """
    folder = tmp_path / "results"
    for name, edits in copies.items():
        results = json.loads(results_file.read_text())
        for record in results["table"] + results["budget"]:
            record["dataset"] = edits.get("dataset", record["dataset"])
        results["provenance"]["date"] = edits.get("date", results["provenance"]["date"])
        (folder / name).mkdir(parents=True)
        (folder / name / "results.json").write_text(json.dumps(results))
    return folder


def test_the_synthetic_page_traces_every_number_to_its_file(tmp_path, results_file):
    results = json.loads(results_file.read_text())
    out = tmp_path / "doc" / "generated" / "results"
    pages = write_results_pages(_results(tmp_path, results_file, a={}), out)

    assert pages == [out / "synthetic.rst"]
    page = pages[0].read_text()
    record = results["provenance"]
    date = datetime.datetime.fromisoformat(record["date"])
    assert f"Default hyperparameters, 2 seeds, {TINY.name} size\n---" in page
    assert f"   {record['command']}\n" in page
    assert f"git commit ``{record['git commit']}``" in page
    assert f":Date: {date:%Y-%m-%d %H:%M} UTC" in page
    assert f"sklearn-sb {record['package']}" in page
    table = page[page.index("prints them::"):page.index("\n* rules:")]
    for method in [*results["methods"], CEILING]:
        assert re.search(rf"^   (lms5)?\s+{re.escape(method)}\s", table, re.MULTILINE), method
    images = re.findall(r"^\.\. image:: (\S+)$", page, re.MULTILINE)
    assert len(images) == 1 and (out / images[0]).stat().st_size > 0
    assert ":download:`results/a/results.json <../../../results/a/results.json>`" in page
    assert "fit seconds" in page and "     - ``erm``" in page


def test_the_index_lists_the_pages_relative_to_the_including_page(tmp_path, results_file):
    out = tmp_path / "doc" / "generated" / "results"
    write_results_pages(_results(tmp_path, results_file, a={}), out,
                        index_relative_to=tmp_path / "doc")

    assert (out / "index.rst").read_text().splitlines()[-1] == \
        "   generated/results/synthetic"


def test_families_without_results_get_no_page(tmp_path, results_file):
    out = tmp_path / "out"
    write_results_pages(_results(tmp_path, results_file, a={}), out)

    assert sorted(path.name for path in out.glob("*.rst")) == ["index.rst", "synthetic.rst"]
    assert "dominoes" not in (out / "index.rst").read_text()


def test_unknown_datasets_go_to_the_other_page_newest_first(tmp_path, results_file):
    folder = _results(tmp_path, results_file,
                      old={"dataset": "mine", "date": "2026-01-01T00:00:00+00:00"},
                      new={"dataset": "mine", "date": "2026-02-01T00:00:00+00:00"})
    pages = write_results_pages(folder, tmp_path / "out")

    assert [page.name for page in pages] == ["other.rst"]
    page = pages[0].read_text()
    assert page.index(":Date: 2026-02-01") < page.index(":Date: 2026-01-01")
    assert page.index("results/new/results.json") < page.index("results/old/results.json")


def test_stale_pages_and_figures_are_removed_and_nothing_else(tmp_path, results_file):
    folder, out = _results(tmp_path, results_file, a={}), tmp_path / "out"
    write_results_pages(folder, out)
    (out / "notes.txt").write_text("not generated")
    shutil.rmtree(folder / "a")

    assert write_results_pages(folder, out) == []
    assert sorted(path.name for path in out.iterdir()) == ["index.rst", "notes.txt"]
    assert "No results yet" in (out / "index.rst").read_text()


@pytest.mark.parametrize("text, message", [
    ('{"experiment": "figure3b"}', "is not the results file of a benchmark"),
    ("[1, 2", "is not valid JSON"),
    ('{"experiment": "benchmark"}', "lacks"),
])
def test_a_file_that_is_not_a_benchmarks_is_refused_with_its_path(tmp_path, text, message):
    path = tmp_path / "results" / "b" / "results.json"
    path.parent.mkdir(parents=True)
    path.write_text(text)

    with pytest.raises(ValueError, match=re.escape(str(path)) + ".*" + message):
        write_results_pages(tmp_path / "results", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_missing_results_folder_says_how_to_make_one(tmp_path):
    with pytest.raises(FileNotFoundError, match="sklearn-sb benchmark --out"):
        write_results_pages(tmp_path / "results", tmp_path / "out")


def test_a_sweep_gets_its_own_title_and_figure(tmp_path):
    out = tmp_path / "results" / "sweep"
    run_benchmark(["erm"], ["lms5"], n_seeds=1, size=TINY, n_jobs=1, progress=False, out=out,
                  sweep={"correlation": [0.8, 1.0]})
    pages = write_results_pages(tmp_path / "results", tmp_path / "pages")
    page = pages[0].read_text()
    assert "Correlation sweep (0.8, 1.0), 1 seed" in page
    table = page[page.index("prints them::"):page.index("\n* rules:")]
    assert re.search(r"^   lms5\s+0\.8\s+erm\s", table, re.MULTILINE)
    images = re.findall(r"^\.\. image:: (\S+)$", page, re.MULTILINE)
    assert len(images) == 1 and (tmp_path / "pages" / images[0]).stat().st_size > 0
