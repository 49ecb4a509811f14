"""The docs quote the committed bench run, figure for figure: docs/comparison.json is their source."""

import json
import re

import pytest

from bench.before_after import read_before
from bench.docs import DOCS, TECHNIQUE_DOCS, comparison, technique_block
from bench.subjects import SUBJECTS

RESULTS = json.loads((DOCS / "comparison.json").read_text())
CHARTS = ("delay-distribution.png", "bytes-per-city.png", "delay-vs-pages.png")


def test_the_committed_run_measured_every_subject_and_lost_no_city():
    assert [run["subject"] for run in RESULTS["runs"]] == [subject.name for subject in SUBJECTS]
    for run in RESULTS["runs"]:
        assert (run["lost"], run["duplicated"]) == (0, 0), run["label"]
        assert run["arrival"]["live"] == run["pages"], run["label"]


def test_comparison_md_says_exactly_what_the_committed_results_say():
    expected = comparison(RESULTS, read_before())
    assert (DOCS / "comparison.md").read_text() == expected, "run make bench, do not edit by hand"


def test_comparison_md_shows_charts_that_exist():
    text = (DOCS / "comparison.md").read_text()
    for chart in CHARTS:
        assert f"(img/{chart})" in text
        assert (DOCS / "img" / chart).stat().st_size > 1000


@pytest.mark.parametrize(("name", "file_name"), TECHNIQUE_DOCS.items())
def test_what_it_costs_quotes_the_committed_figures(name, file_name):
    text = (DOCS / file_name).read_text()
    section = re.search(r"^## What it costs\n(.*?)^## ", text, re.S | re.M)[1]
    assert technique_block(RESULTS, name) in section
