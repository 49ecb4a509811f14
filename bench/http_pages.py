"""Simulated pages that follow the board over HTTP, as polling.js and long_polling.js do.

Each page is a greenlet with its own client id and its own kept-alive connection
(bench/wire.py counts its bytes). It behaves like the real page: polling asks for
/api/state on a timer with its ETag; long polling asks for /api/updates with its
cursor and asks again at once; both back off with jitter after a failure, keeping
the ETag or cursor. What a bench needs on top: every city received, with its delay.
"""

import contextlib
import json
import time
from urllib.parse import urlsplit

import gevent

from bench.wire import ConnectionLost, WireConnection
from shared.board.backoff import retry_delay

RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 1.0, 30.0  # as the page's status.js


class HttpPage:
    """One simulated page: its connection, the cities it has seen, and its receipts."""

    def __init__(self, url, client):
        address = urlsplit(url)
        self.client = client
        self.connection = WireConnection(address.hostname, address.port, timeout=self.answer_deadline())
        self.live = False
        self.seen = set()  # ids of cities this page shows
        self.received = []  # [city id, delay in ms] for every city that arrived as news
        self.pushed = 0  # messages pushed down an open answer (an event stream); none for a poll
        self.errors = {}

    def answer_deadline(self):
        """Seconds to wait for any answer before taking the connection for dead."""
        return 10.0

    def run(self):
        """Follow the board until killed: ask, apply, and again; back off after a failure."""
        failures = 0
        while True:
            try:
                pause = self.ask_once()
            except (ConnectionLost, ValueError) as error:
                self.live = False
                failures += 1
                reason = str(error)[:80]
                self.errors[reason] = self.errors.get(reason, 0) + 1
                gevent.sleep(retry_delay(failures, RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS))
                continue
            failures = 0
            self.live = True
            gevent.sleep(pause)

    def get(self, path, headers=None):
        """GET an API path as this page; any status but 200 and 304 is a failure."""
        separator = "&" if "?" in path else "?"
        answer = self.connection.request("GET", f"{path}{separator}client={self.client}", headers)
        if answer.status not in (200, 304):
            raise ValueError(f"HTTP {answer.status}")
        return answer

    def take_cities(self, cities, first):
        """Note cities from a state; those new to a page that already had a board are news."""
        now = time.time()
        for city in cities:
            if city["id"] not in self.seen:
                self.seen.add(city["id"])
                if not first:
                    self.received.append([city["id"], round((now - city["at"]) * 1000, 1)])

    def take_city_event(self, city):
        """Note a city that arrived as an event (a second arrival is recorded: a duplicate)."""
        self.seen.add(city["id"])
        self.received.append([city["id"], round((time.time() - city["at"]) * 1000, 1)])

    def leave(self):
        """Say goodbye as the page's sendBeacon does, on a fresh connection."""
        goodbye = WireConnection(self.connection.host, self.connection.port, timeout=2)
        with contextlib.suppress(ConnectionLost):
            goodbye.request("POST", f"/api/leave?client={self.client}")
        goodbye.close()


class PollingPage(HttpPage):
    """polling.js: the whole board every `interval` seconds, 304 when nothing changed."""

    def __init__(self, url, client, interval):
        super().__init__(url, client)
        self.interval = interval
        self.etag = None

    def ask_once(self):
        """One poll; return the pause before the next."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        answer = self.get("/api/state", headers)
        if answer.status == 200:
            state = json.loads(answer.body)
            self.take_cities(state["cities"], first=self.etag is None)
            self.etag = answer.headers["etag"]
        return self.interval


class LongPollingPage(HttpPage):
    """long_polling.js: a state first, then events after the cursor, asked again at once."""

    def __init__(self, url, client, hold):
        self.hold = hold
        super().__init__(url, client)
        self.cursor = None

    def answer_deadline(self):
        """A held answer may take the whole hold; the page gives it 10 s more."""
        return self.hold + 10

    def ask_once(self):
        """One question: the board when the page has no cursor, else the events after it; no pause."""
        if self.cursor is None:
            self.take_state(json.loads(self.get("/api/state").body))
            return 0
        try:
            answer = json.loads(self.get(f"/api/updates?cursor={self.cursor}&timeout={self.hold:g}").body)
        except ValueError as error:
            if str(error) == "HTTP 400":
                self.cursor = None  # as the page does: a refused question starts over from the board
            raise
        if "state" in answer:
            self.take_state(answer["state"])
            return 0
        for event in answer["events"]:
            if event["type"] == "city":
                self.take_city_event(event["city"])
        self.cursor = answer["cursor"]
        return 0

    def take_state(self, state):
        """Show a whole board (the first, or after a cursor too old)."""
        self.take_cities(state["cities"], first=self.cursor is None and not self.seen)
        self.cursor = state["cursor"]
