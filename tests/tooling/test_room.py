"""make room (`python -m bench.room`), small and short, at every app on one Redis: its table, its refusals."""

import os
import subprocess
import sys

import pytest
import requests

from shared.board.techniques import TECHNIQUES
from shared.web.siblings import port_setting
from tests.apps import APPS, PATHS
from tests.servers import PROJECT_ROOT, wait_until
from tests.tooling.test_run_all import free_ports

ROOM_DEADLINE_SECONDS = 60
PAGES_EACH = 2


def room(ports, *options):
    """Run the room at the apps on `ports`, with their quick settings (POLL_INTERVAL, HOLD_SECONDS)."""
    settings = {port_setting(technique): str(port) for technique, port in ports.items()}
    quick = {name: value for app in APPS for name, value in app.quick_env.items()}
    return subprocess.run(
        [sys.executable, "-m", "bench.room", *options],
        cwd=PROJECT_ROOT,
        env={**os.environ, "HOST": "127.0.0.1", **settings, **quick},
        capture_output=True,
        text=True,
        timeout=ROOM_DEADLINE_SECONDS,
    )


def table_rows(output):
    """The table's rows by technique: each row's cells split on white space."""
    rows = [line.split() for line in output.splitlines()]
    return {row[0]: row[1:] for row in rows if row and row[0] in TECHNIQUES}


def present_total(app):
    """How many pages the board counts as here now."""
    answer = requests.get(f"{app.url}/api/state", timeout=5)
    assert answer.status_code == 200
    return answer.json()["present"]["total"]


@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))  # the fixture of that name: the apps' path
def test_a_small_room_reaches_every_technique_loses_no_city_and_leaves(every_app):
    ports = {app.technique: app.port for app in every_app}
    run = room(ports, "--pages", str(PAGES_EACH * len(TECHNIQUES)), "--seconds", "3", "--gap", "0.75",
               "--ramp", "1")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    rows = table_rows(run.stdout)
    assert set(rows) == set(TECHNIQUES), run.stdout
    for technique, (pages, sent, what, received, _kib, cpu, p50, _p99, lost, duplicated) in rows.items():
        assert pages == str(PAGES_EACH), technique
        assert what == ("frames" if technique == "websockets" else "requests"), technique
        assert int(sent.replace(",", "")) > 0, technique
        assert float(received.replace(",", "")) > 0, technique
        assert cpu.endswith("%") and p50 != "-", technique  # each app's GET /api/cost, the cities' delays
        assert (lost, duplicated) == ("0", "0"), technique
    assert "4 cities posted by the room's pages" in run.stdout and "(refused: none)" in run.stdout
    assert run.stdout.splitlines()[-1] == "PASS"
    assert wait_until(lambda: present_total(every_app[0]) == 0, message="the room's pages to leave")


def test_with_no_app_answering_it_says_to_run_run_all_and_starts_nothing():
    ports = dict(zip(TECHNIQUES, free_ports(len(TECHNIQUES)), strict=True))
    run = room(ports, "--pages", "8", "--seconds", "2")
    assert run.returncode == 2
    assert run.stdout == ""
    [line] = run.stderr.splitlines()
    assert line.startswith("no app answers (polling at http://127.0.0.1:") and "make run-all" in line


@pytest.mark.parametrize(("option", "value", "says"), [
    ("--pages", "many", "PAGES must be a whole number, at least 4 (a page per technique), not 'many'"),
    ("--pages", "2", "PAGES must be a whole number, at least 4 (a page per technique), not '2'"),
    ("--seconds", "0", "SECONDS must be a number above 0, not '0'"),
])  # fmt: skip
def test_a_bad_setting_is_refused_in_one_line(option, value, says):
    run = room(dict(zip(TECHNIQUES, free_ports(len(TECHNIQUES)), strict=True)), option, value)
    assert (run.returncode, run.stdout, run.stderr) == (2, "", says + "\n")
