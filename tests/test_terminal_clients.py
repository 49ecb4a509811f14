"""Every technique's terminal client (`python -m <technique>.client URL`) prints the same lines."""

import subprocess
import sys

import pytest
import requests

from tests.servers import PROJECT_ROOT, read_lines_until

# What each client needs to be quick here, and the word its wire count starts with.
CLIENTS = [
    pytest.param("polling", ["--interval", "0.2"], "requests", id="polling"),
    pytest.param("websockets", [], "frames", id="websockets"),
]


def start_client(technique, url, options):
    """Start a technique's terminal client with its output piped."""
    return subprocess.Popen(
        [sys.executable, "-m", f"{technique}.client", url, *options],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


@pytest.mark.parametrize(("technique", "options", "wire_word"), CLIENTS)
def test_the_terminal_client_prints_each_change_with_its_delay_and_wire_count(
    start_app, technique, options, wire_word
):
    app = start_app(technique)
    client = start_client(technique, app.url, options)
    try:
        [first_line] = read_lines_until(client, lambda line: True)
        assert first_line.startswith("board: opened"), first_line
        response = requests.post(f"{app.url}/api/cities", json={"name": "Gent"}, timeout=5)
        assert response.status_code == 201
        city_line = read_lines_until(client, lambda line: line.startswith("city 'Gent'"))[-1]
    finally:
        client.terminate()
        client.wait(timeout=10)
    assert "delay" in city_line and wire_word in city_line and "bytes" in city_line


@pytest.mark.parametrize(("technique", "options", "wire_word"), CLIENTS)
def test_the_terminal_client_can_stop_after_a_number_of_updates(start_app, technique, options, wire_word):
    app = start_app(technique)
    client = start_client(technique, app.url, [*options, "--updates", "1"])
    try:
        read_lines_until(client, lambda line: line.startswith("board: opened"))
        response = requests.post(f"{app.url}/api/cities", json={"name": "Brno"}, timeout=5)
        assert response.status_code == 201
        assert client.wait(timeout=30) == 0
    finally:
        client.kill()
        client.wait(timeout=10)
