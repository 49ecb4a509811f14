"""LATENCY=200: an app reached through the delaying proxy on its usual port, the proxy gone with the app.

The proxy itself (shared/tools/delay_proxy.py) is tried in test_bench_proxy.py; here
`python -m shared.serve` puts it in front of an app, as `make run-all` does for four.
"""

import os
import re
import signal
import subprocess
import sys
import time

import pytest
import requests

from tests.api import TIMEOUT_SECONDS
from tests.apps import PATHS
from tests.servers import PROJECT_ROOT, wait_until

LATENCY_MS = 200
# What the app prints when a proxy stands in front of it (shared/tools/latency.py, Front.describe).
BANNER = re.compile(
    rf"serving on http://127\.0\.0\.1:(?P<port>\d+)/ through a proxy that delays every byte {LATENCY_MS} ms "
    r"each way \(the app itself on 127\.0\.0\.1:(?P<app_port>\d+), the proxy's pid (?P<proxy_pid>\d+)\)"
)
STOP_DEADLINE_SECONDS = 10


def start_behind_proxy(start_app, technique):
    """Start `technique` with LATENCY; return the app and its banner's port, app_port and proxy_pid."""
    app = start_app(technique, LATENCY=str(LATENCY_MS))
    banner = wait_until(lambda: BANNER.search(app.log_path.read_text()), message="the banner, with its proxy")
    assert int(banner["port"]) == app.port
    return app, {name: int(value) for name, value in banner.groupdict().items()}


def timed_state(url):
    """GET /api/state on a new connection; return the response and the seconds it took."""
    started = time.monotonic()
    response = requests.get(f"{url}/api/state", timeout=TIMEOUT_SECONDS)
    return response, time.monotonic() - started


def is_gone(pid):
    """True once no process has this pid (a zombie still has one: its parent must have reaped it)."""
    return not os.path.exists(f"/proc/{pid}")


def refuses_connections(port):
    """True once nothing answers on 127.0.0.1:`port`."""
    try:
        requests.get(f"http://127.0.0.1:{port}/api/state", timeout=TIMEOUT_SECONDS)
    except requests.ConnectionError:
        return True
    return False


# websockets is served by socketio.run, the others by gevent's WSGIServer: one of each.
@pytest.mark.parametrize("technique", ["polling", "websockets"])
@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))  # the fixture of that name: the app's path
def test_the_usual_port_answers_through_the_delay_and_sigterm_stops_both(start_app, technique):
    app, banner = start_behind_proxy(start_app, technique)
    through_proxy, round_trip = timed_state(app.url)
    assert through_proxy.status_code == 200 and through_proxy.json()["cities"] == [], through_proxy.text
    # The request waits 200 ms on its way in and the answer 200 ms on its way out.
    assert round_trip >= 2 * LATENCY_MS / 1000
    direct, _ = timed_state(f"http://127.0.0.1:{banner['app_port']}")
    assert direct.status_code == 200 and direct.json()["cursor"] == through_proxy.json()["cursor"]

    app.process.send_signal(signal.SIGTERM)
    assert app.process.wait(STOP_DEADLINE_SECONDS) == 0
    assert is_gone(banner["proxy_pid"]), "the app reaped its proxy before it exited"
    assert refuses_connections(app.port) and refuses_connections(banner["app_port"])


def test_ctrl_c_on_the_app_alone_stops_its_proxy_too(start_app):
    app, banner = start_behind_proxy(start_app, "sse")
    app.process.send_signal(signal.SIGINT)  # to the app only: the proxy must be stopped by the app
    app.process.wait(STOP_DEADLINE_SECONDS)
    assert is_gone(banner["proxy_pid"])
    assert refuses_connections(app.port)


def test_a_proxy_whose_app_was_killed_does_not_outlive_it(start_app):
    app, banner = start_behind_proxy(start_app, "long_polling")
    app.process.kill()  # SIGKILL: the app stops nothing, the proxy must notice by itself
    app.process.wait()
    wait_until(lambda: is_gone(banner["proxy_pid"]), timeout=5, message="the orphaned proxy to end")
    assert refuses_connections(app.port)


@pytest.mark.parametrize(
    ("latency", "line"),
    [
        ("fast", "LATENCY must be a number, not 'fast'"),
        ("-1", "LATENCY must be milliseconds each way, from 0 to 5000, not -1"),
        ("9000", "LATENCY must be milliseconds each way, from 0 to 5000, not 9000"),
    ],
)
def test_a_bad_latency_stops_the_app_with_one_line(latency, line):
    done = subprocess.run(
        [sys.executable, "-m", "shared.serve", "polling"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "LATENCY": latency, "REDIS_URL": "redis://127.0.0.1:1/0"},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 1
    assert (done.stdout + done.stderr) == line + "\n"
