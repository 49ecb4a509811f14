"""Redis goes away and comes back: the listener resumes, the apps answer 503 meanwhile.

Each test here runs on a Redis server of its own (`own_redis`), because it restarts it.
"""

import gevent
import pytest
import requests
import socketio

import polling
from shared.web.errors import SERVER_BUSY
from tests.servers import established_connections, wait_until
from tests.sockets import RecordingSocket


@pytest.fixture
def redis_url(own_redis):
    """The test's own Redis, in place of the suite's: stopping it would stop every test's."""
    return own_redis.url


def add_city_when_redis_answers(store, name):
    """Add a city, retrying while the freshly restarted server still refuses."""
    return wait_until(lambda: _try_add_city(store, name), timeout=15, message="Redis to take a city")


def _try_add_city(store, name):
    try:
        return store.add_city(name)
    except Exception:  # noqa: BLE001  (ConnectionError or loading; either way, try again)
        return None


def test_the_listener_keeps_delivering_after_redis_restarts(own_redis, store):
    with store.listener.subscribe() as subscription:
        before = store.add_city("Before the restart")
        assert subscription.next_batch(timeout=10)[0]["city"] == before
        own_redis.restart()
        after = add_city_when_redis_answers(store, "After the restart")
        batch = wait_until(lambda: subscription.next_batch(timeout=1), timeout=20, message="the listener")
        assert [event["city"] for event in batch] == [after]
    assert [city["name"] for city in store.state()["cities"]] == ["After the restart", "Before the restart"]


def test_while_redis_is_unreachable_the_api_answers_503_in_json_then_recovers(own_redis, start_app):
    app = start_app("polling")
    own_redis.stop()
    state = requests.get(f"{app.url}/api/state", timeout=10)
    assert state.status_code == 503
    assert "unreachable" in state.json()["error"]
    assert state.headers["Retry-After"]
    city = requests.post(f"{app.url}/api/cities", json={"name": "Lost?"}, timeout=10)
    assert city.status_code == 503 and "error" in city.json()
    page = requests.get(app.url, timeout=10)
    assert page.status_code == 200, "the page itself still loads, and its status line shows the outage"
    own_redis.start_again()
    wait_until(
        lambda: requests.get(f"{app.url}/api/state", timeout=10).status_code == 200,
        timeout=20,
        message="the app to reach Redis again",
    )
    assert requests.post(f"{app.url}/api/cities", json={"name": "Back"}, timeout=10).status_code == 201


def test_a_request_held_across_a_redis_restart_receives_the_city_sent_after_it(own_redis, start_app):
    app = start_app("long_polling")
    cursor = requests.get(f"{app.url}/api/state", timeout=5).json()["cursor"]
    params = {"cursor": cursor, "timeout": 45}
    held = gevent.spawn(requests.get, f"{app.url}/api/updates", params=params, timeout=60)
    wait_until(lambda: established_connections(app.port) == 1, message="the request to be held")
    own_redis.restart()
    city = wait_until(
        lambda: post_city_once(app, "After the restart"), timeout=20, message="the app to take a city"
    )
    response = held.get(timeout=30)
    assert response.status_code == 200
    assert [event["city"] for event in response.json()["events"]] == [city]


def post_city_once(app, name):
    """POST a city; its JSON when stored, None while the app still answers 503."""
    response = requests.post(f"{app.url}/api/cities", json={"name": name}, timeout=10)
    return response.json() if response.status_code == 201 else None


def test_while_redis_is_unreachable_a_socket_gets_error_acks_stays_open_then_recovers(
    own_redis, start_app, open_socket
):
    app = start_app("websockets")
    sender = open_socket(app, auth={"client": "sender"})
    watcher = open_socket(app, auth={"client": "watcher"})
    own_redis.stop()
    answer = sender.send_city("Lost?")
    assert "unreachable" in answer["error"]
    assert sender.call("ping") == "pong" and watcher.sio.connected
    with pytest.raises(socketio.exceptions.ConnectionError):
        RecordingSocket(app.url)  # a new socket is refused: its state cannot be read
    own_redis.start_again()
    wait_until(lambda: "city" in sender.send_city("Back"), timeout=20, message="Redis to take a city")
    wait_until(lambda: watcher.city_names() == ["Back"], message="the city, through the resumed relay")


def test_while_every_redis_connection_is_in_use_the_api_says_busy_not_unreachable(
    monkeypatch, redis_url, key_prefix
):
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.setenv("BOARD_KEY_PREFIX", key_prefix)
    monkeypatch.setenv("REDIS_MAX_CONNECTIONS", "1")
    app = polling.create_app()
    pool = app.extensions["board_store"].redis.connection_pool
    held = pool.get_connection()  # as a crowd's requests hold every connection for a moment
    try:
        answer = app.test_client().get("/api/state")
    finally:
        pool.release(held)
        app.extensions["board_store"].close()
    assert answer.status_code == 503
    assert answer.json == {"error": SERVER_BUSY}
    assert answer.headers["Retry-After"] == "1"
