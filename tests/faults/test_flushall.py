"""Redis wiped (FLUSHALL) while every app runs: old cursors get a fresh state, new cities reach every page.

A wiped Redis starts a new history: its stream's ids are new, and nothing from
before is kept. A page that comes back with a cursor from before must be given a
fresh board, never the new history's events applied to its old one; the
listener's copies of the board (shared/tuning/mirror.py) and of the newest events
(shared/tuning/recent.py) must not outlive the history they copied.
"""

import pytest
import requests

from tests.api import TIMEOUT_SECONDS, add_city
from tests.servers import wait_until


@pytest.fixture
def redis_url(own_redis):
    """The test's own Redis, in place of the suite's: FLUSHALL wipes every test's keys on a server."""
    return own_redis.url


def city_names(state):
    """The names of a state's cities, newest first."""
    return [city["name"] for city in state["cities"]]


def given(connection, name):
    """True if an open socket or stream was given the city `name`: as an event, or in a fresh board.

    Which one depends on whether the listener read the city before it noticed the wipe.
    """
    fresh_boards = connection.states()[1:]
    return name in connection.city_names() or any(name in city_names(board) for board in fresh_boards)


def test_after_a_wipe_old_cursors_get_a_fresh_state_and_new_cities_reach_every_page(
    every_app, store, open_page, open_socket, open_stream
):
    apps = {app.technique: app for app in every_app}
    pages = [open_page(app) for app in every_app]
    staying_socket = open_socket(apps["websockets"], auth={"client": "staying-socket"})
    staying_stream = open_stream(apps["sse"], params={"client": "staying-stream"})
    old_cursor = add_city(apps["polling"], "Before the wipe")["id"]
    for page in pages:
        page.wait_for_newest_city("Before the wipe")

    store.redis.flushall()
    add_city(apps["long_polling"], "After the wipe")
    for page in pages:
        page.wait_for_newest_city("After the wipe")
    for connection in (staying_socket, staying_stream):
        wait_until(lambda c=connection: given(c, "After the wipe"), message="the city, on an open page")

    # Every app now answers a cursor from before the wipe with the new history's board alone.
    fresh = ["After the wipe"]
    etag = {"If-None-Match": f'"{old_cursor}"'}
    polled = requests.get(f"{apps['polling'].url}/api/state", headers=etag, timeout=TIMEOUT_SECONDS)
    assert polled.status_code == 200 and city_names(polled.json()) == fresh
    held = requests.get(
        f"{apps['long_polling'].url}/api/updates",
        params={"cursor": old_cursor, "timeout": "1"},
        timeout=TIMEOUT_SECONDS,
    )
    assert held.status_code == 200 and "events" not in held.json(), held.text
    assert city_names(held.json()["state"]) == fresh
    resumed = open_stream(apps["sse"], headers={"Last-Event-ID": old_cursor})
    assert city_names(wait_until(resumed.states, message="the resumed stream's board")[0]) == fresh
    assert resumed.messages[0].event == "state"
    reconnected = open_socket(apps["websockets"], auth={"cursor": old_cursor})
    assert city_names(wait_until(reconnected.states, message="the reconnected socket's board")[0]) == fresh
    assert reconnected.received[0][0] == "state"
    # A page with no cursor is given the board from the listener's memory: the new one too.
    arriving = open_socket(apps["websockets"])
    assert city_names(wait_until(arriving.states, message="a new socket's board")[0]) == fresh
