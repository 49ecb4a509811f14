"""The embedded Valkey server: one per checkout, shared by every app, outliving them, stopped on demand."""

import os
import subprocess
import sys

import redis
import requests

from shared.tools.embedded import EmbeddedValkey
from tests.servers import PROJECT_ROOT, AppServer


def embedded_command(run_dir, *words):
    """Run `python -m shared.tools.embedded …` against `run_dir`; return what it printed."""
    env = {**os.environ, "BOARD_RUN_DIR": str(run_dir)}
    return subprocess.run(
        [sys.executable, "-m", "shared.tools.embedded", *words],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout.strip()


def test_apps_started_at_once_agree_on_one_server(tmp_path):
    starters = [
        subprocess.Popen(
            [sys.executable, "-m", "shared.tools.embedded", "url"],
            cwd=PROJECT_ROOT,
            env={**os.environ, "BOARD_RUN_DIR": str(tmp_path)},
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    urls = {starter.communicate(timeout=30)[0].strip() for starter in starters}
    try:
        assert len(urls) == 1
        assert redis.Redis.from_url(urls.pop()).ping()
    finally:
        assert embedded_command(tmp_path, "stop") == "embedded Valkey stopped"


def test_the_server_outlives_the_app_that_started_it_and_keeps_its_data(tmp_path, key_prefix):
    app = AppServer("polling", "", key_prefix, tmp_path, BOARD_RUN_DIR=tmp_path).start()
    try:
        response = requests.post(f"{app.url}/api/cities", json={"name": "Kept"}, timeout=5)
        assert response.status_code == 201
    finally:
        app.stop()
    url = EmbeddedValkey(tmp_path).url()
    assert redis.Redis.from_url(url).ping(), "the server is still up after its app stopped"
    assert embedded_command(tmp_path, "stop") == "embedded Valkey stopped"
    assert embedded_command(tmp_path, "stop") == "no embedded Valkey was running"
    restarted = redis.Redis.from_url(EmbeddedValkey(tmp_path).url(), decode_responses=True)
    try:
        assert any(item.endswith(" Kept") for item in restarted.lrange(f"{key_prefix}cities", 0, -1))
    finally:
        EmbeddedValkey(tmp_path).stop()
