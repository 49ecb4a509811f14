"""make reset (`python -m shared.tools.reset`): the board starts afresh while the apps run.

First read tests/faults/test_quiet_wipe.py: a wiped board reaches every open page within
seconds, with nobody writing. Here the wipe is the command's, on the board's keys alone.
"""

import os
import subprocess
import sys

import pytest
import redis
import requests

from shared.tools.embedded import EmbeddedValkey
from tests.api import TIMEOUT_SECONDS, add_city
from tests.apps import PATHS
from tests.servers import PROJECT_ROOT

SHOWN_WITHIN_SECONDS = 5


def reset(redis_url, key_prefix, **env):
    """Run `python -m shared.tools.reset` against `redis_url` under `key_prefix`; return it once ended."""
    return subprocess.run(
        [sys.executable, "-m", "shared.tools.reset"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "REDIS_URL": redis_url, "BOARD_KEY_PREFIX": key_prefix, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def is_empty(board):
    """True for a board with no city and no visit."""
    return board["cities"] == [] and board["visits"] == 0


@pytest.mark.parametrize("textbook_or_tuned", list(PATHS))  # the fixture of that name: the apps' path
def test_reset_empties_every_open_page_and_nothing_outside_the_board(every_app, store, open_page, key_prefix):
    pages = [open_page(app) for app in every_app]
    add_city(every_app[0], "Before the reset")
    page_load = requests.get(f"{every_app[0].url}/", timeout=TIMEOUT_SECONDS)  # counts a visit
    assert page_load.status_code == 200
    for page in pages:
        page.wait_for(lambda board: board["visits"] >= 1, "the visit", timeout=SHOWN_WITHIN_SECONDS)
        page.wait_for_newest_city("Before the reset")
    # A key that begins as the board's do, but outside the prefix: the reset must not touch it.
    outside = f"{key_prefix.rstrip(':')}-not-the-board"
    store.redis.set(outside, "kept")

    done = reset(store.settings.redis_url, key_prefix)

    assert done.returncode == 0, done.stderr
    assert "deleted 1 city, " in done.stdout and ", 1 visit and " in done.stdout, done.stdout
    assert "every open page shows the empty board within about 2 s" in done.stdout
    for page in pages:
        page.wait_for(is_empty, f"{page.client} to show the empty board", timeout=SHOWN_WITHIN_SECONDS)
    assert store.redis.get(outside) == "kept"
    store.redis.delete(outside)


def test_only_keys_under_the_prefix_go_even_a_prefix_with_glob_characters(store, key_prefix):
    prefix = f"{key_prefix}*"  # as a SCAN pattern, unescaped, it would match every key of key_prefix
    kept, deleted = f"{key_prefix}cities", f"{prefix}present:polling"
    store.redis.rpush(kept, "not this board's")
    store.redis.set(deleted, "1")
    done = reset(store.settings.redis_url, prefix)
    assert done.returncode == 0, done.stderr
    assert "deleted 0 cities, 0 events, 0 visits and 1 other key " in done.stdout, done.stdout
    assert store.redis.exists(deleted) == 0
    assert store.redis.llen(kept) == 1
    done = reset(store.settings.redis_url, prefix)
    assert done.stdout.startswith(f"the board {prefix!r} in Redis at ") and "nothing to reset" in done.stdout


def test_an_unreachable_redis_is_one_line_and_exit_2(key_prefix):
    done = reset("redis://127.0.0.1:1/0", key_prefix)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("cannot reach Redis at 127.0.0.1:1 (") and done.stderr.count("\n") == 1
    assert done.stderr.rstrip().endswith("nothing was reset")


def test_with_no_redis_url_and_no_embedded_server_there_is_nothing_to_reset(tmp_path, key_prefix):
    done = reset("", key_prefix, BOARD_RUN_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert done.stdout == "no REDIS_URL and no embedded Valkey running: no board to reset\n"
    assert list(tmp_path.iterdir()) == []  # no server was started to find it empty


def test_with_no_redis_url_it_resets_the_embedded_server_that_runs(tmp_path, key_prefix):
    server = EmbeddedValkey(tmp_path)
    client = redis.Redis.from_url(server.url())  # starts it, as the first app would
    try:
        client.set(f"{key_prefix}visits", 3)
        done = reset("", key_prefix, BOARD_RUN_DIR=str(tmp_path))
        assert done.returncode == 0, done.stderr
        assert "deleted 0 cities, 0 events, 3 visits and 0 other keys" in done.stdout, done.stdout
        assert client.exists(f"{key_prefix}visits") == 0
    finally:
        client.close()
        server.stop()
