"""A room of long polling pages, each with its own client id, arriving together: the board settles.

The pages are the bench's simulated pages (bench/http_pages.py): each with its own
client id and connection, asking exactly as long_polling.js asks.
"""

import secrets
import time

import requests

from bench.page_group import PageGroup
from bench.subjects import SUBJECTS_BY_NAME
from long_polling.updates import TOTALS_LINGER_SECONDS
from tests.servers import wait_until

ROOM = 300
ARRIVAL_SECONDS = 1.0


def test_a_room_arriving_together_asks_once_per_linger_for_totals_then_settles(start_app):
    app = start_app("long_polling", ACCESS_LOG=0)
    run = f"t{secrets.token_hex(3)}"
    with PageGroup(SUBJECTS_BY_NAME["long_polling"], app.url, ROOM, ARRIVAL_SECONDS, run) as room:
        started = time.monotonic()
        assert room.wait_ready(timeout=60), "every page of the room gets its first board"
        arrival = time.monotonic() - started
        baseline = [time.monotonic(), room.status()["requests"]]

        def quiet():
            """True once no page has asked anything for a whole linger and more."""
            now, count = time.monotonic(), room.status()["requests"]
            if now - baseline[0] < TOTALS_LINGER_SECONDS + 0.5:
                return False
            if count == baseline[1]:
                return True
            baseline[:] = [now, count]  # someone asked: start the quiet spell again
            return False

        wait_until(quiet, timeout=30, interval=0.25, message="the room to settle")
        # Each page: its board, its first held request, then at most one answer per linger
        # while the totals kept changing, and the one after the last change. Answering every
        # totals event at once (one each 0.25 s) made each page ask several times as often.
        per_page = baseline[1] / ROOM
        assert per_page <= 3 + arrival / TOTALS_LINGER_SECONDS, (per_page, arrival)
        city = requests.post(f"{app.url}/api/cities", json={"name": "After the rush"}, timeout=5)
        assert city.status_code == 201
        wait_until(lambda: room.status(city.json()["id"])["have"] == ROOM, message="the city on every page")
        assert room.status()["errors"] == {}
