"""Stand-ins for open pages: each technique's terminal client, following the board in a greenlet.

A behaviour test says "a city sent on one page appears on every other"; these let it
open a page of any app and wait on what that page knows, without caring whether
the board arrives by polls, held requests, a stream or socket pushes. They are the real
clients, over real sockets, keeping presence the same way their pages do.
"""

import gevent
import requests

from long_polling.client import LongPollingFollower
from polling.client import PollingFollower
from sse.client import StreamFollower
from tests.servers import wait_until
from websockets.client import SocketFollower

POLL_PAUSE_SECONDS = 0.2
HOLD_SECONDS = 5


def say_nothing(changes, view, wire):
    """Print nothing: a test page only keeps the board, it does not report it."""


class LivePage:
    """One open page: a follower, the greenlet that keeps it up to date, and how it closes."""

    def __init__(self, follower, keep_following, send_city, close):
        self.follower = follower
        self.client = follower.client
        self.send_city = send_city  # (name) -> the stored city, sent the way this page sends one
        self._close = close  # runs after `keep_following` is stopped
        self._greenlet = gevent.spawn(keep_following)

    @property
    def board(self):
        """The board as this page knows it (None before its first answer)."""
        return self.follower.view.state

    def city_names(self):
        """The cities this page shows, newest first."""
        return [city["name"] for city in self.board["cities"]] if self.board else []

    def wait_for(self, condition, message, timeout=15):
        """Wait until `condition(board)` holds for this page's board, and return the board."""
        return wait_until(
            lambda: self.board if self.board and condition(self.board) else None, timeout, message=message
        )

    def wait_for_newest_city(self, name, timeout=15):
        """Wait until `name` is the newest city this page shows, and return the board."""
        return self.wait_for(lambda board: self.city_names()[:1] == [name], f"{name!r} first", timeout)

    def close(self):
        """Close the page: stop following and leave, as a closing tab does."""
        self._greenlet.kill()
        self._close()


def post_city_as(follower):
    """How an HTTP page sends a city: POST /api/cities with its client id."""

    def send_city(name):
        url = f"{follower.base_url}/api/cities"
        response = requests.post(url, params={"client": follower.client}, json={"name": name}, timeout=5)
        assert response.status_code == 201, response.text
        return response.json()

    return send_city


def emit_city_as(follower):
    """How a websockets page sends a city: a `city` message on its socket, answered by an ack."""

    def send_city(name):
        acknowledgement = follower.sio.call("city", {"name": name}, timeout=5)
        assert "city" in acknowledgement, acknowledgement
        return acknowledgement["city"]

    return send_city


def open_polling_page(url):
    """A page that polls /api/state with its ETag (follow() sends the leave when it is stopped)."""
    follower = PollingFollower(url)

    def keep_polling():
        follower.follow(follower.poll_once, pause=POLL_PAUSE_SECONDS)

    return LivePage(follower, keep_polling, post_city_as(follower), follower.session.close)


def open_long_polling_page(url):
    """A page that holds /api/updates requests (follow() sends the leave when it is stopped)."""
    follower = LongPollingFollower(url, hold_seconds=HOLD_SECONDS)

    def keep_asking():
        follower.follow(follower.wait_once)

    return LivePage(follower, keep_asking, post_city_as(follower), follower.session.close)


def open_sse_page(url):
    """A page with one event stream open (follow() sends the leave when it is stopped)."""
    follower = StreamFollower(url)

    def keep_reading():
        follower.follow(follower.next_changes)

    return LivePage(follower, keep_reading, post_city_as(follower), follower.session.close)


def open_websockets_page(url):
    """A page with one socket that the server pushes to."""
    follower = SocketFollower(url, show=say_nothing)
    return LivePage(follower, follower.connect, emit_city_as(follower), follower.close)
