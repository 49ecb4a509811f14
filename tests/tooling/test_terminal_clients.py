"""Every technique's terminal client, run as a user runs it: same protocol as its page, same output."""

import re
import subprocess
import sys

import requests

from tests.apps import APPS_BY_TECHNIQUE
from tests.servers import PROJECT_ROOT, read_lines_until

# What every client prints after a change: its delay, then what it sent (requests or
# socket frames) and the bytes it received.
WIRE_COUNT = re.compile(r"\[delay \d+ ms; (requests|frames) \d+, bytes [\d,]+\]$")


def start_client(app, *extra):
    """Run `python -m <technique>.client URL` with its output (warnings too) piped to the test."""
    quick_options = APPS_BY_TECHNIQUE[app.technique].client_options
    command = [sys.executable, "-m", f"{app.technique}.client", app.url, *quick_options, *extra]
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_the_terminal_client_prints_each_change_with_its_delay_and_wire_count(any_app):
    app = any_app
    client = start_client(app)
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


def test_the_terminal_client_can_stop_after_a_number_of_updates(any_app):
    app = any_app
    client = start_client(app, "--updates", "1")
    try:
        read_lines_until(client, lambda line: line.startswith("board: opened"))
        response = requests.post(f"{app.url}/api/cities", json={"name": "Brno"}, timeout=5)
        assert response.status_code == 201
        assert client.wait(timeout=30) == 0
    finally:
        client.kill()
