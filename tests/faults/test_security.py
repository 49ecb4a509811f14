"""Security and start-up defaults: safety headers on every answer, and an unreachable Redis in one line."""

import os
import subprocess
import sys

import pytest
import requests
import socketio

from shared.board.techniques import TECHNIQUES
from shared.tools.ports import free_port
from shared.web.siblings import port_setting
from tests.api import state
from tests.apps import APPS
from tests.servers import PROJECT_ROOT, wait_until

START_DEADLINE_SECONDS = 30


def closed_redis_url():
    """A REDIS_URL at a free port of 127.0.0.1 where nothing listens."""
    return f"redis://127.0.0.1:{free_port()}/0"


def run_without_redis(command, redis_url, extra_env=None):
    """Run `command` with REDIS_URL at `redis_url`; return the finished process."""
    env = {**os.environ, "REDIS_URL": redis_url, "PORT": str(free_port()), **(extra_env or {})}
    return subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=START_DEADLINE_SECONDS,
    )


def assert_one_clear_line(output, redis_url):
    """The output has a line naming the address and the advice, and no traceback."""
    assert "Traceback" not in output
    line = next(line for line in output.splitlines() if "cannot reach Redis" in line)
    assert redis_url in line
    assert "start it, fix REDIS_URL, or unset REDIS_URL" in line


@pytest.mark.parametrize("app", APPS, ids=lambda app: app.technique)
def test_an_app_with_an_unreachable_redis_exits_with_one_line(app):
    """serve names the Redis it could not reach and what to do, and exits non-zero."""
    redis_url = closed_redis_url()
    finished = run_without_redis([sys.executable, "-m", "shared.serve", app.technique], redis_url)
    assert finished.returncode != 0
    assert finished.stderr.strip().count("\n") == 0, finished.stderr
    assert_one_clear_line(finished.stderr, redis_url)


def test_run_all_with_an_unreachable_redis_says_so_without_a_traceback():
    """make run-all relays each app's one line (on its stdout) and stops with a non-zero code."""
    redis_url = closed_redis_url()
    ports = {port_setting(technique): str(free_port()) for technique in TECHNIQUES}
    finished = run_without_redis([sys.executable, "-m", "shared.tools.run_all"], redis_url, ports)
    assert finished.returncode != 0
    assert_one_clear_line(finished.stdout + finished.stderr, redis_url)


def assert_safety_headers(response):
    """The answer tells the browser not to guess its type nor to send a Referer on."""
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_every_answer_carries_nosniff_and_a_referrer_policy(any_app):
    """JSON, HTML and a 404 all carry the two headers; only the page has the script policy."""
    state = requests.get(f"{any_app.url}/api/state", timeout=5)
    page = requests.get(f"{any_app.url}/", timeout=5)
    missing = requests.get(f"{any_app.url}/no-such-page", timeout=5)
    assert (state.status_code, page.status_code, missing.status_code) == (200, 200, 404)
    for response in (state, page, missing):
        assert_safety_headers(response)
    assert "script-src" in page.headers["Content-Security-Policy"]


def test_the_socket_io_endpoint_carries_nosniff_and_a_referrer_policy(start_app):
    """socket.io answers before Flask does, and still carries the two headers."""
    app = start_app("websockets")
    handshake = requests.get(f"{app.url}/socket.io/?EIO=4&transport=polling", timeout=5)
    assert handshake.status_code == 200
    assert handshake.text.startswith("0{")  # an Engine.IO open packet: socket.io answered
    assert_safety_headers(handshake)


def test_the_socket_io_endpoint_refuses_a_foreign_origin_by_default(start_app):
    """Without SOCKETIO_CORS_ORIGINS only the app's own origin may open a socket."""
    app = start_app("websockets")
    handshake_url = f"{app.url}/socket.io/?EIO=4&transport=polling"
    foreign = requests.get(handshake_url, headers={"Origin": "http://elsewhere.test"}, timeout=5)
    own = requests.get(handshake_url, headers={"Origin": app.url}, timeout=5)
    assert foreign.status_code == 400
    assert own.status_code == 200


def test_one_address_may_hold_only_so_many_streams_and_a_closed_one_frees_its_place(start_app, open_stream):
    app = start_app("sse", MAX_STREAMS_PER_ADDRESS=2)
    first, _second = open_stream(app), open_stream(app)
    with requests.get(f"{app.url}/api/stream", stream=True, timeout=5) as refused:
        assert refused.status_code == 429
        assert "too many open connections from your address (at most 2" in refused.json()["error"]
    first.close()
    wait_until(lambda: stream_opens(app), message="the closed stream's place to come free")
    assert state(app)["cities"] == []  # and the board serves as ever


def stream_opens(app):
    """True if a new stream to `app` opens (it is closed again at once)."""
    with requests.get(f"{app.url}/api/stream", stream=True, timeout=5) as response:
        return response.status_code == 200


def test_one_address_may_hold_only_so_many_sockets_and_a_closed_one_frees_its_place(start_app, open_socket):
    app = start_app("websockets", MAX_STREAMS_PER_ADDRESS=2)
    first, _second = open_socket(app), open_socket(app)
    client, refusals = socketio.Client(reconnection=False), []
    client.on("connect_error", refusals.append)
    with pytest.raises(socketio.exceptions.ConnectionError):
        client.connect(app.url, transports=["websocket"], wait_timeout=5)
    assert "too many open connections from your address (at most 2" in refusals[0]["message"]
    first.close()
    third = wait_until(lambda: try_socket(app, open_socket), message="the closed socket's place to come free")
    assert "city" in third.send_city("Room for one more")


def try_socket(app, open_socket):
    """A socket to `app`, or None if the server refused it."""
    try:
        return open_socket(app)
    except socketio.exceptions.ConnectionError:
        return None
