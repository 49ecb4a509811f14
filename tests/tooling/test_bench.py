"""The bench, at a tiny N for a few seconds: every subject runs, the report has its shape, nothing is lost.

Speed is the bench's business, not the tests': no figure here is compared with a limit.
"""

import json
import subprocess
import sys

import pytest

from bench.full import delay_limit_ms
from bench.report import ROWS
from bench.subjects import REFERENCES, SUBJECTS, TEXTBOOK, TUNED, default_subjects
from tests.servers import PROJECT_ROOT

SMOKE_PAGES = 4
BENCH_DEADLINE_SECONDS = 300
COMPARISON_JSON = PROJECT_ROOT / "docs" / "comparison.json"


def bench(*options):
    """Run `python -m bench` at a tiny N with `options`; return how it ended."""
    return subprocess.run(
        [sys.executable, "-m", "bench", "--pages", str(SMOKE_PAGES), "--seconds", "1.5", "--idle", "1",
         *options],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=BENCH_DEADLINE_SECONDS,
    )  # fmt: skip


def test_the_bench_measures_both_paths_of_every_technique_and_the_references_with_no_city_lost(tmp_path):
    results_path = tmp_path / "results.json"
    finished = bench("--no-docs", "--json", str(results_path))
    assert finished.returncode == 0, finished.stdout + finished.stderr
    results = json.loads(results_path.read_text())
    assert [run["subject"] for run in results["runs"]] == [subject.name for subject in SUBJECTS]
    assert {"polling_textbook", "websockets_textbook"} <= {run["subject"] for run in results["runs"]}
    assert results["machine"]["cores"] >= 1 and results["plan"]["pages"] == SMOKE_PAGES
    for run in results["runs"]:
        assert run["arrival"]["live"] == SMOKE_PAGES, run["label"]
        assert run["cities"] >= 4 and not run["writer_failures"], run["label"]
        assert (run["lost"], run["duplicated"]) == (0, 0), run["label"]
        assert run["deliveries"] == SMOKE_PAGES * run["cities"], run["label"]
        assert 0 <= run["delay_ms"]["p50"] <= run["delay_ms"]["p95"] <= run["delay_ms"]["max"], run["label"]
        assert run["per_city"]["bytes"] > 0 and run["server"]["cpu_ms_per_1000_deliveries"] is not None
    # Every board app, on both paths, faces the reconnect storm, and every page comes back for its city.
    assert list(results["storm"]) == [subject.name for subject in SUBJECTS if not subject.reference]
    for name, storm in results["storm"].items():
        assert storm["have"] == SMOKE_PAGES and storm["redis_commands"] > 0, name
    # A board app's pages count what they received while the room arrived (the presence news at least).
    for run in results["runs"][: -len(REFERENCES)]:
        assert run["per_page_arriving"]["bytes"] > 0, run["label"]
    # The terminal table: a row for every figure, a column for every subject; docs/ untouched.
    for label, _cell in ROWS:
        assert label in finished.stdout
    for run in results["runs"]:
        assert run["label"] in finished.stdout
    assert "docs/ left as they are" in finished.stdout


def test_a_run_of_some_subjects_prints_its_table_and_leaves_docs_alone():
    before = COMPARISON_JSON.read_bytes()
    finished = bench("--only", "polling_textbook", "--seconds", "1")
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert "polling (textbook)" in finished.stdout and "Node's socket.io" not in finished.stdout
    assert "docs/ left as they are: only a run of every subject" in finished.stdout
    assert COMPARISON_JSON.read_bytes() == before


@pytest.mark.parametrize(
    ("textbook", "subjects"),
    [("", SUBJECTS), ("1", (*TEXTBOOK, *REFERENCES)), ("0", (*TUNED, *REFERENCES))],
)
def test_textbook_in_the_environment_picks_one_path_and_keeps_the_references(monkeypatch, textbook, subjects):
    monkeypatch.setenv("TEXTBOOK", textbook)
    assert default_subjects() == subjects


def test_each_textbook_subject_speaks_its_techniques_protocol_beside_its_tuned_one():
    assert [s.name for s in TEXTBOOK] == [f"{s.name}_textbook" for s in TUNED]
    assert [s.technique for s in TEXTBOOK] == [s.technique for s in TUNED]
    assert [s.label for s in TEXTBOOK] == [f"{s.label} (textbook)" for s in TUNED]
    assert all(s.uses_redis for s in TEXTBOOK)
    # Capacity judges each path by its technique's limit: polling's delay is its interval by design.
    assert [delay_limit_ms(s) for s in TEXTBOOK] == [delay_limit_ms(s) for s in TUNED]
    assert delay_limit_ms(TEXTBOOK[0]) > delay_limit_ms(TEXTBOOK[1])


def test_the_bench_refuses_an_unknown_subject_and_says_which_exist():
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "carrier_pigeon", "--no-docs"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert finished.returncode == 2
    assert "carrier_pigeon" in finished.stderr and "long_polling_textbook" in finished.stderr
