"""The official socket.io JavaScript client (from node_modules, under Node) talks to our server."""

import json
import shutil
import subprocess

import pytest

from tests.apps import PATHS
from tests.servers import PROJECT_ROOT

INTEROP_SCRIPT = PROJECT_ROOT / "tests" / "js" / "socketio_interop.mjs"


@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))  # the fixture of that name: the app's path
def test_the_javascript_client_connects_upgrades_sends_a_city_and_another_receives_it(websockets_app):
    node = shutil.which("node")
    assert node, "Node.js is needed for this test (.ci/run installs it)"
    assert (PROJECT_ROOT / "node_modules" / "socket.io-client").is_dir(), "run make setup (npm ci)"
    finished = subprocess.run(
        [node, str(INTEROP_SCRIPT), websockets_app.url, "Köln"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    steps = {line["step"]: line for line in map(json.loads, finished.stdout.splitlines())}
    assert steps["upgraded"]["transports"] == ["websocket", "websocket"]
    assert steps["ack"]["city"]["name"] == "Köln"
    assert steps["received"]["city"] == steps["ack"]["city"]
    assert steps["received"]["cursor"] == steps["ack"]["city"]["id"]
