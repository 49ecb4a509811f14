"""Redis wiped while the board is quiet: every app notices within seconds, with no write to show it.

First read tests/faults/test_flushall.py, where a city written after the wipe shows the
apps a new history. An operator wipes a board to start afresh, between two workshop
groups say, and nobody writes then: each process's listener must notice by itself
(shared/news/listener.py), tell the pages open on it, and count them present again.
"""

import time

import gevent
import pytest
import requests

from tests.api import TIMEOUT_SECONDS, add_city, state
from tests.apps import PATHS
from tests.servers import wait_until

NOTICED_WITHIN_SECONDS = 5


@pytest.fixture
def redis_url(own_redis):
    """The test's own Redis, in place of the suite's: FLUSHALL wipes every test's keys on a server."""
    return own_redis.url


def city_names(board):
    """The names of a board's cities, newest first."""
    return [city["name"] for city in board["cities"]]


class Deadline:
    """NOTICED_WITHIN_SECONDS from the wipe: each wait after it gets what is left of them."""

    def __init__(self):
        self.at = time.monotonic() + NOTICED_WITHIN_SECONDS

    def wait_until(self, condition, message):
        """Wait for `condition` until the deadline (each condition is tried at least once)."""
        return wait_until(condition, timeout=max(0.1, self.at - time.monotonic()), message=message)


@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))  # the fixture of that name: the apps' path
def test_a_quiet_wipe_reaches_old_cursors_open_pages_and_presence_within_seconds(
    every_app, store, open_page, open_socket, open_stream
):
    apps = {app.technique: app for app in every_app}
    pages = [open_page(app) for app in every_app]
    socket = open_socket(apps["websockets"], auth={"client": "open-socket"})
    stream = open_stream(apps["sse"], params={"client": "open-stream"})
    old_cursor = add_city(apps["polling"], "Before the wipe")["id"]
    for page in pages:
        page.wait_for_newest_city("Before the wipe")
    wait_until(lambda: len(socket.states()) == 1 and len(stream.states()) == 1, message="the first states")
    # A held request, waiting for what comes after the newest event. No client id: its own
    # arrival would change the totals, and they would answer it.
    holding = gevent.spawn(hold_until_a_state, apps["long_polling"], state(apps["long_polling"])["cursor"])

    store.redis.flushall()
    deadline = Deadline()

    # Every open page is given the fresh, empty board, over the connection it has.
    held = holding.get(timeout=NOTICED_WITHIN_SECONDS)
    assert held.status_code == 200 and city_names(held.json()["state"]) == [], held.text
    for page in pages:
        deadline.wait_until(lambda page=page: page.board["cities"] == [], f"{page.client} to show no city")
    fresh_states = deadline.wait_until(lambda: socket.states()[1:] + stream.states()[1:], "fresh states")
    assert [city_names(board) for board in fresh_states] == [[]] * len(fresh_states)
    deadline.wait_until(lambda: len(socket.states()) == len(stream.states()) == 2, "a state on each")
    # Every app answers the old cursor with a fresh board.
    etag = {"If-None-Match": f'"{old_cursor}"'}
    polled = requests.get(f"{apps['polling'].url}/api/state", headers=etag, timeout=TIMEOUT_SECONDS)
    assert polled.status_code == 200 and city_names(polled.json()) == []
    asked = requests.get(
        f"{apps['long_polling'].url}/api/updates", params={"cursor": old_cursor, "timeout": "0"}, timeout=5
    )
    assert asked.status_code == 200 and city_names(asked.json()["state"]) == [], asked.text
    resumed = open_stream(apps["sse"], headers={"Last-Event-ID": old_cursor})
    assert city_names(wait_until(resumed.states, message="the resumed stream's board")[0]) == []
    assert resumed.messages[0].event == "state"
    reconnected = open_socket(apps["websockets"], auth={"cursor": old_cursor})
    assert wait_until(lambda: reconnected.received, message="the socket's first message")[0][0] == "state"
    # And the pages open across the wipe count as here again, on every technique.
    open_pages = {"polling": 1, "long_polling": 1, "sse": 2, "websockets": 2}
    deadline.wait_until(lambda: counted(apps["polling"], open_pages), "the open pages to count again")


def hold_until_a_state(app, cursor):
    """Hold requests as a page does, each from the last one's cursor, until one answers a state.

    Totals published late by the arrivals before the wipe may answer the first; the one held
    when the wipe comes must be answered with a fresh board.
    """
    for _ in range(10):
        params = {"cursor": cursor, "timeout": "25"}
        response = requests.get(f"{app.url}/api/updates", params=params, timeout=30)
        if response.status_code != 200 or "state" in response.json():
            return response
        cursor = response.json()["cursor"]
    raise AssertionError("no held request was answered with a state")


def counted(app, open_pages):
    """True if the board counts at least `open_pages[technique]` pages of each technique."""
    present = state(app)["present"]
    return all(present[technique] >= pages for technique, pages in open_pages.items())
