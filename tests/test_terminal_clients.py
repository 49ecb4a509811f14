"""Every technique's terminal client, run as a user runs it: same protocol as its page, same output."""

import re
import subprocess
import sys

import pytest
import requests

from tests.apps import APPS, APPS_BY_TECHNIQUE
from tests.servers import PROJECT_ROOT, read_lines_until

# What every client prints after a change: its delay, then what it sent (requests or
# socket frames) and the bytes it received.
WIRE_COUNT = re.compile(r"\[delay \d+ ms; (requests|frames) \d+, bytes [\d,]+\]$")


@pytest.fixture(params=[app.technique for app in APPS])
def technique(request):
    """Each technique (every one has a terminal client)."""
    return request.param


def start_client(technique, app, *extra):
    """Run `python -m <technique>.client URL` with its output (warnings too) piped to the test."""
    quick_options = APPS_BY_TECHNIQUE[technique].client_options
    command = [sys.executable, "-m", f"{technique}.client", app.url, *quick_options, *extra]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_the_terminal_client_prints_each_change_with_its_delay_and_wire_count(start_app, technique):
    app = start_app(technique)
    client = start_client(technique, app)
    try:
        [first_line] = read_lines_until(client, lambda line: True)
        assert first_line.startswith("board: opened"), first_line
        response = requests.post(f"{app.url}/api/cities", json={"name": "Gent"}, timeout=5)
        assert response.status_code == 201
        city_line = read_lines_until(client, lambda line: line.startswith("city 'Gent'"))[-1]
    finally:
        client.terminate()
        client.wait(timeout=10)
    assert WIRE_COUNT.search(city_line.strip()), city_line


def test_the_terminal_client_can_stop_after_a_number_of_updates(start_app, technique):
    app = start_app(technique)
    client = start_client(technique, app, "--updates", "1")
    try:
        read_lines_until(client, lambda line: line.startswith("board: opened"))
        response = requests.post(f"{app.url}/api/cities", json={"name": "Brno"}, timeout=5)
        assert response.status_code == 201
        assert client.wait(timeout=30) == 0
    finally:
        client.kill()
