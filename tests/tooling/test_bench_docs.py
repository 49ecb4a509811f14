"""The docs quote the committed bench run, figure for figure: docs/comparison.json is their source."""

import json
import re

import pytest

from bench.docs import DOCS, TECHNIQUE_DOCS, TUNING_DOC, comparison, technique_block, tuning_block
from bench.paths import TUNINGS
from bench.subjects import SUBJECTS

RESULTS = json.loads((DOCS / "comparison.json").read_text())
CHARTS = ("delay-distribution.png", "bytes-per-city.png", "delay-vs-pages.png")
# docs/tuning.md's sections, in order, each with the block of figures it quotes (bench/paths.py).
TUNING_SECTIONS = {
    "Batched presence leases": "leases",
    "Coalesced totals": "coalesce",
    "The listener's memory": "memory",
    "The direct fan-out": "fanout",
    "Openings told together": "openings",
}


def test_the_committed_run_measured_both_paths_of_every_subject_and_lost_no_city():
    assert [run["subject"] for run in RESULTS["runs"]] == [subject.name for subject in SUBJECTS]
    for run in RESULTS["runs"]:
        assert (run["lost"], run["duplicated"]) == (0, 0), run["label"]
        assert run["arrival"]["live"] == run["pages"], run["label"]
    for name, storm in RESULTS["storm"].items():
        assert storm["have"] == storm["pages"], name


def test_comparison_md_says_exactly_what_the_committed_results_say():
    expected = comparison(RESULTS)
    assert (DOCS / "comparison.md").read_text() == expected, "run make bench, do not edit by hand"
    assert "## Textbook against tuned, same run" in expected


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


def test_tuning_md_has_one_section_per_tuning_in_order():
    headings = re.findall(r"^## (.+)$", (DOCS / TUNING_DOC).read_text(), re.M)
    assert headings == list(TUNING_SECTIONS)
    assert sorted(TUNING_SECTIONS.values()) == sorted(TUNINGS)


@pytest.mark.parametrize(("heading", "name"), TUNING_SECTIONS.items())
def test_each_tuning_section_quotes_the_committed_figures_of_both_paths(heading, name):
    text = (DOCS / TUNING_DOC).read_text()
    section = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)[1]
    block = tuning_block(RESULTS, name)
    assert block in section
    assert re.search(r"\d / \d[\d,.]* = [\d,.]+×", block), "a figure of both paths and their ratio"
