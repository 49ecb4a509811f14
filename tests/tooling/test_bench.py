"""The bench, at a tiny N for a few seconds: every subject runs, the report has its shape, nothing is lost.

Speed is the bench's business, not the tests': no figure here is compared with a limit.
"""

import json
import subprocess
import sys

from bench.report import ROWS
from bench.subjects import SUBJECTS
from tests.servers import PROJECT_ROOT

SMOKE_PAGES = 4
BENCH_DEADLINE_SECONDS = 150


def test_the_bench_measures_every_technique_and_the_references_with_no_city_lost(tmp_path):
    results_path = tmp_path / "results.json"
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--pages", str(SMOKE_PAGES), "--seconds", "1.5", "--idle", "1",
         "--no-docs", "--json", str(results_path)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=BENCH_DEADLINE_SECONDS,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stdout + finished.stderr
    results = json.loads(results_path.read_text())
    assert [run["subject"] for run in results["runs"]] == [subject.name for subject in SUBJECTS]
    assert results["machine"]["cores"] >= 1 and results["plan"]["pages"] == SMOKE_PAGES
    for run in results["runs"]:
        assert run["arrival"]["live"] == SMOKE_PAGES, run["label"]
        assert run["cities"] >= 4 and not run["writer_failures"], run["label"]
        assert (run["lost"], run["duplicated"]) == (0, 0), run["label"]
        assert run["deliveries"] == SMOKE_PAGES * run["cities"], run["label"]
        assert 0 <= run["delay_ms"]["p50"] <= run["delay_ms"]["p95"] <= run["delay_ms"]["max"], run["label"]
        assert run["per_city"]["bytes"] > 0 and run["server"]["cpu_ms_per_1000_deliveries"] is not None
    # The terminal table: a row for every figure, a column for every subject.
    for label, _cell in ROWS:
        assert label in finished.stdout
    for run in results["runs"]:
        assert run["label"] in finished.stdout


def test_the_bench_refuses_an_unknown_subject_and_says_which_exist():
    finished = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "carrier_pigeon", "--no-docs"],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    assert finished.returncode == 2
    assert "carrier_pigeon" in finished.stderr and "long_polling" in finished.stderr
