"""Redis killed mid-write (SIGKILL) and started again on its data: every app recovers, nothing is lost.

First read tests/faults/test_redis_outage.py, where Redis shuts down cleanly with one app on it.
Here it dies without warning, with every technique's app on it and cities arriving
over HTTP and over a socket, and each acknowledged city must still be there after.
"""

from collections import Counter

import gevent
import pytest
import requests

from shared.board.events import START_CURSOR
from shared.board.settings import Settings
from shared.store.store import Store
from tests.api import all_events_after, city_names
from tests.apps import APPS
from tests.servers import wait_until
from tests.sockets import RecordingSocket

WRITE_GAP_SECONDS = 0.05  # each writer's pace: a busy room, not a benchmark
MOST_CITIES_PER_WRITER = 400  # the writing loop's bound, far above what the test needs
CONCURRENT_REQUESTS = 40


@pytest.fixture
def redis_url(own_redis):
    """The test's own Redis, in place of the suite's: killing it would fail every test's."""
    return own_redis.url


@pytest.fixture
def every_app_on_killable_redis(start_app):
    """Every app, on the test's own Redis, with a rate limit no writer here reaches."""
    return [start_app(app.technique, RATE_LIMIT_CITIES=100_000) for app in APPS]


class CityWriter:
    """Sends cities to one app from a greenlet, as its pages do: a socket for websockets, else POST."""

    def __init__(self, app):
        self.app = app
        is_socket_page = app.technique == "websockets"
        self.socket = RecordingSocket(app.url, auth={"client": "writer"}) if is_socket_page else None
        self.acknowledged, self.refusals, self.unexpected = [], [], []
        self.greenlet = gevent.spawn(self._write)

    def _write(self):
        """Send numbered cities until killed, sorting each answer into acknowledged, refused, unexpected."""
        for number in range(MOST_CITIES_PER_WRITER):
            try:
                city, refusal = self._send(f"{self.app.technique} {number}")
            except Exception as error:  # noqa: BLE001  (a hang or a dropped connection: the test reports it)
                city, refusal = None, None
                self.unexpected.append(repr(error))
            (self.acknowledged.append(city) if city else self.refusals.append(refusal))
            gevent.sleep(WRITE_GAP_SECONDS)

    def _send(self, name):
        """Send one city; return (the stored city, None) or (None, the refusal's error message)."""
        if self.socket:
            answer = self.socket.send_city(name)
            return answer.get("city"), answer.get("error")
        response = requests.post(
            f"{self.app.url}/api/cities", params={"client": "writer"}, json={"name": name}, timeout=5
        )
        if response.status_code == 201:
            return response.json(), None
        if response.status_code != 503:
            self.unexpected.append(f"{response.status_code} {response.text}")
        return None, response.json()["error"]

    def stop(self):
        """Stop writing and close the socket, if any."""
        self.greenlet.kill()
        if self.socket:
            self.socket.close()


def mixed_requests_at_once(app):
    """CONCURRENT_REQUESTS at once, reads and city posts by distinct client ids; their status codes."""

    def one(number):
        """One request: odd numbers read the state, even ones post a city."""
        params = {"client": f"burst-{number}"}
        if number % 2:
            return requests.get(f"{app.url}/api/state", params=params, timeout=10).status_code
        city = {"name": f"{app.technique} burst {number}"}
        return requests.post(f"{app.url}/api/cities", params=params, json=city, timeout=10).status_code

    return [request.get() for request in [gevent.spawn(one, number) for number in range(CONCURRENT_REQUESTS)]]


def write_through_a_kill(own_redis, writers):
    """Kill Redis once every writer has cities stored, start it again once every app refused one."""
    wait_until(lambda: all(len(w.acknowledged) >= 3 for w in writers), message="cities before the kill")
    killed_pid = own_redis.kill()
    wait_until(lambda: all(w.refusals for w in writers), message="every app to refuse a city")
    counts_at_restart = [len(writer.acknowledged) for writer in writers]
    own_redis.start_again()
    wait_until(
        lambda: all(len(w.acknowledged) >= n + 3 for w, n in zip(writers, counts_at_restart, strict=True)),
        timeout=20,
        message="every app to take cities again",
    )
    return killed_pid


def stored_city_ids(url, key_prefix):
    """The id of every city event the restarted Redis holds, oldest first."""
    store = Store(Settings(redis_url=url, key_prefix=key_prefix))
    try:
        events = all_events_after(store, START_CURSOR)
    finally:
        store.close()
    return [event["city"]["id"] for event in events if event["type"] == "city"]


def test_redis_killed_under_load_loses_no_acknowledged_city_and_every_app_recovers(
    own_redis, every_app_on_killable_redis, key_prefix, open_page
):
    apps = every_app_on_killable_redis
    pages = [open_page(app) for app in apps]
    writers = [CityWriter(app) for app in apps]
    try:
        killed_pid = write_through_a_kill(own_redis, writers)
    finally:
        for writer in writers:
            writer.stop()
    assert [writer.unexpected for writer in writers] == [[]] * len(writers)
    for writer in writers:
        assert all("unreachable" in refusal for refusal in writer.refusals), writer.refusals
    all_answered = [[201, 200] * (CONCURRENT_REQUESTS // 2)] * len(apps)
    assert [mixed_requests_at_once(app) for app in apps] == all_answered, "no 5xx once Redis is back"
    stored = stored_city_ids(own_redis.url, key_prefix)
    acknowledged = [city["id"] for writer in writers for city in writer.acknowledged]
    assert set(acknowledged) <= set(stored), "a city answered 201 or acknowledged is lost"
    assert max(Counter(stored).values()) == 1, "a city is stored twice"
    newest = city_names(apps[0])  # each page's listener resumed from its last id: it caught up with all of it
    for page in pages:
        page.wait_for(lambda board, page=page: page.city_names() == newest, f"{page.client} to catch up", 20)
    assert own_redis.pid() != killed_pid and own_redis.runs(), "the record names the running server"
