"""The HTTP follower: what the polling and long polling terminal clients share.

Each technique's client subclasses it and adds one method that asks the server
once and returns the changes; `follow()` calls that method again and again.
"""

import contextlib
import time

import requests

from shared.board.backoff import retry_delay
from shared.tools.terminal import BoardView, WireCount, new_client_id, report

RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS = 1, 30


class HttpFollower:
    """One HTTP client of the board: its id, the board it knows, what it has cost on the wire."""

    def __init__(self, base_url, session=None):
        self.base_url = base_url.rstrip("/")
        self.session = session or requests.Session()
        self.client = new_client_id()
        self.view = BoardView()
        self.wire = WireCount()

    def get(self, path, request_timeout, params=None, headers=None):
        """GET an API path as this client, counting the answer on the wire."""
        params = {**(params or {}), "client": self.client}
        url = f"{self.base_url}{path}"
        response = self.session.get(url, params=params, headers=headers, timeout=request_timeout)
        self.wire.count(response)
        return response

    def leave(self):
        """Say goodbye, as the page's sendBeacon does (a server already gone is fine)."""
        with contextlib.suppress(requests.RequestException):
            self.session.post(f"{self.base_url}/api/leave", params={"client": self.client}, timeout=2)

    def follow(self, next_changes, updates_wanted=None, pause=0.0):
        """Print what each `next_changes()` brings until Ctrl-C or `updates_wanted` updates; then leave."""
        try:
            self._print_changes(next_changes, updates_wanted, pause)
        except KeyboardInterrupt:
            pass
        finally:
            self.leave()

    def _print_changes(self, next_changes, updates_wanted, pause):
        """Ask, print, pause, and again. A failed request waits with backoff and jitter.

        The follower keeps its ETag or cursor across a failure, so the first answer
        after it catches up on everything missed meanwhile.
        """
        failures = 0
        while updates_wanted is None or len(self.view.delays) < updates_wanted:
            try:
                changes = next_changes()
            except requests.RequestException as error:
                failures += 1
                wait = retry_delay(failures, RETRY_FIRST_SECONDS, RETRY_MAX_SECONDS)
                print(f"reconnecting in {wait:.1f} s ({error.__class__.__name__})", flush=True)
                time.sleep(wait)
                continue
            failures = 0
            if changes:
                report(changes, self.view, self.wire)
            time.sleep(pause)
