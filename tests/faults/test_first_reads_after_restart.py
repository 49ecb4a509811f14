"""Redis restarted while an app waits: the first crowd of readers after it is answered, every one.

First read tests/faults/test_redis_restart.py, where pages stay open across the kill. Here
nobody had asked for news before it, so the process's listener had not started yet: its
connection, made when the app started, was cut by the kill and nobody noticed. The
first read that starts the listener used to meet that dead connection and answer 503
"unreachable" (one read in forty, every time), although Redis had been back for a while.
"""

import gevent
import pytest
import requests

from tests.api import get_state
from tests.apps import APPS, PATHS
from tests.servers import wait_until
from tests.sockets import RecordingSocket

READERS = 40
TIMEOUT_SECONDS = 10


@pytest.fixture
def redis_url(own_redis):
    """The test's own Redis, in place of the suite's: killing it would fail every test's."""
    return own_redis.url


def post_city(app, name):
    """POST a city; its status code."""
    params = {"client": "writer"}
    return requests.post(f"{app.url}/api/cities", params=params, json={"name": name}, timeout=5).status_code


def read_as_a_page_does(app, number, cursor):
    """One page's first read with the cursor it had before the restart: what it was answered.

    A status code over HTTP, or for a socket "state"/"event" (what it received first) or
    the reason its connect was refused.
    """
    client = f"reader-{number}"
    url = app.url
    if app.technique == "polling":
        headers = {"If-None-Match": f'"{cursor}"'}
        return requests.get(
            f"{url}/api/state", params={"client": client}, headers=headers, timeout=10
        ).status_code
    if app.technique == "long_polling":
        params = {"client": client, "cursor": cursor, "timeout": 0}
        return requests.get(f"{url}/api/updates", params=params, timeout=TIMEOUT_SECONDS).status_code
    if app.technique == "sse":
        params = {"client": client, "cursor": cursor}
        with requests.get(
            f"{url}/api/stream", params=params, stream=True, timeout=TIMEOUT_SECONDS
        ) as response:
            return response.status_code
    try:
        socket = RecordingSocket(url, auth={"client": client, "cursor": cursor})
    except Exception as refused:  # noqa: BLE001  (the refusal's message is what the test reports)
        return repr(refused)
    try:
        return wait_until(
            lambda: socket.received and socket.received[0][0], message="the socket's first message"
        )
    finally:
        socket.close()


@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))  # the fixture of that name: the app's path
@pytest.mark.parametrize("technique", [app.technique for app in APPS])
def test_forty_pages_reading_at_once_after_a_redis_restart_are_all_answered(own_redis, start_app, technique):
    app = start_app(technique, RATE_LIMIT_CITIES=100_000)
    cursor = get_state(app, client="before").json()["cursor"]
    own_redis.kill()
    assert post_city(app, "while Redis is away") == 503
    own_redis.start_again()
    wait_until(lambda: post_city(app, "once Redis is back") == 201, message="a city to be taken again")

    readers = [gevent.spawn(read_as_a_page_does, app, number, cursor) for number in range(READERS)]
    answers = [reader.get() for reader in readers]

    expected = "event" if technique == "websockets" else 200  # a socket replays what it missed
    assert answers == [expected] * READERS
