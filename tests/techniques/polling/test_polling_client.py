"""The polling protocol as the page and the terminal client speak it."""

import requests

from polling.client import PollingFollower
from tests.servers import wait_until


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
