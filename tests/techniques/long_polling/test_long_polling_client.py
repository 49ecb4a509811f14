"""The long polling protocol as the terminal client speaks it: a state, then events after its cursor."""

import requests

from long_polling.client import LongPollingFollower


def test_the_client_starts_from_the_state_then_receives_each_city_as_an_event(long_polling_app):
    follower = LongPollingFollower(long_polling_app.url, hold_seconds=5)
    assert follower.wait_once()[0].startswith("board: opened")
    assert follower.cursor == follower.view.state["cursor"]
    response = requests.post(f"{long_polling_app.url}/api/cities", json={"name": "Porto"}, timeout=5)
    assert response.status_code == 201
    changes = []
    while "city 'Porto'" not in changes:  # a presence event (this client arriving) may come first
        changes = follower.wait_once()
    assert follower.view.state["cities"][0]["name"] == "Porto"
    assert follower.cursor == response.json()["id"]


def test_a_client_whose_cursor_is_too_old_catches_up_from_a_fresh_state(long_polling_app):
    follower = LongPollingFollower(long_polling_app.url, hold_seconds=5)
    follower.wait_once()
    response = requests.post(f"{long_polling_app.url}/api/cities", json={"name": "Lima"}, timeout=5)
    assert response.status_code == 201
    follower.cursor = "99999999999999-0"  # as if Redis had been wiped since this client last asked
    changes = follower.wait_once()
    assert "city 'Lima'" in changes
    assert follower.cursor == follower.view.state["cursor"] != "99999999999999-0"
