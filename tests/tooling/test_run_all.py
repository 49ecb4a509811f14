"""make run-all (`python -m shared.tools.run_all`): every app at once on one Redis, stopped together."""

import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from shared.board.techniques import TECHNIQUES
from shared.tools.ports import free_port
from shared.web.siblings import port_setting
from tests.servers import PROJECT_ROOT, read_lines_until, wait_until

# What run_all prints once every app answers: "polling   http://127.0.0.1:5001/  (pid 123)".
APP_LINE = re.compile(r"^(?P<technique>\w+) +(?P<url>http://\S+)/ +\(pid (?P<pid>\d+)\)$")
STOP_DEADLINE_SECONDS = 15


def free_ports(count):
    """Return `count` different free ports on 127.0.0.1."""
    ports = set()
    while len(ports) < count:
        ports.add(free_port())
    return list(ports)


def app_is_running(pid):
    """True while `pid` is an app process (Linux): a pid that ended may since name another process."""
    try:
        return b"shared.serve" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return False


class RunAll:
    """`python -m shared.tools.run_all` on free ports, on the test's Redis under its key prefix."""

    def __init__(self, redis_url, key_prefix, **env):
        self.ports = dict(zip(TECHNIQUES, free_ports(len(TECHNIQUES)), strict=True))
        settings = {port_setting(technique): str(port) for technique, port in self.ports.items()}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shared.tools.run_all"],
            cwd=PROJECT_ROOT,
            env={**os.environ, "REDIS_URL": redis_url, "BOARD_KEY_PREFIX": key_prefix, "HOST": "127.0.0.1",
                 "ACCESS_LOG": "0", **settings, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        self.apps = {}

    def wait_for_apps(self):
        """Read the output until it names the race page; return {technique: (url, pid)}."""
        lines = read_lines_until(self.process, lambda line: "/compare" in line, timeout=30)
        matches = [APP_LINE.match(line.rstrip()) for line in lines]
        self.apps = {match["technique"]: (match["url"], int(match["pid"])) for match in matches if match}
        return self.apps

    def finish(self):
        """Wait for run_all to end; return its exit code and the rest of its output."""
        output, _ = self.process.communicate(timeout=STOP_DEADLINE_SECONDS)
        return self.process.returncode, output

    def stop(self):
        """Stop run_all if it still runs, then any app it left behind (by the pids it printed)."""
        if self.process.poll() is None:
            self.process.terminate()
            self.finish()
        for _, pid in self.apps.values():
            if app_is_running(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture
def run_all(redis_url, key_prefix):
    """A factory of RunAll processes (`run_all(WEBSOCKETS_PORT="5013")`), all stopped afterwards."""
    started = []

    def start(**env):
        started.append(RunAll(redis_url, key_prefix, **env))
        return started[-1]

    yield start
    for runner in started:
        runner.stop()


def test_it_serves_every_app_on_one_redis_and_says_where(run_all):
    runner = run_all()
    apps = runner.wait_for_apps()
    assert {technique: url for technique, (url, _) in apps.items()} == {
        technique: f"http://127.0.0.1:{port}" for technique, port in runner.ports.items()
    }
    polling_url, websockets_url = apps["polling"][0], apps["websockets"][0]
    assert requests.post(f"{polling_url}/api/cities", json={"name": "Raleigh"}, timeout=5).status_code == 201

    def names_in_websockets_state():
        response = requests.get(f"{websockets_url}/api/state", timeout=5)
        assert response.status_code == 200
        return [city["name"] for city in response.json()["cities"]]

    assert wait_until(lambda: "Raleigh" in names_in_websockets_state(), message="the city on another app")
    assert requests.get(f"{apps['long_polling'][0]}/compare", timeout=5).status_code == 200


def assert_every_app_ended(apps):
    """Every app run_all named has ended, and its port no longer answers."""
    for technique, (url, pid) in apps.items():
        assert wait_until(lambda pid=pid: not app_is_running(pid), message=f"{technique} (pid {pid}) to end")
        with pytest.raises(requests.ConnectionError):
            requests.get(f"{url}/api/state", timeout=2)


def test_sigterm_stops_every_app_it_started(run_all):
    runner = run_all()
    apps = runner.wait_for_apps()
    runner.process.send_signal(signal.SIGTERM)
    code, output = runner.finish()
    assert code == 0, output
    assert f"stopping all {len(TECHNIQUES)} apps" in output
    assert_every_app_ended(apps)


def test_when_one_app_dies_it_stops_the_others_and_names_the_one(run_all):
    runner = run_all()
    apps = runner.wait_for_apps()
    os.kill(apps["long_polling"][1], signal.SIGKILL)
    code, output = runner.finish()
    assert code == 1, output
    assert "the long_polling app exited (code -9); stopped the others" in output
    assert_every_app_ended(apps)


def test_a_taken_port_is_refused_before_any_app_starts_naming_its_setting(run_all):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        taken_port = taken.getsockname()[1]
        code, output = run_all(WEBSOCKETS_PORT=str(taken_port)).finish()
    assert code == 1
    assert f"cannot listen on 127.0.0.1:{taken_port}" in output and "Set WEBSOCKETS_PORT." in output
    assert "serving on" not in output
