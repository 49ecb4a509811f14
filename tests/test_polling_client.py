"""The polling protocol as the page and the terminal client speak it."""

import subprocess
import sys

import requests

from polling.client import PollingFollower
from tests.servers import PROJECT_ROOT, read_lines_until, wait_until


def test_a_city_posted_while_a_client_polls_arrives_at_its_next_poll(polling_app):
    follower = PollingFollower(polling_app.url)
    follower.poll_once()
    response = requests.post(f"{polling_app.url}/api/cities", json={"name": "Porto"}, timeout=5)
    assert response.status_code == 201
    changes = follower.poll_once()
    assert "city 'Porto'" in changes
    assert follower.view.state["cities"][0]["name"] == "Porto"


def test_an_unchanged_board_costs_the_client_an_empty_304(polling_app):
    follower = PollingFollower(polling_app.url)
    follower.poll_once()
    wait_until(lambda: follower.poll_once() == [], message="the board to settle")
    bytes_before = follower.wire.bytes
    assert follower.poll_once() == []
    assert 0 < follower.wire.bytes - bytes_before <= 300


def test_the_terminal_client_prints_each_change_with_its_delay_and_wire_count(polling_app):
    client = subprocess.Popen(
        [sys.executable, "-m", "polling.client", polling_app.url, "--interval", "0.2"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        [first_line] = read_lines_until(client, lambda line: True)
        assert first_line.startswith("board: opened"), first_line
        response = requests.post(f"{polling_app.url}/api/cities", json={"name": "Gent"}, timeout=5)
        assert response.status_code == 201
        city_line = read_lines_until(client, lambda line: line.startswith("city 'Gent'"))[-1]
    finally:
        client.terminate()
        client.wait(timeout=10)
    assert "delay" in city_line and "requests" in city_line and "bytes" in city_line


def test_the_terminal_client_can_stop_after_a_number_of_updates(polling_app):
    client = subprocess.Popen(
        [sys.executable, "-m", "polling.client", polling_app.url, "--interval", "0.2", "--updates", "1"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        read_lines_until(client, lambda line: line.startswith("board: opened"))
        response = requests.post(f"{polling_app.url}/api/cities", json={"name": "Brno"}, timeout=5)
        assert response.status_code == 201
        assert client.wait(timeout=30) == 0
    finally:
        client.kill()
